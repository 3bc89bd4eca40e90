import type { HostPlan, Plan, Problem } from '@tcpmem/schema';
import { problem } from '@tcpmem/schema';
import { summarize } from '../plan-fleet';

/** A plan document and the file it was read from, for messages. */
export interface PlanPart {
  readonly file: string;
  readonly plan: Plan;
}

export type MergedPlan = { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly problems: Problem[] };

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/**
 * Joins the plans of shards (`tcpmem plan --shard I/N` on N controllers) into the plan one controller would have
 * made: hosts in natural order, the summary counted again, config-wide problems once. The parts must come from
 * the same config (same digest) and mode, and no host may be in two of them.
 */
export function mergePlans(parts: readonly PlanPart[]): MergedPlan {
  const problems: Problem[] = [];
  const first = parts[0];
  if (first === undefined) return { ok: false, problems: [problem('TCPMEM_MERGE', 'no plan to merge', { hint: 'Name the plan files of every shard.' })] };
  const owner = new Map<string, string>();
  const hosts: HostPlan[] = [];
  for (const { file, plan } of parts) {
    if (plan.config.digest !== first.plan.config.digest) {
      problems.push(problem('TCPMEM_MERGE', `${file} was planned from another config than ${first.file} (config digest ${plan.config.digest ?? 'none'} ≠ ${first.plan.config.digest ?? 'none'})`, { file, path: '/config/digest', hint: 'Merge only the shards of one run, planned from the same commit of the config repo.' }));
    }
    if (plan.mode !== first.plan.mode) {
      problems.push(problem('TCPMEM_MERGE', `${file} is planned ${plan.mode}, but ${first.file} ${first.plan.mode}`, { file, path: '/mode', hint: 'Plan every shard the same way (all live, or all --offline).' }));
    }
    for (const host of plan.hosts) {
      const earlier = owner.get(host.name);
      if (earlier !== undefined) {
        problems.push(problem('TCPMEM_MERGE', `host ${host.name} is in both ${earlier} and ${file}`, { file, hint: 'Each shard plans a different share of the fleet: use the same N and a different I for each (--shard I/N).' }));
        continue;
      }
      owner.set(host.name, file);
      hosts.push(host);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  hosts.sort((a, b) => naturalOrder.compare(a.name, b.name));
  const seen = new Set<string>();
  const configProblems: Problem[] = [];
  for (const { plan } of parts) {
    for (const p of plan.problems ?? []) {
      const key = JSON.stringify(p);
      if (seen.has(key)) continue;
      seen.add(key);
      configProblems.push(p);
    }
  }
  const createdAt = parts.map((p) => p.plan.createdAt).sort()[0]!;
  const plan: Plan = { ...first.plan, createdAt, summary: summarize(hosts), hosts };
  delete plan.problems;
  if (configProblems.length > 0) plan.problems = configProblems;
  return { ok: true, plan };
}
