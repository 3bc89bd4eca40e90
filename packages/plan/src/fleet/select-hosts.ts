import type { FleetModel } from './fleet-model';

/** Which hosts --target/--exclude select, and the patterns that matched nothing (a typo is an error, not a no-op). */
export interface HostSelection {
  readonly indexes: number[];
  readonly unmatched: string[];
}

/**
 * Selects hosts as Ansible's --limit does: each pattern is a host name, a group name, or a glob over both (`*` any
 * run of characters, `?` one character, `[abc]`/`[a-z]` one of a set). A host is selected when its name or one of
 * its groups matches a target (no targets: every host) and none of the excludes. A pattern that names no host and
 * no group is returned in `unmatched`.
 */
export function selectHostsByPattern(fleet: FleetModel, targets: readonly string[], excludes: readonly string[]): HostSelection {
  const matchers = new Map([...targets, ...excludes].map((p) => [p, patternMatcher(p)] as const));
  const groupNames = [...fleet.groups.keys()];
  const unmatched = [...matchers].filter(([, m]) => !fleet.hosts.some((h) => m(h.name)) && !groupNames.some(m)).map(([p]) => p);
  const hostMatches = (index: number, pattern: string): boolean => {
    const host = fleet.hosts[index]!;
    const matches = matchers.get(pattern)!;
    return matches(host.name) || (host.value.groups ?? []).some(matches);
  };
  const indexes: number[] = [];
  fleet.hosts.forEach((_host, index) => {
    if (targets.length > 0 && !targets.some((t) => hostMatches(index, t))) return;
    if (excludes.some((e) => hostMatches(index, e))) return;
    indexes.push(index);
  });
  return { indexes, unmatched: [...new Set(unmatched)] };
}

/** A test for one pattern: equality for a plain name, an anchored regular expression for a glob. */
export function patternMatcher(pattern: string): (name: string) => boolean {
  if (!/[*?[]/.test(pattern)) return (name) => name === pattern;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        source += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 's');
  return (name) => regex.test(name);
}
