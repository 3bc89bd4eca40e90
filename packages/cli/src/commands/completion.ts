import { Args } from '@oclif/core';
import { BaseCommand } from '../base-command';
import { completionScript, completionShells, type CompletionCommand, type CompletionShell } from '../cli/completion-script';

export default class Completion extends BaseCommand {
  static override summary = 'Print a shell completion script (bash, zsh or fish) for tcpmem.';

  static override description =
    'Completes command names, each command\'s flags (and the values of flags with a fixed list), and paths. Built from the commands\' own definitions (the oclif manifest), so it stays in step with them.';

  static override examples = [
    { description: 'bash: load it now, or install it for everyone', command: 'source <(<%= config.bin %> <%= command.id %> bash); <%= config.bin %> <%= command.id %> bash | sudo tee /etc/bash_completion.d/tcpmem' },
    { description: 'zsh', command: '<%= config.bin %> <%= command.id %> zsh > "${fpath[1]}/_tcpmem"' },
    { description: 'fish', command: '<%= config.bin %> <%= command.id %> fish > ~/.config/fish/completions/tcpmem.fish' },
  ];

  static override enableJsonFlag = false;

  static override args = {
    shell: Args.string({ description: 'The shell.', required: true, options: [...completionShells] }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    const commands: CompletionCommand[] = this.config.commands
      .filter((c) => !c.hidden)
      .map((c) => ({
        id: c.id,
        summary: c.summary ?? c.description?.split('\n')[0] ?? '',
        flags: [
          ...Object.entries(c.flags).map(([name, f]) => ({
            name,
            char: f.char,
            summary: f.summary ?? f.description ?? '',
            takesValue: f.type === 'option',
            options: f.type === 'option' ? f.options : undefined,
          })),
          { name: 'help', char: 'h', summary: 'Show help for the command.', takesValue: false },
        ],
      }));
    process.stdout.write(completionScript(args.shell as CompletionShell, commands, this.config.bin));
  }
}
