import type { HostObservation } from '@tcpmem/plan';
import type { Executor } from '../engine/executor';
import { readOverTransport } from '../remote/read-host';
import { transactionExecutor, type TransactionExecutorOptions } from '../remote/ssh-executor';
import { LocalTransport } from '../transport';

export interface LocalExecutorOptions extends TransactionExecutorOptions {
  /** The whole transaction must end within it. Default 60 s, as over SSH. */
  readonly commandTimeoutMs?: number;
  /** The environment of `sh`. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The command that runs the transaction: this process is root already (`apply --local` checks it first). */
export const localCommand = 'sh -s';

/**
 * The executor of `apply --local`: the one host of the plan is this machine, and its transaction
 * (transaction.sh) runs here with `sh -s`, its stdin and stdout exactly those of an SSH session; the lock, read,
 * fingerprint, prepare, commit, verify, persist, journal and rollback are the SSH executor's, unchanged.
 */
export function localExecutor(options: LocalExecutorOptions = {}): Executor {
  const timeoutMs = options.commandTimeoutMs ?? 60_000;
  return transactionExecutor(
    {
      kind: 'local',
      open: () => Promise.resolve({ session: new LocalTransport({ commandTimeoutMs: timeoutMs, ...(options.env === undefined ? {} : { env: options.env }) }), command: localCommand, timeoutMs }),
      notRootFix: () => 'run `tcpmem apply --local` as root (sudo tcpmem apply --local …)',
    },
    options,
  );
}

/**
 * Reads this machine as `plan` reads a host over SSH (the same read script, run here by `sh -s`), read-only. A
 * read that cannot finish is an `Unreachable` with the reason; it never throws for that.
 */
export async function readLocalHost(names: readonly string[]): Promise<HostObservation> {
  const transport = new LocalTransport({ commandTimeoutMs: 60_000 });
  try {
    return (await readOverTransport(transport, names)).observation;
  } catch (error) {
    return { unreachable: true, reason: `reading this machine failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await transport.close();
  }
}
