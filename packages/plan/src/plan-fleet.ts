import type { HostPlan, Plan, PlanSummary, Problem } from '@tcpmem/schema';
import type { FleetModel } from './fleet/fleet-model';
import { sameValues, type HostObservation } from './observe/observation';
import { planHost, type KernelLookup } from './plan-host';
import { createPlanMemo } from './memo/plan-memo';
import { warnSameMachine } from './fleet/same-machine';
import type { Shard } from './fleet/shard';

/** Everything a plan is made from, besides the fleet: all inputs, no I/O. */
export interface PlanInputs {
  readonly mode: Plan['mode'];
  readonly createdAt: string;
  readonly tcpmemVersion: string;
  readonly configPath: string;
  readonly digest: string | undefined;
  /** Live observations by host name (live mode); hosts without one are planned offline. */
  readonly observations: ReadonlyMap<string, HostObservation>;
  readonly kernelFor: KernelLookup;
  /** Host indexes to plan (after --target/--exclude), in fleet order. */
  readonly hostIndexes: readonly number[];
  /** Problems about the whole config (loading), carried into the plan. */
  readonly problems: readonly Problem[];
  /** `--shard I/N`: the plan holds that shard of the selection (recorded, so that a merge can tell one missing). */
  readonly shard?: Shard | undefined;
}

/**
 * Plans every selected host of a fleet and sums the result; pure and synchronous. The hosts share what they have
 * in common through one plan memo (memo/plan-memo.ts), which never changes what a host gets.
 */
export function planFleet(fleet: FleetModel, inputs: PlanInputs): Plan {
  const memo = createPlanMemo();
  const hosts: HostPlan[] = inputs.hostIndexes.map((index) => planHost(fleet, index, inputs.observations.get(fleet.hosts[index]!.name), inputs.kernelFor, memo));
  warnSameMachine(fleet, inputs.hostIndexes, hosts);
  return {
    kind: 'plan',
    formatVersion: 1,
    createdAt: inputs.createdAt,
    tcpmemVersion: inputs.tcpmemVersion,
    mode: inputs.mode,
    config: { path: inputs.configPath, files: [...fleet.files], ...(inputs.digest === undefined ? {} : { digest: inputs.digest }) },
    ...(inputs.shard === undefined ? {} : { shard: { index: inputs.shard.index, count: inputs.shard.count } }),
    summary: summarize(hosts),
    hosts,
    ...(inputs.problems.length === 0 ? {} : { problems: [...inputs.problems] }),
  };
}

/** Counts hosts and changes by action. */
export function summarize(hosts: readonly HostPlan[]): PlanSummary {
  const summary: PlanSummary = { hosts: hosts.length, hostsWithChanges: 0, create: 0, update: 0, delete: 0, noop: 0, unreachable: 0, invalid: 0 };
  for (const host of hosts) {
    if (host.status === 'unreachable') summary.unreachable += 1;
    if (host.status === 'invalid') summary.invalid += 1;
    let changed = false;
    for (const change of host.changes) {
      if (change.action === 'no-op') summary.noop += 1;
      else {
        summary[change.action] += 1;
        changed = true;
      }
    }
    if (changed) summary.hostsWithChanges += 1;
  }
  return summary;
}

/**
 * How many settings of a plan would change a host, as `plan --detailed-exitcode` counts them (docs/plan-format.md).
 * A host read live changes with every `create` (tcpmem's file gains the line), `update` and `delete`. A host
 * planned offline (from facts or the model) has no file tcpmem could read: it changes only where the value after
 * differs from the value before (its discovered live value, or else its kernel's boot default).
 */
export function countChanges(plan: Pick<Plan, 'hosts'>): number {
  let count = 0;
  for (const host of plan.hosts) {
    for (const change of host.changes) {
      if (change.action === 'no-op') continue;
      if (host.source === 'live' || change.before === null || change.after === null || !sameValues(change.before, change.after)) count += 1;
    }
  }
  return count;
}

/**
 * Selects hosts by name or group: `targets` (empty: all) minus `excludes`. Returns the indexes and the names
 * that matched nothing, so a typo is reported rather than silently planning nothing.
 */
export function selectHosts(fleet: FleetModel, targets: readonly string[], excludes: readonly string[]): { indexes: number[]; unmatched: string[] } {
  const matches = (index: number, name: string) => fleet.hosts[index]!.name === name || (fleet.hosts[index]!.value.groups ?? []).includes(name);
  const known = (name: string) => fleet.groups.has(name) || fleet.hosts.some((h) => h.name === name);
  const unmatched = [...targets, ...excludes].filter((name) => !known(name));
  const indexes: number[] = [];
  fleet.hosts.forEach((_host, index) => {
    if (targets.length > 0 && !targets.some((t) => matches(index, t))) return;
    if (excludes.some((e) => matches(index, e))) return;
    indexes.push(index);
  });
  return { indexes, unmatched };
}
