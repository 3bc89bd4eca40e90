import type { Shard } from '@tcpmem/plan';

/**
 * What plan, apply and discover say when they have no host to work on and that is no error: an empty shard (the
 * hash of the names puts none of a small fleet's hosts in some of N shards; its plan merges like any other), or a
 * config that defines no host. A --target/--exclude that leaves no host is a usage error before this (exit 64).
 */
export function noHostLine(verb: string, shard: Shard | undefined): string {
  if (shard === undefined) return `No host to ${verb}: the config defines none.`;
  return `No host to ${verb} in shard ${shard.index}/${shard.count}: the hash of the host names puts none of the selected hosts there (with few hosts, some shards hold none).`;
}
