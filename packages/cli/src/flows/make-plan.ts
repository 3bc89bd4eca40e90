import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hasErrors, sortProblems, type Plan, type Problem } from '@tcpmem/schema';
import { ConfigPathError, createKernelLookup, loadFleet, locateProblems, planFleet, selectHosts, type FleetModel, type HostObservation } from '@tcpmem/plan';
import { TcpmemError, usageError, userError } from '../errors';
import { readLiveHosts } from '../io/read-live-hosts';
import { version } from '../version';

/** How to make a plan from a config path. */
export interface MakePlanOptions {
  readonly offline: boolean;
  readonly targets: readonly string[];
  readonly excludes: readonly string[];
  readonly parallelism: number;
  /** Where to draw progress of live reads; undefined for none. */
  readonly progress: NodeJS.WriteStream | undefined;
}

/** A plan and the fleet it was made from. */
export interface MadePlan {
  readonly plan: Plan;
  readonly fleet: FleetModel;
  /** Problems of loading (warnings only; errors end in an exception). */
  readonly loadProblems: readonly Problem[];
}

/**
 * Loads a config, reads the selected hosts live (unless offline) and plans them: what `tcpmem plan` and
 * `tcpmem apply CONFIG` share. Config errors end in a TcpmemError that carries the located problems.
 */
export async function makePlan(configPath: string, options: MakePlanOptions): Promise<MadePlan> {
  let load: ReturnType<typeof loadFleet>;
  try {
    load = loadFleet(configPath);
  } catch (error) {
    if (error instanceof ConfigPathError) throw userError('TCPMEM_PATH', error.message, error.hint);
    throw error;
  }
  const loadProblems = sortProblems(locateProblems(load.problems, load.documents));
  if (load.fleet === undefined || hasErrors(loadProblems)) throw new InvalidConfigError(configPath, loadProblems);
  const fleet = load.fleet;
  const selection = selectHosts(fleet, options.targets, options.excludes);
  if (selection.unmatched.length > 0) {
    throw usageError(`no host or group is named ${selection.unmatched.map((n) => `"${n}"`).join(', ')}`, "Check --target/--exclude against the fleet's host and group names.");
  }
  const live = options.offline ? [] : selection.indexes.filter((i) => fleet.hosts[i]!.value.address !== undefined);
  const observations: ReadonlyMap<string, HostObservation> =
    live.length === 0 ? new Map() : await readLiveHosts(fleet, live, { parallelism: options.parallelism, progress: options.progress });
  const plan = planFleet(fleet, {
    mode: live.length === 0 ? 'offline' : 'live',
    createdAt: new Date().toISOString(),
    tcpmemVersion: version,
    configPath,
    digest: digestOf(fleet.files),
    observations,
    kernelFor: createKernelLookup(),
    hostIndexes: selection.indexes,
    problems: loadProblems,
  });
  for (const host of plan.hosts) host.problems = locateProblems(host.problems, load.documents);
  return { plan, fleet, loadProblems };
}

/** A config with errors: nothing was planned. */
export class InvalidConfigError extends TcpmemError {
  constructor(configPath: string, problems: readonly Problem[]) {
    super('TCPMEM_INVALID_CONFIG', `${configPath} has errors; nothing was planned`, 'Fix the problems listed (`tcpmem validate` lists them too), then plan again.', 1, problems);
  }
}

function digestOf(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(path.resolve(file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return `sha256:${hash.digest('hex')}`;
}
