/**
 * What `netns-hosts.sh up N STATE_DIR` describes in STATE_DIR/hosts.json (its write_hosts_json), typed once for
 * every package's integration tests. The script rewrites the file after each sub-command that changes a host.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The harness script, for `execFileSync(netnsHostsScript, ['up', '3', stateDir])`. */
export const netnsHostsScript = path.join(__dirname, 'netns-hosts.sh');

/** One test host: a network namespace with its own sshd. */
export interface NetnsHost {
  name: string;
  namespace: string;
  address: string;
  port: number;
  user: string;
  identityFile: string;
  hostKeyFingerprint: string;
  hostKeyFile: string;
  /** The host's /etc/sysctl.d and /run/sysctl.d (bind-mounted in its mount namespace). */
  sysctlDir: string;
  runSysctlDir: string;
  sshdLog: string;
  /** null while its sshd is killed. */
  sshdPid: number | null;
}

export interface NetnsHostsState {
  stateDir: string;
  slot: number;
  user: string;
  identityFile: string;
  wrongIdentityFile: string;
  encryptedIdentityFile: string;
  passphraseFile: string;
  knownHosts: string;
  knownHostsHashed: string;
  sshConfig: string;
  bridgeAddress: string;
  /** An address on the harness's network where no host listens. */
  unreachableAddress: string;
  hosts: NetnsHost[];
}

/** Reads STATE_DIR/hosts.json as the harness last wrote it. */
export function readNetnsHostsState(stateDir: string): NetnsHostsState {
  return JSON.parse(readFileSync(path.join(stateDir, 'hosts.json'), 'utf8')) as NetnsHostsState;
}
