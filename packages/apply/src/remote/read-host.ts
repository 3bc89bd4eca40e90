import { randomBytes } from 'node:crypto';
import type { HostObservation } from '@tcpmem/plan';
import type { SshConnection } from '@tcpmem/schema';
import { SshTransport, SshTransportError } from '../transport';
import { transportOptions } from './connect';
import { parseRead, readScript, type HostRead } from './read-script';

/** Runs the read-only script on an open connection and parses what it printed. */
export async function readOverTransport(transport: SshTransport, names: readonly string[]): Promise<HostRead> {
  const nonce = randomBytes(8).toString('hex');
  const result = await transport.exec('sh -s', { stdin: readScript(names, nonce) });
  const read = parseRead(result.stdout, nonce, new Set(names));
  if (!read.complete) throw new Error(`the read script did not finish (exit ${result.code ?? result.signal ?? '?'}): ${result.stderr.trim().slice(0, 200)}`);
  return read;
}

/**
 * Reads one host live, read-only, in one SSH session: connects, runs the read script, closes. A host that cannot
 * be reached (refused, timed out, authentication or host key refused) is an `Unreachable` with the reason; it
 * never throws for that.
 */
export async function readHost(address: string, ssh: SshConnection, names: readonly string[]): Promise<HostObservation> {
  let transport: SshTransport | undefined;
  try {
    transport = await SshTransport.connect(transportOptions(address, ssh));
    return (await readOverTransport(transport, names)).observation;
  } catch (error) {
    const reason = error instanceof SshTransportError ? error.message : `reading failed: ${(error as Error).message}`;
    return { unreachable: true, reason };
  } finally {
    await transport?.close();
  }
}
