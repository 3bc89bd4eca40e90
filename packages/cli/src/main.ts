import { Config, Errors, flush, run } from '@oclif/core';
import { toTcpmemError } from './base-command';
import { ExitCode } from './exit-codes';
import { TcpmemError } from './errors';
import { closestName } from './cli/closest-name';
import { terminalSafe } from './render/terminal-safe';
import { versionLine } from './version';

/**
 * The `tcpmem` process: `--version`/`-v` print the version and commit; anything else goes to oclif. A command
 * that does not exist (`tcpmem paln …`) is a usage error (exit 64, with a did-you-mean, as JSON under --json),
 * not oclif's exit 2, which `plan --detailed-exitcode` uses for "has changes".
 */
export async function main(root: string, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(`${versionLine()}\n`);
    return;
  }
  try {
    await run([...argv], root);
    await flush();
  } catch (error) {
    if (error instanceof Errors.ExitError) {
      process.exitCode = error.oclif.exit;
      return;
    }
    const config = await Config.load(root);
    report(toMainError(error as Error, config.commandIDs), argv.includes('--json'));
  }
}

/** The error for anything that escaped a command: an unknown command, or oclif's own failure before one ran. */
export function toMainError(error: Error, commandIds: readonly string[]): TcpmemError {
  const notFound = /^command (\S*) not found\.?$/i.exec(error.message);
  if (error instanceof Errors.CLIError && notFound !== null) {
    // oclif joins the words of a space-separated command id with ':' (`paln examples/x` → `paln:examples/x`).
    const [typed = '', ...words] = (notFound[1] ?? '').split(':');
    // The first word of every command id: `report merge` makes `report` a command too (a topic, in oclif's words).
    const visible = [...new Set(commandIds.map((id) => id.split(':')[0] ?? id))];
    if (visible.includes(typed) && words.length > 0) {
      // A command that takes no argument given one (`tcpmem model hw.yaml`), or a topic's unknown subcommand
      // (`tcpmem report x`): oclif reads the word as part of a command name; it is not a misspelt command.
      const subcommands = commandIds.filter((id) => id.startsWith(`${typed}:`)).map((id) => id.replace(/:/g, ' '));
      const given = words.join(' ');
      return subcommands.length > 0
        ? new TcpmemError('TCPMEM_USAGE', `"${typed} ${given}" is not a tcpmem command`, `The ${typed} commands are ${subcommands.sort().join(', ')}; run \`tcpmem ${typed} --help\`.`, ExitCode.usage)
        : new TcpmemError('TCPMEM_USAGE', `tcpmem ${typed} takes no argument, and was given "${given}"`, `Run \`tcpmem ${typed} --help\` to see its flags${typed === 'model' ? ' (a hardware file goes after --hardware)' : ''}.`, ExitCode.usage);
    }
    const guess = closestName(typed, visible);
    return new TcpmemError(
      'TCPMEM_USAGE',
      `"${typed}" is not a tcpmem command${guess === undefined ? '' : `; did you mean "${guess}"?`}`,
      `The commands are ${visible.sort().join(', ')}; run \`tcpmem help\` to see what each does.`,
      ExitCode.usage,
    );
  }
  return toTcpmemError(error);
}

function report(error: TcpmemError, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode } })}\n`);
  } else {
    process.stderr.write(terminalSafe(`error ${error.code}: ${error.message}\n    hint: ${error.hint}\n`));
  }
  process.exitCode = error.exitCode;
}
