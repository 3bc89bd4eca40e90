import { spawn, type ChildProcess } from 'node:child_process';
import { stopMessage, type ExecOptions, type ExecResult } from './ssh-transport';

/** Why a command run on this machine did not give an exit status. */
export type LocalErrorCode =
  /** The program could not be started (not found, not executable). */
  | 'SPAWN_FAILED'
  /** The command did not finish within its timeout (it was sent SIGKILL). */
  | 'COMMAND_TIMEOUT'
  /** The command's output exceeded the configured maximum (it was sent SIGKILL). */
  | 'OUTPUT_TOO_LARGE'
  /** The transport was closed by its owner while the command ran. */
  | 'CLOSED';

export class LocalTransportError extends Error {
  override readonly name: string = 'LocalTransportError';
  constructor(
    readonly code: LocalErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`this machine: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

export interface LocalTransportOptions {
  /** The environment of the commands. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default timeout of exec(); 0 = none. Default 300 000 ms. */
  readonly commandTimeoutMs?: number;
  /** Maximum stdout + stderr bytes kept per command. Default 64 MiB. */
  readonly maxOutputBytes?: number;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 300_000;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * SshTransport's `exec` on this machine: the same command line (`sh -s`), stdin, stdout and exit status, so a
 * script that converses over SSH converses here unchanged. Each command runs in its own process group, as a
 * remote command runs in its own session: a Ctrl-C at the terminal reaches tcpmem, not the command; when tcpmem
 * goes away, the command reads EOF on stdin, as a remote one does when its connection drops. A timeout sends it
 * SIGKILL (SSH's COMMAND_TIMEOUT).
 */
export class LocalTransport {
  private closed = false;
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly options: LocalTransportOptions = {}) {}

  /** True until close(). */
  get connected(): boolean {
    return !this.closed;
  }

  /**
   * Runs `command` (words split on spaces, no shell in between: `sh -s`) and resolves with its output and exit
   * status, whatever the status. Rejects with LocalTransportError: SPAWN_FAILED, COMMAND_TIMEOUT,
   * OUTPUT_TOO_LARGE, and CLOSED when called after close().
   */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new LocalTransportError('CLOSED', 'the transport was closed'));
    const [program = '', ...args] = command.split(' ').filter((w) => w !== '');
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const maxOutput = this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const child = spawn(program, args, { env: this.options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      this.running.add(child);
      const finish = (err: LocalTransportError | undefined, result?: ExecResult): void => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        options.stop?.removeEventListener('abort', onStop);
        this.running.delete(child);
        if (err !== undefined) reject(err);
        else resolve(result!);
      };
      const kill = (): void => {
        try {
          child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      };
      const onStop = (): void => {
        kill();
        finish(new LocalTransportError('COMMAND_TIMEOUT', `\`${command}\` was stopped: ${stopMessage(options.stop!)}`));
      };
      if (options.stop?.aborted === true) onStop();
      else options.stop?.addEventListener('abort', onStop, { once: true });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          kill();
          finish(new LocalTransportError('COMMAND_TIMEOUT', `\`${command}\` did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let size = 0;
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        if (size > maxOutput) {
          kill();
          finish(new LocalTransportError('OUTPUT_TOO_LARGE', `\`${command}\` wrote more than ${maxOutput} bytes`));
          return;
        }
        into.push(chunk);
      };
      child.stdout.on('data', collect(out));
      if (options.onStdout !== undefined) {
        const onStdout = options.onStdout;
        child.stdout.on('data', (chunk: Buffer) => {
          if (!settled) onStdout(chunk);
        });
      }
      child.stderr.on('data', collect(errOut));
      child.on('error', (e: Error) => {
        finish(new LocalTransportError('SPAWN_FAILED', `cannot run \`${command}\`: ${e.message}`, { cause: e }));
      });
      child.on('close', (code, signal) => {
        finish(undefined, { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'), code, signal: signal ?? undefined });
      });
      // the command may end before reading all of its stdin (EPIPE): its exit status says what happened
      child.stdin.on('error', () => undefined);
      const stdin = options.stdin;
      if (stdin === undefined) child.stdin.end();
      else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) child.stdin.end(stdin);
      else stdin.pipe(child.stdin);
    });
  }

  /**
   * Ends the stdin of every command still running (as a dropped SSH connection does: the transaction gives up
   * unless it is committing, and then finishes on its own); their exec() resolves once they have ended.
   */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const child of this.running) child.stdin?.end();
    }
    return Promise.resolve();
  }
}
