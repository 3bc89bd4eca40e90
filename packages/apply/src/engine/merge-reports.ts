import { createHash } from 'node:crypto';
import type * as schema from '@tcpmem/schema';
import type { Problem } from '@tcpmem/schema';
import { joinShards } from '@tcpmem/plan';
import { summarize } from './apply-plan';

/** An apply report and the file it was read from, for messages. */
export interface ApplyReportPart {
  readonly file: string;
  readonly report: schema.ApplyReport;
}

export type MergedApplyReport = { readonly ok: true; readonly report: schema.ApplyReport } | { readonly ok: false; readonly problems: Problem[] };

/**
 * Joins the apply reports of shards (`tcpmem apply --shard I/N` on N controllers) into one: hosts in natural order,
 * the summary counted again, the run spanning the earliest start to the latest finish. A refused shard (a stale
 * saved plan) keeps its refusal, with every shard's stale hosts. The parts must come from the same config and
 * executor, and no host may be in two of them. The merged `plan.digest` is a digest of the parts' plan digests.
 */
export function mergeApplyReports(parts: readonly ApplyReportPart[]): MergedApplyReport {
  const joined = joinShards(parts, {
    none: { message: 'no apply report to merge', hint: 'Name the report files of every shard.' },
    same: [
      {
        path: '/plan/configPath',
        of: (p) => p.report.plan.configPath,
        message: ({ file, report }, first) => `${file} applied ${report.plan.configPath}, but ${first.file} ${first.report.plan.configPath}`,
        hint: 'Merge only the shards of one run.',
      },
      {
        path: '/executor',
        of: (p) => p.report.executor,
        message: ({ file, report }, first) => `${file} applied with the ${report.executor} executor, but ${first.file} with ${first.report.executor}`,
        hint: 'Merge dry runs with dry runs and SSH applies with SSH applies.',
      },
    ],
    hostsOf: (p) => p.report.hosts,
    nameOf: (host) => host.host,
    twice: 'Each shard applies a different share of the fleet: the same N and a different I for each (--shard I/N).',
    shardOf: (p) => p.report.shard,
  });
  if (!joined.ok) return joined;
  const { first, hosts } = joined;
  const startedAt = parts.map((p) => p.report.startedAt).sort()[0]!;
  const finishedAt = parts.map((p) => p.report.finishedAt).sort().at(-1)!;
  const refusals = parts.flatMap((p) => (p.report.refused === undefined ? [] : [p.report.refused]));
  const digests = parts.map((p) => p.report.plan.digest).sort();
  const report: schema.ApplyReport = {
    ...first.report,
    startedAt,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
    plan: {
      createdAt: parts.map((p) => p.report.plan.createdAt).sort()[0]!,
      digest: digests.length === 1 ? digests[0]! : `sha256:${createHash('sha256').update(digests.join('\n')).digest('hex')}`,
      configPath: first.report.plan.configPath,
    },
    summary: summarize(hosts),
    hosts,
  };
  delete report.shard; // the merge is the whole selection
  delete report.refused;
  if (refusals.length > 0) report.refused = { reason: refusals[0]!.reason, staleHosts: refusals.flatMap((r) => r.staleHosts) };
  // every shard's host keys; an interrupted shard makes the whole run interrupted (its hosts under way joined)
  delete report.acceptedHostKeys;
  const keys = parts.flatMap((p) => p.report.acceptedHostKeys ?? []);
  if (keys.length > 0) report.acceptedHostKeys = keys;
  delete report.interrupted;
  const interruptions = parts.flatMap((p) => (p.report.interrupted === undefined ? [] : [p.report.interrupted]));
  const firstInterruption = interruptions[0];
  if (firstInterruption !== undefined) {
    const forced = interruptions.some((i) => i.forced === true);
    report.interrupted = { ...firstInterruption, hostsRunning: interruptions.flatMap((i) => i.hostsRunning), ...(forced ? { forced } : {}) };
  }
  return { ok: true, report };
}
