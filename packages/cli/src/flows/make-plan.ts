import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Plan, Problem } from '@tcpmem/schema';
import { createKernelLookup, locateProblems, planFleet, type FleetModel, type HostObservation } from '@tcpmem/plan';
import { readLiveHosts } from '../io/read-live-hosts';
import { version } from '../version';
import { loadSelection } from './load-selection';

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
  const { fleet, indexes, loadProblems, documents } = loadSelection(configPath, options.targets, options.excludes);
  const live = options.offline ? [] : indexes.filter((i) => fleet.hosts[i]!.value.address !== undefined);
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
    hostIndexes: indexes,
    problems: loadProblems,
  });
  const located = new Map<Problem, Problem>();
  for (const host of plan.hosts) host.problems = locateProblems(host.problems, documents, located);
  return { plan, fleet, loadProblems };
}


function digestOf(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(path.resolve(file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return `sha256:${hash.digest('hex')}`;
}

/** Re-exported for callers that handle both (the same class as in load-selection.ts). */
export { InvalidConfigError } from './load-selection';
