import { Args } from '@oclif/core';
import { scopeFlags } from '../cli/scope-flags';
import { validatePath } from '@tcpmem/app';
import type { ValidationReport } from '@tcpmem/schema';
import { BaseCommand } from '../base-command';
import { strictFlag, strictLine } from '../cli/strict-flag';
import { ExitCode } from '../exit-codes';
import { renderProblems } from '../render/problems';

export default class Validate extends BaseCommand {
  static override summary = 'Check config, hardware and facts files as plan --offline does: the schema, the fleet and the kernel rules, per host.';

  static override description = `Runs the checks \`tcpmem plan --offline\` runs, without contacting any host: a config repo (a fleet file, or a folder that holds one) is loaded as plan loads it, following includes and facts, and every host is planned offline from its facts or the kernel model (unknown groups and presets, missing includes, triples out of order, values the kernel rejects, what does not fit the host's memory). A problem several hosts share is reported once, naming them. A fleet file that another fleet file includes is checked as part of that fleet; a folder without a fleet file has each document checked and each folder below it; other documents (hardware, facts, a saved plan) are checked against the schema. A folder walk skips files that are no tcpmem document, with a note. Every problem is reported in one run, located as file:line:column with the path inside the document and a hint. Exits 1 when there is an error; with --strict, 5 when there are only warnings.`;

  static override examples = [
    { description: 'Validate a whole config repo', command: '<%= config.bin %> <%= command.id %> examples/web-fleet' },
    { description: 'Validate one hardware file, machine-readable', command: '<%= config.bin %> <%= command.id %> examples/hardware/8gib-6.1.yaml --json' },
  ];

  static override args = {
    path: Args.string({ description: 'A config file or a folder of config files (or of config repos).', required: true }),
  };

  static override flags = {
    'allow-outside-root': scopeFlags['allow-outside-root'],
    ...strictFlag,
  };

  async run(): Promise<ValidationReport> {
    const { args, flags } = await this.parse(Validate);
    const report = validatePath(args.path, { allowOutsideRoot: flags['allow-outside-root'] });
    if (report.problems.length > 0) this.printErr(renderProblems(report.problems, this.style('stderr')));
    if (report.valid) this.print(`${this.style().green('valid')}: ${report.files.length} file${report.files.length === 1 ? '' : 's'}`);
    const warnings = flags.strict ? report.problems.filter((p) => p.severity === 'warning').length : 0;
    if (report.valid && warnings > 0) this.printErr(strictLine(warnings));
    this.setExitCode(!report.valid ? ExitCode.invalidInput : warnings > 0 ? ExitCode.warnings : ExitCode.ok);
    return report;
  }
}
