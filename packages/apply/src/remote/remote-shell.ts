import { PassThrough } from 'node:stream';
import type { ExecResult, SshTransport } from '../transport';

/**
 * One remote shell (`sudo -n sh -s` or `sh -s`) on one channel whose stdin the client keeps open: it runs each
 * script the client writes as it arrives, and waits for the next while the client thinks. `apply CONFIG` reads a
 * host with it for the plan, then runs the host's transaction on the same shell (one channel, one login shell,
 * one sudo per host instead of two of each); a transaction alone gets a shell of its own.
 *
 * Its timeout is armed by whoever uses it (`within`), not when it starts: a shell kept between the plan's read
 * and the transaction waits as long as the plan and the confirmation take, holding no lock and running nothing.
 * It ends when the client ends its stdin, when the connection goes, or when an armed timeout passes (SIGKILL).
 */
export class RemoteShell {
  /** The command's end: its exit status and output, or the transport's error (timeout, connection lost). */
  readonly done: Promise<ExecResult>;
  /** Set once the command has ended: its error, or null when it exited. */
  outcome: Error | null | undefined;
  private readonly input = new PassThrough();
  private readonly stopper = new AbortController();
  private listener: ((chunk: Buffer) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  /** Started with a timeout of its own (the transport's), which `within` leaves as it is. */
  private readonly timed: boolean;

  private constructor(transport: Pick<SshTransport, 'exec'>, readonly command: string, timeoutMs: number | undefined) {
    this.timed = timeoutMs !== undefined;
    this.done = transport.exec(command, {
      stdin: this.input,
      // a timeout known at the start is the transport's own; else the one `within` arms later
      ...(timeoutMs === undefined ? { timeoutMs: 0, stop: this.stopper.signal } : { timeoutMs }),
      onStdout: (chunk) => {
        this.listener?.(chunk);
      },
    });
    this.done.then(
      () => {
        this.outcome = null;
        this.disarm();
      },
      (error: unknown) => {
        this.outcome = error instanceof Error ? error : new Error(String(error));
        this.disarm();
      },
    );
  }

  /**
   * Starts `command` on the transport. With `timeoutMs`, the command must end within it (from now); without, it
   * runs until its stdin ends or `within` says how long it may still take.
   */
  static start(transport: Pick<SshTransport, 'exec'>, command: string, timeoutMs?: number): RemoteShell {
    return new RemoteShell(transport, command, timeoutMs);
  }

  /** True until the command has ended (exited, killed, or its connection lost). */
  get running(): boolean {
    return this.outcome === undefined;
  }

  /** Where stdout goes from now on (each chunk as it arrives); undefined: nowhere. */
  listen(onStdout: ((chunk: Buffer) => void) | undefined): void {
    this.listener = onStdout;
  }

  /** Writes text to the shell's stdin (nothing once stdin has ended). */
  write(text: string): void {
    if (!this.ended) this.input.write(text);
  }

  /** Ends stdin: the shell reads EOF. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.input.end();
  }

  /**
   * The command must end within `ms` from now, else it is killed and `done` rejects with COMMAND_TIMEOUT (a shell
   * started with a timeout of its own keeps that one).
   */
  within(ms: number): void {
    this.disarm();
    if (this.timed || !this.running) return;
    this.timer = setTimeout(() => {
      this.stopper.abort(`the command did not finish within ${ms} ms`);
    }, ms);
  }

  /** No timeout from now on (a read finished in time; the shell waits for the transaction). */
  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
