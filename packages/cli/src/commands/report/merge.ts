import { Args, Flags } from '@oclif/core';
import { mergeReportFiles, writeFileAtomic } from '@tcpmem/app';
import type { ApplyReport, Plan } from '@tcpmem/schema';
import { BaseCommand } from '../../base-command';
import { jsonDocument } from '../../io/json-chunks';

export default class ReportMerge extends BaseCommand {
  static override summary = 'Join the plans or apply reports of the shards of one run into one.';

  static override description =
    'N controllers (CI jobs of a matrix, bastions) each plan or apply one share of a fleet with `--shard I/N` and save their JSON (`plan --out`, `--json`). This joins those files into the document one controller would have written for the whole fleet: hosts in natural order, the summary counted again. The files must be all plans or all apply reports, of the same config, and no host may appear twice.';

  static override examples = [
    { description: 'Join the plans of four shards', command: '<%= config.bin %> <%= command.id %> plan-1.json plan-2.json plan-3.json plan-4.json --out plan.json' },
    { description: 'Join apply reports and print the summary', command: '<%= config.bin %> <%= command.id %> apply-*.json' },
  ];

  static override strict = false;

  static override args = {
    files: Args.string({ description: 'The JSON files of the shards (plans, or apply reports).', required: true }),
  };

  static override flags = {
    out: Flags.string({ description: 'Write the merged document (JSON) to this file.' }),
  };

  async run(): Promise<Plan | ApplyReport> {
    const { argv, flags } = await this.parse(ReportMerge);
    const merged = mergeReportFiles(argv as string[]);
    const document = merged.kind === 'plan' ? merged.plan : merged.report;
    if (flags.out !== undefined) writeFileAtomic(flags.out, jsonDocument(document, 2));
    if (merged.kind === 'plan') {
      const s = merged.plan.summary;
      this.print(`merged plan: ${s.hosts} hosts (${s.hostsWithChanges} with changes: ${s.create} to create, ${s.update} to update, ${s.delete} to delete; ${s.invalid} invalid, ${s.unreachable} unreachable)`);
    } else {
      const s = merged.report.summary;
      this.print(`merged apply report: ${s.hosts} hosts (${s.applied} applied, ${s.unchanged} unchanged, ${s.failed} failed, ${s.stale} stale, ${s.unreachable} unreachable, ${s.skipped} skipped)`);
    }
    if (flags.out !== undefined) this.print(`Saved it to ${flags.out}.`);
    return document;
  }
}
