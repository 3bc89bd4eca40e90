import type { Plan, Problem } from '@tcpmem/schema';
import { summarize } from '../plan-fleet';
import { joinShards } from './join-shards';

/** A plan document and the file it was read from, for messages. */
export interface PlanPart {
  readonly file: string;
  readonly plan: Plan;
}

export type MergedPlan = { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly problems: Problem[] };

/**
 * Joins the plans of shards (`tcpmem plan --shard I/N` on N controllers) into the plan one controller would have
 * made: hosts in natural order, the summary counted again, config-wide problems once. The parts must come from
 * the same config (same digest) and mode, and no host may be in two of them.
 */
export function mergePlans(parts: readonly PlanPart[]): MergedPlan {
  const joined = joinShards(parts, {
    none: { message: 'no plan to merge', hint: 'Name the plan files of every shard.' },
    same: [
      {
        path: '/config/digest',
        of: (p) => p.plan.config.digest,
        message: ({ file, plan }, first) => `${file} was planned from another config than ${first.file} (config digest ${plan.config.digest ?? 'none'} ≠ ${first.plan.config.digest ?? 'none'})`,
        hint: 'Merge only the shards of one run, planned from the same commit of the config repo.',
      },
      {
        path: '/mode',
        of: (p) => p.plan.mode,
        message: ({ file, plan }, first) => `${file} is planned ${plan.mode}, but ${first.file} ${first.plan.mode}`,
        hint: 'Plan every shard the same way (all live, or all --offline).',
      },
    ],
    hostsOf: (p) => p.plan.hosts,
    nameOf: (host) => host.name,
    twice: 'Each shard plans a different share of the fleet: use the same N and a different I for each (--shard I/N).',
    shardOf: (p) => p.plan.shard,
  });
  if (!joined.ok) return joined;
  const { first, hosts } = joined;
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
  delete plan.shard; // the merge is the whole selection
  if (configProblems.length > 0) plan.problems = configProblems;
  return { ok: true, plan };
}
