import os from 'node:os';
import path from 'node:path';
import type { SshConnection } from '@tcpmem/schema';
import type { JumpHost, SshTransportOptions } from '../transport';
import { parseDuration } from '@tcpmem/kernel-model';

/**
 * Turns a host's `ssh` settings (schema) into transport options. Secrets are never in the config: the key is a
 * file, the passphrase comes from the environment variable the config names, the agent from SSH_AUTH_SOCK.
 */
export function transportOptions(address: string, ssh: SshConnection, env: NodeJS.ProcessEnv = process.env): SshTransportOptions {
  const username = ssh.user ?? os.userInfo().username;
  const identity = ssh.identityFile === undefined ? undefined : expandHome(ssh.identityFile);
  const agentSocket = ssh.agent === true ? env['SSH_AUTH_SOCK'] : undefined;
  const passphrase = ssh.passphraseEnv === undefined ? undefined : env[ssh.passphraseEnv];
  const defaultKey = identity === undefined && agentSocket === undefined ? path.join(os.homedir(), '.ssh', 'id_ed25519') : undefined;
  const keyPath = identity ?? defaultKey;
  return {
    host: address,
    port: ssh.port ?? 22,
    username,
    ...(keyPath === undefined ? {} : { privateKeyPath: keyPath }),
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(agentSocket === undefined ? {} : { agent: agentSocket }),
    ...(ssh.knownHostsFile === undefined ? {} : { knownHostsFiles: expandHome(ssh.knownHostsFile) }),
    hostKeyPolicy: ssh.hostKeyPolicy ?? 'strict',
    ...(ssh.jumpHost === undefined ? {} : { jump: jumpHost(ssh.jumpHost, username, keyPath, passphrase, agentSocket) }),
    connectTimeoutMs: durationMs(ssh.connectTimeout, 10_000),
    commandTimeoutMs: durationMs(ssh.commandTimeout, 60_000),
  };
}

/**
 * The command that runs tcpmem's scripts as root: `sudo -n sh -s`, unless the host says `sudo: false` or the SSH
 * user (as the transport resolved it: the config's, else the local user's) is root, then `sh -s`.
 */
export function rootShellCommand(ssh: Pick<SshConnection, 'sudo'> | undefined, username: string): string {
  const sudo = ssh?.sudo ?? username !== 'root';
  return sudo ? 'sudo -n sh -s' : 'sh -s';
}

/** The jump host authenticates with the same key (and so the same passphrase) and agent as the target. */
function jumpHost(spec: string, user: string, keyPath: string | undefined, passphrase: string | undefined, agent: string | undefined): JumpHost {
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec);
  const host = (match?.[2] ?? spec).replace(/^\[|\]$/g, '');
  return {
    host,
    port: match?.[3] === undefined ? 22 : Number(match[3]),
    username: match?.[1] ?? user,
    ...(keyPath === undefined ? {} : { privateKeyPath: keyPath }),
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(agent === undefined ? {} : { agent }),
  };
}

function durationMs(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const parsed = parseDuration(text);
  return parsed.ok ? Math.round(parsed.value / 1e6) : fallback;
}

function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}
