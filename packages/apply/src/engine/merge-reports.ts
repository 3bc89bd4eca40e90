import { createHash } from 'node:crypto';
import type * as schema from '@tcpmem/schema';
import { problem, type Problem } from '@tcpmem/schema';
import { summarize } from './apply-plan';

/** An apply report and the file it was read from, for messages. */
export interface ApplyReportPart {
  readonly file: string;
  readonly report: schema.ApplyReport;
}

export type MergedApplyReport = { readonly ok: true; readonly report: schema.ApplyReport } | { readonly ok: false; readonly problems: Problem[] };

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/**
 * Joins the apply reports of shards (`tcpmem apply --shard I/N` on N controllers) into one: hosts in natural order,
 * the summary counted again, the run spanning the earliest start to the latest finish. A refused shard (a stale
 * saved plan) keeps its refusal, with every shard's stale hosts. The parts must come from the same config and
 * executor, and no host may be in two of them. The merged `plan.digest` is a digest of the parts' plan digests.
 */
export function mergeApplyReports(parts: readonly ApplyReportPart[]): MergedApplyReport {
  const first = parts[0];
  if (first === undefined) return { ok: false, problems: [problem('TCPMEM_MERGE', 'no apply report to merge', { hint: 'Name the report files of every shard.' })] };
  const problems: Problem[] = [];
  const owner = new Map<string, string>();
  const hosts: schema.HostApplyResult[] = [];
  for (const { file, report } of parts) {
    if (report.plan.configPath !== first.report.plan.configPath) {
      problems.push(problem('TCPMEM_MERGE', `${file} applied ${report.plan.configPath}, but ${first.file} ${first.report.plan.configPath}`, { file, path: '/plan/configPath', hint: 'Merge only the shards of one run.' }));
    }
    if (report.executor !== first.report.executor) {
      problems.push(problem('TCPMEM_MERGE', `${file} applied with the ${report.executor} executor, but ${first.file} with ${first.report.executor}`, { file, path: '/executor', hint: 'Merge dry runs with dry runs and SSH applies with SSH applies.' }));
    }
    for (const host of report.hosts) {
      const earlier = owner.get(host.host);
      if (earlier !== undefined) {
        problems.push(problem('TCPMEM_MERGE', `host ${host.host} is in both ${earlier} and ${file}`, { file, hint: 'Each shard applies a different share of the fleet: the same N and a different I for each (--shard I/N).' }));
        continue;
      }
      owner.set(host.host, file);
      hosts.push(host);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  hosts.sort((a, b) => naturalOrder.compare(a.host, b.host));
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
  delete report.refused;
  if (refusals.length > 0) report.refused = { reason: refusals[0]!.reason, staleHosts: refusals.flatMap((r) => r.staleHosts) };
  return { ok: true, report };
}
