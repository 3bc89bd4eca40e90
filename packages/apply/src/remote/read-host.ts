import { randomBytes } from 'node:crypto';
import type { HostObservation } from '@tcpmem/plan';
import type { SshConnection } from '@tcpmem/schema';
import { withSession, type AcceptedHostKey, type SshTransport, type SshTransportOptions } from '../transport';
import { transportOptions } from './connect';
import { parseRead, readScript, type HostRead } from './read-script';

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
