import type { ExecResult, SshTransport } from '../transport';
import { RemoteShell } from './remote-shell';
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
  private partial = '';
  private readonly prefix: string;
  private readonly waiters = new Set<() => void>();

  /**
   * Converses on `shell`: a shell started for it (`Conversation.start`), or one kept running since an earlier
   * script (the plan's read of `apply CONFIG`), whose output from now on is this conversation's. The command must
   * end within `timeoutMs` from now.
   */
  constructor(private readonly shell: RemoteShell, script: string, data: string, nonce: string, timeoutMs: number) {
    this.prefix = `${markerOf(nonce)} `;
    this.done = shell.done;
    shell.listen((chunk) => {
      this.feed(chunk.toString('utf8'));
    });
    shell.within(timeoutMs);
    shell.write(script + data);
  }

  /** Starts `command` on the transport and converses on it. */
  static start(transport: Pick<SshTransport, 'exec'>, command: string, script: string, data: string, nonce: string, timeoutMs: number): Conversation {
    return new Conversation(RemoteShell.start(transport, command, timeoutMs), script, data, nonce, timeoutMs);
  }

  /** Set once the command has ended: its error, or null when it exited. */
  get outcome(): Error | null | undefined {
    return this.shell.outcome;
  }

  /** Sends one line to the script. */
  send(line: string): void {
    this.shell.write(`${line}\n`);
  }

  /** Ends stdin: the script reads EOF (and so gives up unless it is committing). */
  end(): void {
    this.shell.end();
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
