import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readLocalHost, readNames, type AcceptedHostKeyReport, type MachineIdentity, type SessionPool } from '@tcpmem/apply';
import type { Plan, Problem } from '@tcpmem/schema';
import { calibrationsFromFacts, configDigestOf, createKernelLookup, locateProblems, planFleet, type FleetModel, type HostObservation, type Shard } from '@tcpmem/plan';
import { userError } from '../errors/errors';
import { readPlanFile } from './load-plan-file';
import { loadSelection, type LoadedSelection, type SelectionScope } from './load-selection';
import { localCandidates, localHostIndex } from './local-host';
import { readLiveHosts, type LiveReadProgress } from './read-live-hosts';

/** How to make a plan from a config path. */
export interface MakePlanOptions extends SelectionScope {
  /** Read no host: current values come from discovered facts or the kernel model. */
  readonly offline: boolean;
  /** Hosts or groups to plan (empty: every host), as `--target`. */
  readonly targets: readonly string[];
  /** Hosts or groups to leave out, as `--exclude`. */
  readonly excludes: readonly string[];
  /** Hosts read at once over SSH. */
  readonly parallelism: number;
  /** The version of tcpmem that makes the plan, recorded in it. */
  readonly tcpmemVersion: string;
  /** Told how far the live reads have come (not called for an offline plan). */
  readonly onReadProgress?: ((progress: LiveReadProgress) => void) | undefined;
  /** `--local`: plan only this machine's host entry, read here without SSH (targets, excludes and shard unused). */
  readonly local?: LocalScope | undefined;
  /** `apply CONFIG`: the live reads leave each host's connection open here for its transaction (read-live-hosts.ts). */
  readonly keepSessions?: SessionPool | undefined;
  /**
   * Record the config's digest in the plan (default: true). `tcpmem plan` without --json or --out only shows the
   * plan, so it skips hashing every file (a quarter of a second per 10,000 discovered hosts).
   */
  readonly recordDigest?: boolean | undefined;
}

/** Which host entry is this machine: the one `--host` names, else the one matching this machine's identity. */
export interface LocalScope {
  /** `--host NAME`. */
  readonly host: string | undefined;
  /** This machine's names and machine ID; default: read from this machine (os.hostname(), /etc/machine-id). */
  readonly identity?: MachineIdentity | undefined;
}

/** A plan and the fleet it was made from. */
export interface MadePlan {
  readonly plan: Plan;
  readonly fleet: FleetModel;
  /** Problems of loading (warnings only; errors end in an exception). */
  readonly loadProblems: readonly Problem[];
  /** Host keys `hostKeyPolicy: accept-new` trusted on first use while reading the hosts (added to known_hosts). */
  readonly acceptedHostKeys: readonly AcceptedHostKeyReport[];
}

/**
 * Plans a config: loads it, selects hosts, reads the selected hosts that have an address live (unless offline)
 * and plans them, every problem located. What `tcpmem plan` and `tcpmem apply CONFIG` share. Config errors end
 * in an InvalidConfigError that carries the located problems.
 */
export async function makePlan(configPath: string, options: MakePlanOptions): Promise<MadePlan> {
  if (readPlanFile(configPath) !== undefined) {
    throw userError('TCPMEM_NO_FLEET', `${configPath} is a saved plan (\`kind: plan\`), not a config`, `Apply exactly that plan with \`tcpmem apply ${configPath}\`; plan a fleet file or a folder of config files.`);
  }
  if (options.local !== undefined) return await makeLocalPlan(configPath, options, options.local);
  const recordDigest = options.recordDigest !== false;
  const { fleet, indexes, loadProblems, documents } = loadSelection(configPath, options.targets, options.excludes, options, { digest: recordDigest });
  const live = options.offline ? [] : indexes.filter((i) => fleet.hosts[i]!.value.address !== undefined);
  const acceptedHostKeys: AcceptedHostKeyReport[] = [];
  const observations: ReadonlyMap<string, HostObservation> =
    live.length === 0
      ? new Map()
      : await readLiveHosts(fleet, live, {
          parallelism: options.parallelism,
          onProgress: options.onReadProgress,
          keepSessions: options.keepSessions,
          onHostKeyAccepted: (key) => {
            acceptedHostKeys.push(key);
          },
        });
  return planSelection(configPath, { fleet, indexes, loadProblems, documents }, live.length === 0 ? 'offline' : 'live', observations, { tcpmemVersion: options.tcpmemVersion, digest: recordDigest ? digestOf(fleet) : undefined, acceptedHostKeys, shard: options.shard });
}

/**
 * `plan --local`: this machine's host entry of the config (`--host`, else by host name or machine ID), read here
 * by the same read script the live plan runs over SSH, needing no SSH and no root.
 */
async function makeLocalPlan(configPath: string, options: MakePlanOptions, local: LocalScope): Promise<MadePlan> {
  const selection = loadSelection(configPath, [], [], { allowOutsideRoot: options.allowOutsideRoot });
  const index = localHostIndex(localCandidates(selection.fleet), configPath, local.host, ...(local.identity === undefined ? [] : [local.identity]));
  const name = selection.fleet.hosts[index]!.name;
  options.onReadProgress?.({ done: 0, unreachable: 0, total: 1, finished: false });
  const observation = await readLocalHost(readNames());
  const unreachable = 'unreachable' in observation ? 1 : 0;
  options.onReadProgress?.({ done: 1, unreachable, total: 1, finished: true });
  return planSelection(configPath, { ...selection, indexes: [index] }, 'live', new Map([[name, observation]]), { tcpmemVersion: options.tcpmemVersion, digest: digestOf(selection.fleet) });
}

/**
 * Plans the selected hosts of a loaded config against the observations (none: offline, from facts or the
 * kernel model), every host problem located in the config's files. The one planning step `tcpmem plan` (through
 * makePlan) and `tcpmem validate` (the offline gate, validatePath) share.
 */
export function planSelection(
  configPath: string,
  selection: Pick<LoadedSelection, 'fleet' | 'indexes' | 'loadProblems' | 'documents'>,
  mode: 'live' | 'offline',
  observations: ReadonlyMap<string, HostObservation>,
  record: { readonly tcpmemVersion: string; readonly digest: string | undefined; readonly acceptedHostKeys?: readonly AcceptedHostKeyReport[]; readonly shard?: Shard | undefined },
): MadePlan {
  const { fleet, indexes, loadProblems, documents } = selection;
  const plan = planFleet(fleet, {
    mode,
    createdAt: new Date().toISOString(),
    tcpmemVersion: record.tcpmemVersion,
    configPath,
    digest: record.digest,
    observations,
    kernelFor: createKernelLookup(undefined, calibrationsFromFacts(fleet.facts)),
    hostIndexes: indexes,
    problems: loadProblems,
    shard: record.shard,
  });
  const located = new Map<Problem, Problem>();
  for (const host of plan.hosts) host.problems = locateProblems(host.problems, documents, located);
  return { plan, fleet, loadProblems, acceptedHostKeys: record.acceptedHostKeys ?? [] };
}

/**
 * The digest of a config's files (their paths and contents), by which a saved plan names what it was made from:
 * made while loading them (plan's `configDigestOf`), else by reading them again.
 */
function digestOf(fleet: FleetModel): string {
  const made = configDigestOf(fleet);
  if (made !== undefined) return made;
  const files = fleet.files;
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(path.resolve(file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return `sha256:${hash.digest('hex')}`;
}
