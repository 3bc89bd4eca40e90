import { Flags } from '@oclif/core';
import type { SelectionScope } from '@tcpmem/app';
import { parseShard } from '@tcpmem/plan';
import { usageError } from '../errors';

/** `--shard I/N` and `--allow-outside-root`: the flags of every command that loads a fleet (plan, apply, discover). */
export const scopeFlags = {
  shard: Flags.string({
    description: 'Work on shard I of N (e.g. 2/4): the hosts whose name hashes there. N controllers with the same flags split a fleet with no coordination; `tcpmem report merge` joins their JSON. A shard may hold no host (a small fleet, many shards): it then does nothing, says so, and exits 0.',
    helpGroup: 'SELECT',
  }),
  'allow-outside-root': Flags.boolean({
    description: 'Read includes, facts files and symlinks that lead outside the config repo\'s folder (refused by default).',
  }),
};

/** The selection scope the flags ask for; a malformed --shard is a usage error. */
export function scopeOf(flags: { readonly shard?: string | undefined; readonly 'allow-outside-root'?: boolean | undefined }): SelectionScope {
  let shard: SelectionScope['shard'];
  if (flags.shard !== undefined) {
    const parsed = parseShard(flags.shard);
    if (!parsed.ok) throw usageError(parsed.message, 'Number the shards from 1: --shard 1/4 … --shard 4/4.');
    shard = parsed.shard;
  }
  return { shard, allowOutsideRoot: flags['allow-outside-root'] === true };
}
