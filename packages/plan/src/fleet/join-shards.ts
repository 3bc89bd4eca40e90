import type { Problem } from '@tcpmem/schema';
import { problem } from '@tcpmem/schema';
import type { Shard } from './shard';

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
  /** The shard a part says it is (`--shard I/N`), if it says one. */
  readonly shardOf: (part: P) => Shard | undefined;
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
  problems.push(...shardProblems(parts, rules.shardOf));
  if (problems.length > 0) return { ok: false, problems };
  hosts.sort((a, b) => naturalOrder.compare(rules.nameOf(a), rules.nameOf(b)));
  return { ok: true, first, hosts };
}

const shardHint = 'Merge the file of every shard of one run once: --shard 1/N … N/N, the same N.';

/**
 * The parts must be every shard of one run, each once, when they say which they are: a CI job that failed (or a
 * glob that missed a file) must not yield a plan that looks like the fleet's. Parts that say none (planned
 * without --shard, or by a tcpmem that did not record it) are joined as before, unless mixed with shards.
 */
function shardProblems<P extends { readonly file: string }>(parts: readonly P[], shardOf: (part: P) => Shard | undefined): Problem[] {
  const said = parts.map((part) => ({ file: part.file, shard: shardOf(part) }));
  const sharded = said.filter((s): s is { file: string; shard: Shard } => s.shard !== undefined);
  if (sharded.length === 0) return [];
  const problems: Problem[] = [];
  const first = sharded[0]!;
  for (const { file, shard } of said) {
    if (shard === undefined) problems.push(problem('TCPMEM_MERGE', `${file} holds no shard (planned without --shard), but ${first.file} is shard ${first.shard.index}/${first.shard.count}`, { file, path: '/shard', hint: shardHint }));
    else if (shard.count !== first.shard.count) problems.push(problem('TCPMEM_MERGE', `${file} is shard ${shard.index}/${shard.count}, but ${first.file} is shard ${first.shard.index}/${first.shard.count}: not one split of the fleet`, { file, path: '/shard', hint: shardHint }));
  }
  if (problems.length > 0) return problems;
  const byIndex = new Map<number, string>();
  for (const { file, shard } of sharded) {
    const earlier = byIndex.get(shard.index);
    if (earlier !== undefined) problems.push(problem('TCPMEM_MERGE', `shard ${shard.index}/${shard.count} is both ${earlier} and ${file}`, { file, path: '/shard', hint: shardHint }));
    else byIndex.set(shard.index, file);
  }
  const missing: number[] = [];
  for (let index = 1; index <= first.shard.count && missing.length <= 10; index += 1) if (!byIndex.has(index)) missing.push(index);
  if (missing.length > 0) {
    const count = first.shard.count;
    const named = missing.slice(0, 10).map((i) => `${i}/${count}`).join(', ');
    problems.push(problem('TCPMEM_MERGE', `shard${missing.length === 1 ? '' : 's'} ${named}${missing.length > 10 ? ' and more' : ''} ${missing.length === 1 ? 'is' : 'are'} missing: ${byIndex.size} of ${count} given, so the merge would not be the fleet's`, { path: '/shard', hint: shardHint }));
  }
  return problems;
}
