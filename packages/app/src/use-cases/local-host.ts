import { localIdentity, type MachineIdentity } from '@tcpmem/apply';
import type { FleetModel } from '@tcpmem/plan';
import { usageError, userError } from '../errors/errors';

/** A host entry `--local` may pick: its name, its address, and (read only when needed) its facts' machine ID. */
export interface LocalHostCandidate {
  readonly name: string;
  readonly address: string | undefined;
  /** The app-specific machine ID its facts carry (`tcpmem discover`), if any; called only when names do not match. */
  readonly machineAppId?: () => string | undefined;
}

/** How the host entry of this machine was found. */
export type LocalMatch = 'host flag' | 'host name' | 'address' | 'machine ID';

/** The host entry `--local` works on, or why there is none. */
export type LocalHostPick =
  | { readonly ok: true; readonly index: number; readonly by: LocalMatch }
  | { readonly ok: false; readonly reason: 'unknown' | 'unmatched'; readonly tried: readonly string[] }
  | { readonly ok: false; readonly reason: 'ambiguous'; readonly by: LocalMatch; readonly names: readonly string[] };

/**
 * Picks this machine's host entry (pure): the one `--host` names; else the one named as this machine (its host
 * name, then its short name); else the one whose address is one of those names; else the one whose facts carry
 * this machine's ID. The first rule that matches decides, and must match one entry only.
 */
export function pickLocalHost(candidates: readonly LocalHostCandidate[], identity: MachineIdentity, requested: string | undefined): LocalHostPick {
  if (requested !== undefined) {
    const index = candidates.findIndex((c) => c.name === requested);
    return index >= 0 ? { ok: true, index, by: 'host flag' } : { ok: false, reason: 'unknown', tried: [requested] };
  }
  const rules: [LocalMatch, (c: LocalHostCandidate) => boolean][] = [
    ...identity.hostnames.map((hostname): [LocalMatch, (c: LocalHostCandidate) => boolean] => ['host name', (c) => c.name === hostname]),
    ['address', (c) => c.address !== undefined && identity.hostnames.includes(c.address)],
  ];
  const machineAppId = identity.machineAppId;
  if (machineAppId !== undefined) rules.push(['machine ID', (c) => c.machineAppId?.() === machineAppId]);
  for (const [by, matches] of rules) {
    const found = candidates.flatMap((c, index) => (matches(c) ? [index] : []));
    if (found.length === 1) return { ok: true, index: found[0]!, by };
    if (found.length > 1) return { ok: false, reason: 'ambiguous', by, names: found.map((i) => candidates[i]!.name) };
  }
  return { ok: false, reason: 'unmatched', tried: identity.hostnames };
}

/** The candidates of a fleet: its hosts, each with the machine ID of its facts (read again only when asked). */
export function localCandidates(fleet: FleetModel): LocalHostCandidate[] {
  return fleet.hosts.map((host) => ({
    name: host.name,
    address: host.value.address,
    machineAppId: () => {
      try {
        return fleet.facts.get(host.name)?.value.facts.machineAppId;
      } catch {
        return undefined; // a facts file that changed or went away since the load: no machine ID from it
      }
    },
  }));
}

/**
 * The index of this machine's host entry among `candidates` (of the config or saved plan at `source`), or the
 * error that says which names were tried and how to name the host instead.
 */
export function localHostIndex(candidates: readonly LocalHostCandidate[], source: string, requested: string | undefined, identity: MachineIdentity = localIdentity()): number {
  const pick = pickLocalHost(candidates, identity, requested);
  if (pick.ok) return pick.index;
  const some = candidates.slice(0, 5).map((c) => c.name).join(', ') + (candidates.length > 5 ? ', …' : '');
  switch (pick.reason) {
    case 'unknown':
      throw usageError(`--host ${requested ?? ''}: ${source} has no host named so (its hosts: ${some || 'none'})`, 'Name a host of the config with --host, exactly as the config spells it.');
    case 'ambiguous':
      throw userError('TCPMEM_LOCAL_HOST_AMBIGUOUS', `more than one host of ${source} is this machine by its ${pick.by}: ${pick.names.join(', ')}`, `Name the one to use with --host NAME${pick.by === 'machine ID' ? ' (hosts cloned from one image share a machine ID until /etc/machine-id is made again; run `tcpmem discover` once it is)' : ''}.`);
    case 'unmatched': {
      const id = identity.machineAppId === undefined ? ' (and this machine has no /etc/machine-id)' : ', nor is its machine ID in any facts file';
      throw userError('TCPMEM_LOCAL_HOST_UNMATCHED', `no host of ${source} is this machine: none is named or addressed ${pick.tried.map((n) => `"${n}"`).join(' or ')}${id}`, `Pass --host NAME with this machine's entry in the config (its hosts: ${some || 'none'}), or name the entry after the machine's host name.`);
    }
  }
}
