import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { knownHostsName, transportOptions, type SshTransportOptions } from '@tcpmem/apply';
import type { SshConnection } from '@tcpmem/schema';
import { portOf, type HostTcpMemoryInputs } from './host-inputs';

/** The environment variable, in the session's private environment only, that carries `privateKeyPassphrase`. */
const passphraseVariable = 'TCPMEM_SSH_KEY_PASSPHRASE';

/**
 * How one provider call reaches its host. Created at the start of each call and disposed at its end, so the
 * provider object never holds a connection or a secret between calls.
 *
 * The SSH transport verifies host keys against known_hosts files only, and the apply engine's SSH executor
 * takes a host's `ssh` settings (a key file, a passphrase variable) rather than key material: so a pinned
 * `hostKey` is written to a known_hosts file, and for an apply `privateKey` is written to a key file, both in a
 * private temporary folder (mode 0700, files 0600) that `dispose` removes. Reads never write the key: they pass
 * it to the transport in memory.
 */
export interface HostSession {
  /** The transport options for a read-only session: the key in memory, the pinned host key's file. */
  readonly readOptions: SshTransportOptions;
  /** The settings and environment the apply engine's SSH executor needs (writes the key file on first use). */
  executorSettings(): Promise<{ readonly ssh: SshConnection; readonly env: NodeJS.ProcessEnv }>;
  /** Removes the temporary folder and everything in it. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Opens a session for a host's inputs (no network yet: connections are made by the reads and the executor). */
export async function openHostSession(inputs: HostTcpMemoryInputs, env: NodeJS.ProcessEnv = process.env): Promise<HostSession> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tcpmem-pulumi-'));
  let ssh: SshConnection = { ...(inputs.ssh ?? {}) };
  try {
    if (inputs.hostKey !== undefined) {
      const [type, blob] = inputs.hostKey.trim().split(/\s+/);
      const file = path.join(dir, 'known_hosts');
      await writeFile(file, `${knownHostsName(inputs.address, portOf(inputs))} ${type ?? ''} ${blob ?? ''}\n`, { mode: 0o600, flag: 'wx' });
      ssh = { ...ssh, knownHostsFile: file, hostKeyPolicy: 'strict' };
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const privateKey = inputs.privateKey;
  const sessionEnv: NodeJS.ProcessEnv = { ...env, ...(inputs.privateKeyPassphrase === undefined ? {} : { [passphraseVariable]: inputs.privateKeyPassphrase }) };
  const withPassphrase = (s: SshConnection): SshConnection => (inputs.privateKeyPassphrase === undefined ? s : { ...s, passphraseEnv: passphraseVariable });

  let readOptions: SshTransportOptions;
  if (privateKey === undefined) {
    readOptions = transportOptions(inputs.address, ssh, sessionEnv);
  } else {
    // transportOptions would name a key file; the key is handed over in memory instead.
    const options: { -readonly [K in keyof SshTransportOptions]: SshTransportOptions[K] } = transportOptions(inputs.address, withPassphrase({ ...ssh, identityFile: path.join(dir, 'unused') }), sessionEnv);
    delete options.privateKeyPath;
    readOptions = { ...options, privateKey };
  }

  let keyFile: string | undefined;
  return {
    readOptions,
    async executorSettings() {
      if (privateKey === undefined) return { ssh, env: sessionEnv };
      if (keyFile === undefined) {
        keyFile = path.join(dir, 'id');
        await writeFile(keyFile, privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`, { mode: 0o600, flag: 'wx' });
      }
      return { ssh: withPassphrase({ ...ssh, identityFile: keyFile }), env: sessionEnv };
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` with a session for the inputs, and always disposes of it. */
export async function withHostSession<T>(inputs: HostTcpMemoryInputs, work: (session: HostSession) => Promise<T>): Promise<T> {
  const session = await openHostSession(inputs);
  try {
    return await work(session);
  } finally {
    await session.dispose();
  }
}
