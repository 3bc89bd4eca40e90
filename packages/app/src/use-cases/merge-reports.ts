import fs from 'node:fs';
import { mergeApplyReports } from '@tcpmem/apply';
import { mergePlans } from '@tcpmem/plan';
import { checkSource, formatProblem, type ApplyReport, type Plan, type Problem, type TcpmemDocument } from '@tcpmem/schema';
import { TcpmemError, usageError, userError } from '../errors/errors';

/** What `tcpmem report merge` made: one plan or one apply report for the whole fleet. */
export type MergedReport = { readonly kind: 'plan'; readonly plan: Plan } | { readonly kind: 'apply-report'; readonly report: ApplyReport };

/**
 * `tcpmem report merge FILE…`: joins the `--json`/`--out` documents of the shards of one run (`--shard I/N` on N
 * controllers) into the document one controller would have written. Every file goes through the schema gate;
 * all must be plans, or all apply reports, of the same config, and no host may be in two.
 */
export function mergeReportFiles(files: readonly string[]): MergedReport {
  if (files.length === 0) throw usageError('report merge needs the files of the shards', 'Name every shard\'s file: tcpmem report merge shard-1.json shard-2.json …');
  const plans: { file: string; plan: Plan }[] = [];
  const reports: { file: string; report: ApplyReport }[] = [];
  for (const file of files) {
    const document = read(file);
    if (document.kind === 'plan') plans.push({ file, plan: document });
    else if (document.kind === 'apply-report') reports.push({ file, report: document });
    else throw userError('TCPMEM_MERGE', `${file} is a "${document.kind}" document; only plans and apply reports are merged`, 'Merge the files `tcpmem plan --json` or `tcpmem apply --json` wrote.');
  }
  if (plans.length > 0 && reports.length > 0) throw userError('TCPMEM_MERGE', `${plans[0]!.file} is a plan but ${reports[0]!.file} an apply report`, 'Merge plans with plans and apply reports with apply reports.');
  if (plans.length > 0) {
    const merged = mergePlans(plans);
    if (!merged.ok) throw mergeError(merged.problems);
    return { kind: 'plan', plan: merged.plan };
  }
  const merged = mergeApplyReports(reports);
  if (!merged.ok) throw mergeError(merged.problems);
  return { kind: 'apply-report', report: merged.report };
}

function read(file: string): TcpmemDocument {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw userError('TCPMEM_PATH', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'Check the path.');
  }
  const checked = checkSource(file, text);
  if (!checked.ok) throw userError('TCPMEM_MERGE', `${file} is not a valid tcpmem document:\n${checked.problems.map(formatProblem).join('\n')}`, 'Merge the files tcpmem wrote, unedited.');
  return checked.value;
}

function mergeError(problems: readonly Problem[]): TcpmemError {
  return userError('TCPMEM_MERGE', `the shards cannot be merged:\n${problems.map(formatProblem).join('\n')}`, 'Merge the files of one run: the same config and the same N, each shard once.');
}
