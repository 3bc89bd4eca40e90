import { Command, Errors, Flags } from '@oclif/core';
import { ExitCode, type ExitCodeValue } from './exit-codes';
import { TcpmemError } from './errors';
import { jsonBytes, writeDrained } from './io/json-chunks';
import { styleFor, type Style } from './render/style';
import { terminalSafe } from './render/terminal-safe';

/**
 * What every tcpmem command shares: `--json` (stdout then carries exactly one JSON document: the command's
 * result, or `{ "error": … }`), `--no-color` and NO_COLOR, warnings on stderr, and the mapping of every error to
 * a documented exit code (docs/errors.md). Commands implement `run()`: parse, call one library function, render.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    'no-color': Flags.boolean({ description: 'Print without colours (NO_COLOR=1 does the same).', helpGroup: 'GLOBAL' }),
  };

  /** The style for stdout (or stderr): colours only on a terminal and without NO_COLOR/--no-color. */
  protected style(stream: 'stdout' | 'stderr' = 'stdout'): Style {
    return styleFor(stream === 'stdout' ? process.stdout : process.stderr, process.env, this.argv.includes('--no-color'));
  }

  /**
   * Prints the one JSON document of --json: indented on a terminal, compact otherwise (plans of large fleets are
   * tens of MiB; oclif's own colouring of them costs seconds), in pieces of about 1 MiB so that no fleet is too
   * big for one string, each written once the reader has taken the last (`drain`): a slow reader never makes the
   * whole document wait in memory. oclif calls this without waiting; the pending writes keep the process alive.
   */
  override logJson(json: unknown): void {
    void writeDrained(process.stdout, jsonBytes(json, process.stdout.isTTY ? 2 : undefined));
  }

  /** Sets the exit code the process ends with once the result has been printed. */
  protected setExitCode(code: ExitCodeValue): void {
    process.exitCode = code;
  }

  /** Prints text for a person on stdout, unless --json is on; it drives no terminal (`terminalSafe`). */
  protected print(text: string): void {
    if (!this.jsonEnabled()) this.log(terminalSafe(text));
  }

  /** Prints text for a person on stderr (progress, warnings), unless --json is on; it drives no terminal. */
  protected printErr(text: string): void {
    if (!this.jsonEnabled()) process.stderr.write(`${terminalSafe(text)}\n`);
  }

  /**
   * Prints the error and sets the exit code. It does not exit: output to a full pipe is still queued, and the
   * process ends (with this code) once it is written; exiting here cut `tcpmem plan --json | jq` at 64 KiB.
   */
  // oclif's contract makes catch() async; nothing in it needs to wait.
  // eslint-disable-next-line @typescript-eslint/require-await
  protected override async catch(error: Error & { exitCode?: number }): Promise<void> {
    if (error instanceof Errors.ExitError) throw error;
    const mapped = toTcpmemError(error);
    if (this.jsonEnabled()) {
      this.logJson({ error: { code: mapped.code, message: mapped.message, hint: mapped.hint, exitCode: mapped.exitCode, ...(mapped.problems.length === 0 ? {} : { problems: mapped.problems }) } });
    } else {
      const style = this.style('stderr');
      // A message may quote a path or what a host said, and may hold lines of its own (the problems of a file).
      process.stderr.write(terminalSafe(`${style.red('error')} ${mapped.code}: ${mapped.message}\n    hint: ${mapped.hint}\n`));
      if (mapped.exitCode === ExitCode.internal && error.stack !== undefined) process.stderr.write(terminalSafe(`${style.dim(error.stack)}\n`));
    }
    process.exitCode = mapped.exitCode;
  }
}

/** Maps any error to a TcpmemError: ours as they are, oclif's flag/argument errors to usage, the rest to bugs. */
export function toTcpmemError(error: Error): TcpmemError {
  if (error instanceof TcpmemError) return error;
  if (error instanceof Errors.CLIError) {
    const message = error.message.replace(/\s*\n\s*/g, ' ').replace(/:\s*$/, '').trim();
    return new TcpmemError('TCPMEM_USAGE', message, 'Run the command with --help to see its flags and examples.', ExitCode.usage);
  }
  return new TcpmemError(
    'TCPMEM_INTERNAL',
    `tcpmem failed unexpectedly: ${error.message}`,
    'This is a bug in tcpmem. Please report it with the command you ran and this message.',
    ExitCode.internal,
  );
}
