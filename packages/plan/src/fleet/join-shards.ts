import type { Problem } from '@tcpmem/schema';
import { problem } from '@tcpmem/schema';

/** A field every shard of one run has alike: each part's is compared with the first part's. */
export interface SameInShards<P> {
  /** The JSON pointer of the field in a part's document. */
  readonly path: string;
  readonly of: (part: P) => string | undefined;
  /** What the problem says when `part` has another value than `first`. */
  readonly message: (part: P, first: P) => string;
  readonly hint: string;
}

/** How to read the shards' documents (plans or apply reports), and what a problem with them says. */
export interface ShardRules<P, H> {
  /** The problem when there is no part at all. */
  readonly none: { readonly message: string; readonly hint: string };
  readonly same: readonly SameInShards<P>[];
  readonly hostsOf: (part: P) => readonly H[];
  readonly nameOf: (host: H) => string;
  /** The hint when a host is in two parts. */
  readonly twice: string;
}

export type JoinedShards<P, H> = { readonly ok: true; readonly first: P; readonly hosts: H[] } | { readonly ok: false; readonly problems: Problem[] };

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/**
 * What every merge of the shards of one run (`--shard I/N` on N controllers) checks, and the hosts it joins: the
 * parts must agree on each field of `rules.same` and no host may be in two of them. Returns every part's hosts in
 * natural order (web-2 before web-10), or every problem (`TCPMEM_MERGE`), part by part.
 */
export function joinShards<P extends { readonly file: string }, H>(parts: readonly P[], rules: ShardRules<P, H>): JoinedShards<P, H> {
  const first = parts[0];
  if (first === undefined) return { ok: false, problems: [problem('TCPMEM_MERGE', rules.none.message, { hint: rules.none.hint })] };
  const problems: Problem[] = [];
  const owner = new Map<string, string>();
  const hosts: H[] = [];
  for (const part of parts) {
    const { file } = part;
    for (const same of rules.same) {
      if (same.of(part) !== same.of(first)) problems.push(problem('TCPMEM_MERGE', same.message(part, first), { file, path: same.path, hint: same.hint }));
    }
    for (const host of rules.hostsOf(part)) {
      const name = rules.nameOf(host);
      const earlier = owner.get(name);
      if (earlier !== undefined) {
        problems.push(problem('TCPMEM_MERGE', `host ${name} is in both ${earlier} and ${file}`, { file, hint: rules.twice }));
        continue;
      }
      owner.set(name, file);
      hosts.push(host);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  hosts.sort((a, b) => naturalOrder.compare(rules.nameOf(a), rules.nameOf(b)));
  return { ok: true, first, hosts };
}
