import { PassThrough } from 'node:stream';
import type { ExecResult, SshTransport } from '../transport';
import { emptyLog, foldLine, markerOf, type TransactionLog } from './transaction-script';

/**
 * One remote command that converses in lines: the script and its data (a here-document behind it) go to stdin at
 * once; then the client's lines as it decides. The command's marked output lines are folded into a
 * TransactionLog as they arrive. The command ends when the client ends stdin (or the remote side exits).
 */
export class Conversation {
  readonly log: TransactionLog = emptyLog();
  /** Every stdout line so far (the read section is parsed from it). */
  output = '';
  readonly done: Promise<ExecResult>;
  private readonly input = new PassThrough();
  private partial = '';
  private readonly prefix: string;
  private readonly waiters = new Set<() => void>();
  private ended = false;
  /** Set once the command has ended: its error, or null when it exited. */
  outcome: Error | null | undefined;

  constructor(transport: Pick<SshTransport, 'exec'>, command: string, script: string, data: string, nonce: string, timeoutMs: number) {
    this.prefix = `${markerOf(nonce)} `;
    this.input.write(script + data);
    this.done = transport.exec(command, {
      stdin: this.input,
      timeoutMs,
      onStdout: (chunk) => {
        this.feed(chunk.toString('utf8'));
      },
    });
    this.done.then(
      () => {
        this.outcome = null;
      },
      (error: unknown) => {
        this.outcome = error instanceof Error ? error : new Error(String(error));
      },
    );
  }

  /** Sends one line to the script. */
  send(line: string): void {
    if (!this.ended) this.input.write(`${line}\n`);
  }

  /** Ends stdin: the script reads EOF (and so gives up unless it is committing). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.input.end();
  }

  /**
   * Resolves true once `ready(log)` holds, false when the command ended before it did; rejects with the
   * transport's error (connection lost, timeout).
   */
  async until(ready: (log: TransactionLog) => boolean): Promise<boolean> {
    const command = { over: false };
    const finish = () => {
      command.over = true;
      this.notify();
    };
    this.done.then(finish, finish);
    while (!ready(this.log) && !command.over) {
      await new Promise<void>((resolve) => {
        this.waiters.add(resolve);
      });
    }
    if (ready(this.log)) return true;
    await this.done; // rethrows the transport's error
    return false;
  }

  private notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  private feed(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      this.output += `${line}\n`;
      if (line.startsWith(this.prefix)) foldLine(this.log, line.slice(this.prefix.length));
    }
    this.notify();
  }
}
