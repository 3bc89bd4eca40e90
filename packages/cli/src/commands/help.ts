import { Args, Command, loadHelpClass } from '@oclif/core';

export default class HelpCommand extends Command {
  static override summary = 'Show help for tcpmem or for one command.';

  static override description = 'The same text as `tcpmem --help` and `tcpmem COMMAND --help` (or `-h`).';

  static override examples = [
    { description: 'Every command', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The flags and examples of plan', command: '<%= config.bin %> <%= command.id %> plan' },
  ];

  static override strict = false;

  static override args = {
    command: Args.string({ description: 'The command to show help for.', required: false }),
  };

  async run(): Promise<void> {
    const { argv } = await this.parse(HelpCommand);
    const Help = await loadHelpClass(this.config);
    await new Help(this.config, this.config.pjson.oclif.helpOptions ?? {}).showHelp(argv as string[]);
  }
}
