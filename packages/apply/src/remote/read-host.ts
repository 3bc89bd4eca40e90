import { randomBytes } from 'node:crypto';
import type { HostObservation } from '@tcpmem/plan';
import type { SshConnection } from '@tcpmem/schema';
import { SshTransport, SshTransportError, withSession, type AcceptedHostKey, type SshTransportOptions } from '../transport';
import { transportOptions } from './connect';
import { parseRead, readScript, type HostRead } from './read-script';
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
 * of `apply CONFIG` to use: one connection per host from the plan's read to the commit. A connection whose read
 * failed is closed. The same read, the same result as readHost.
 */
export async function readHostKeeping(pool: SessionPool, name: string, address: string, ssh: SshConnection, names: readonly string[], onHostKeyAccepted?: (key: AcceptedHostKey) => void): Promise<HostObservation> {
  const base = transportOptions(address, ssh);
  const options = onHostKeyAccepted === undefined ? base : { ...base, onHostKeyAccepted };
  const t0 = Date.now();
  let transport: SshTransport | undefined;
  try {
    transport = await SshTransport.connect(options);
    const t1 = Date.now();
    const read = await readOverTransport(transport, names);
    pool.keep(name, { transport, connectMs: t1 - t0, readMs: Date.now() - t1 });
    transport = undefined;
    return read.observation;
  } catch (error) {
    if (error instanceof SshTransportError) return { unreachable: true, reason: error.message, code: error.code };
    return { unreachable: true, reason: `reading failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await transport?.close();
  }
}
