import { Flags } from '@oclif/core';
import type { LocalScope } from '@tcpmem/app';
import { usageError } from '../errors';

/** `--local` and `--host NAME`: work on this machine, without SSH (plan, apply). */
export function localFlags(verb: 'Plan' | 'Apply'): { local: ReturnType<typeof Flags.boolean>; host: ReturnType<typeof hostFlag> } {
  return {
    local: Flags.boolean({
      description: `${verb} this machine only, here, without SSH: its host entry (--host, else the one named after this machine's host name or short name, or whose facts carry its machine ID) is read${verb === 'Apply' ? ' and changed by the same transaction as over SSH, run by sh as root' : ' by the same read as over SSH'}.`,
      helpGroup: 'LOCAL',
    }),
    host: hostFlag(),
  };
}

function hostFlag() {
  return Flags.string({ description: 'With --local: the host entry of the config that is this machine (default: matched by host name, then machine ID).', helpGroup: 'LOCAL' });
}

/** What oclif's parse says about each flag: whether it holds only its default. */
type FlagMetadata = Readonly<Record<string, { readonly setFromDefault?: boolean } | undefined>>;

/**
 * The local scope the flags ask for (undefined without --local). `--local` with a flag that only means something
 * for SSH or for many hosts (`sshOnly`, given on the command line), and `--host` without `--local`, are usage
 * errors.
 */
export function localScopeOf(flags: Readonly<Record<string, unknown>>, metadata: FlagMetadata, sshOnly: readonly string[]): LocalScope | undefined {
  const host = flags['host'] as string | undefined;
  if (flags['local'] !== true) {
    if (host !== undefined) throw usageError('--host picks the host entry of --local; without --local it means nothing', 'Add --local to work on this machine, or use --target to select hosts reached over SSH.');
    return undefined;
  }
  const given = sshOnly.filter((name) => {
    const value = flags[name];
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) return false;
    return metadata[name]?.setFromDefault !== true;
  });
  if (given.length > 0) {
    const list = given.map((n) => `--${n}`).join(', ');
    throw usageError(`--local works on this one machine, without SSH: ${list} ${given.length === 1 ? 'is' : 'are'} for hosts reached over SSH`, 'Leave them out with --local (pick the host entry with --host NAME), or leave out --local to work over SSH.');
  }
  return { host };
}
