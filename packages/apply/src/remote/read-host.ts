import { randomBytes } from 'node:crypto';
import type { HostObservation } from '@tcpmem/plan';
import type { SshConnection } from '@tcpmem/schema';
import { SshTransport, SshTransportError, withSession, type AcceptedHostKey, type SshTransportOptions } from '../transport';
import { rootShellCommand, transportOptions } from './connect';
import { parseRead, readScript, type HostRead } from './read-script';
import { RemoteShell } from './remote-shell';
import type { SessionPool } from './session-pool';

/** Runs the read-only script on an open connection and parses what it printed. */
export async function readOverTransport(transport: Pick<SshTransport, 'exec'>, names: readonly string[]): Promise<HostRead> {
  const nonce = randomBytes(8).toString('hex');
  const result = await transport.exec('sh -s', { stdin: readScript(names, nonce) });
  const read = parseRead(result.stdout, nonce, new Set(names));
  if (!read.complete) throw new Error(`the read script did not finish (exit ${result.code ?? result.signal ?? '?'}): ${result.stderr.trim().slice(0, 200)}`);
  return read;
}

/**
 * Runs the read script on a shell that stays open after it (`apply CONFIG`'s root shell) and parses what it
 * printed: resolves once the script's `end` line came, the shell waiting for its next script (the read must finish
 * within `timeoutMs`); undefined when the shell ended before that (sudo refused, say). Rejects with the transport's
 * error (timeout, connection lost).
 */
export async function readOnShell(shell: RemoteShell, names: readonly string[], timeoutMs: number): Promise<HostRead | undefined> {
  const nonce = randomBytes(8).toString('hex');
  const last = `@@tcpmem-${nonce} end\n`;
  let output = '';
  const finished = new Promise<boolean>((resolve, reject) => {
    // the end line is the last the script prints; nothing follows it until the next script
    shell.listen((chunk) => {
      output += chunk.toString('utf8');
      if (output.endsWith(last)) resolve(true);
    });
    shell.done.then(
      () => {
        resolve(false);
      },
      reject,
    );
  });
  shell.within(timeoutMs);
  // the newline ends the script's last line: the shell runs it without waiting for more (stdin stays open)
  shell.write(`${readScript(names, nonce)}\n`);
  try {
    if (!(await finished)) return undefined;
  } finally {
    shell.listen(undefined);
  }
  shell.disarm();
  const read = parseRead(output, nonce, new Set(names));
  return read.complete ? read : undefined;
}

/**
 * Reads one host live, read-only, in one SSH session: connects, runs the read script, closes. A host that cannot
 * be reached (refused, timed out, authentication or host key refused) is an `Unreachable` with the reason; it
 * never throws for that. `onHostKeyAccepted` is told of every host key accept-new adds to known_hosts.
 */
export async function readHost(address: string, ssh: SshConnection, names: readonly string[], onHostKeyAccepted?: (key: AcceptedHostKey) => void): Promise<HostObservation> {
  const options = transportOptions(address, ssh);
  return readHostWith(onHostKeyAccepted === undefined ? options : { ...options, onHostKeyAccepted }, names);
}

/** `readHost` with transport options made elsewhere (the Pulumi provider's: a key in memory, a pinned host key). */
export async function readHostWith(options: SshTransportOptions, names: readonly string[]): Promise<HostObservation> {
  const outcome = await withSession(options, async (transport) => (await readOverTransport(transport, names)).observation);
  if (outcome.ok) return outcome.value;
  return outcome.code === undefined ? { unreachable: true, reason: `reading failed: ${outcome.message}` } : { unreachable: true, reason: outcome.message, code: outcome.code };
}

/**
 * `readHost` that leaves the connection open in `pool` (under `name`) once the read succeeded, for the transaction
 * of `apply CONFIG` to use: one connection per host from the plan's read to the commit, and one shell. The read
 * runs on the shell the transaction will run on (`sudo -n sh -s`, or `sh -s` when the host says `sudo: false` or
 * the user is root), which then waits for the transaction's script; when that shell ends before the read did
 * (sudo refused, say), the host is read on a plain `sh -s` as `tcpmem plan` reads it, and its transaction starts
 * its own shell (and so meets the same refusal, told as such). A connection whose read failed is closed. The same
 * read script and result as readHost, but as root, as the transaction's locked read: a sysctl file only root may
 * read is read by both (docs/apply.md, "Limits").
 */
export async function readHostKeeping(pool: SessionPool, name: string, address: string, ssh: SshConnection, names: readonly string[], onHostKeyAccepted?: (key: AcceptedHostKey) => void): Promise<HostObservation> {
  const base = transportOptions(address, ssh);
  const options = onHostKeyAccepted === undefined ? base : { ...base, onHostKeyAccepted };
  const t0 = Date.now();
  let transport: SshTransport | undefined;
  let shell: RemoteShell | undefined;
  try {
    transport = await SshTransport.connect(options);
    const t1 = Date.now();
    shell = RemoteShell.start(transport, rootShellCommand(ssh, options.username));
    let read = await readOnShell(shell, names, options.commandTimeoutMs ?? 60_000);
    if (read === undefined) {
      shell.end();
      shell = undefined;
      read = await readOverTransport(transport, names);
    }
    pool.keep(name, { transport, connectMs: t1 - t0, readMs: Date.now() - t1, ...(shell === undefined ? {} : { shell }) });
    transport = undefined;
    shell = undefined;
    return read.observation;
  } catch (error) {
    if (error instanceof SshTransportError) return { unreachable: true, reason: error.message, code: error.code };
    return { unreachable: true, reason: `reading failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    shell?.end();
    await transport?.close();
  }
}
