import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Plan, Problem } from '@tcpmem/schema';
import { calibrationsFromFacts, createKernelLookup, locateProblems, planFleet, type FleetModel, type HostObservation } from '@tcpmem/plan';
import { loadSelection, type SelectionScope } from './load-selection';
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
}

/** A plan and the fleet it was made from. */
export interface MadePlan {
  readonly plan: Plan;
  readonly fleet: FleetModel;
  /** Problems of loading (warnings only; errors end in an exception). */
  readonly loadProblems: readonly Problem[];
}

/**
 * Plans a config: loads it, selects hosts, reads the selected hosts that have an address live (unless offline)
 * and plans them, every problem located. What `tcpmem plan` and `tcpmem apply CONFIG` share. Config errors end
 * in an InvalidConfigError that carries the located problems.
 */
export async function makePlan(configPath: string, options: MakePlanOptions): Promise<MadePlan> {
  const { fleet, indexes, loadProblems, documents } = loadSelection(configPath, options.targets, options.excludes, options);
  const live = options.offline ? [] : indexes.filter((i) => fleet.hosts[i]!.value.address !== undefined);
  const observations: ReadonlyMap<string, HostObservation> =
    live.length === 0 ? new Map() : await readLiveHosts(fleet, live, { parallelism: options.parallelism, onProgress: options.onReadProgress });
  const plan = planFleet(fleet, {
    mode: live.length === 0 ? 'offline' : 'live',
    createdAt: new Date().toISOString(),
    tcpmemVersion: options.tcpmemVersion,
    configPath,
    digest: digestOf(fleet.files),
    observations,
    kernelFor: createKernelLookup(undefined, calibrationsFromFacts(fleet.facts)),
    hostIndexes: indexes,
    problems: loadProblems,
  });
  const located = new Map<Problem, Problem>();
  for (const host of plan.hosts) host.problems = locateProblems(host.problems, documents, located);
  return { plan, fleet, loadProblems };
}

/** The digest of a config's files (their paths and contents), by which a saved plan names what it was made from. */
function digestOf(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) hash.update(path.resolve(file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return `sha256:${hash.digest('hex')}`;
}
