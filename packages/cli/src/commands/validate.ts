import { Args } from '@oclif/core';
import { validatePath } from '@tcpmem/app';
import type { ValidationReport } from '@tcpmem/schema';
import { BaseCommand } from '../base-command';
import { strictFlag, strictLine } from '../cli/strict-flag';
import { ExitCode } from '../exit-codes';
import { renderProblems } from '../render/problems';

export default class Validate extends BaseCommand {
  static override summary = 'Check config, hardware and facts files against the tcpmem schema and the kernel rules.';

  static override description = `Validates a file, or every .yaml/.yml/.json file below a folder. Every problem is reported in one run, located as file:line:column with the path inside the document and a hint. Exits 1 when there is an error; with --strict, 5 when there are only warnings.`;

  static override examples = [
    { description: 'Validate a whole config repo', command: '<%= config.bin %> <%= command.id %> examples/web-fleet' },
    { description: 'Validate one hardware file, machine-readable', command: '<%= config.bin %> <%= command.id %> examples/hardware/8gib-6.1.yaml --json' },
  ];

  static override args = {
    path: Args.string({ description: 'A config file or a folder of config files.', required: true }),
  };

  static override flags = {
    ...strictFlag,
  };

  async run(): Promise<ValidationReport> {
    const { args, flags } = await this.parse(Validate);
    const report = validatePath(args.path);
    if (report.problems.length > 0) this.printErr(renderProblems(report.problems, this.style('stderr')));
    if (report.valid) this.print(`${this.style().green('valid')}: ${report.files.length} file${report.files.length === 1 ? '' : 's'}`);
    const warnings = flags.strict ? report.problems.filter((p) => p.severity === 'warning').length : 0;
    if (report.valid && warnings > 0) this.printErr(strictLine(warnings));
    this.setExitCode(!report.valid ? ExitCode.invalidInput : warnings > 0 ? ExitCode.warnings : ExitCode.ok);
    return report;
  }
}
