/**
 * What `netns-hosts.sh up N STATE_DIR` describes in STATE_DIR/hosts.json (its write_hosts_json), typed once for
 * every package's integration tests (the script rewrites the file after each sub-command that changes a host), and
 * `NetnsHosts`: hosts brought up in a fresh folder, their sub-commands, and a view of a host that does not go
 * through tcpmem (live values through `ip netns exec`, tcpmem's file read from the host's sysctl folder).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * Test hosts in a fresh folder of their own (`up`), down and removed with it (`down`). A package's integration
 * tests extend it with what only they need.
 */
export class NetnsHosts {
  state: NetnsHostsState;
  /** The fresh folder (searchable by the deploy user) that holds STATE_DIR; tests may write files there. */
  readonly work: string;
  readonly stateDir: string;

  /** Brings up `count` hosts (the last one, from two on, listens on port 2222) in a new folder `${tmpPrefix}XXXXXX`. */
  protected constructor(count: number, tmpPrefix: string) {
    this.work = mkdtempSync(tmpPrefix);
    chmodSync(this.work, 0o755); // sshd reads authorized_keys below it as the deploy user
    this.stateDir = path.join(this.work, 'state');
    execFileSync(netnsHostsScript, ['up', String(count), this.stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.state = readNetnsHostsState(this.stateDir);
  }

  down(): void {
    try {
      execFileSync(netnsHostsScript, ['down', this.stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    } finally {
      rmSync(this.work, { recursive: true, force: true });
    }
  }

  /** Runs a harness sub-command (kill-sshd h1, readonly-sysctl-dir h2 on, …) and re-reads hosts.json. */
  run(...args: string[]): void {
    execFileSync(netnsHostsScript, [...args, this.stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.reload();
  }

  reload(): void {
    this.state = readNetnsHostsState(this.stateDir);
  }

  host(name: string): NetnsHost {
    const found = this.state.hosts.find((h) => h.name === name);
    if (found === undefined) throw new Error(`no test host ${name}`);
    return found;
  }

  /** Runs a shell command as root inside a host's network namespace: outside SSH and tcpmem. */
  inHost(name: string, script: string): string {
    return execFileSync('ip', ['netns', 'exec', this.host(name).namespace, 'sh', '-c', script], { encoding: 'utf8' });
  }

  /** A live value, as the kernel prints it (fields joined by one space). */
  live(name: string, sysctl: string): string {
    return this.inHost(name, `cat /proc/sys/${sysctl.replace(/\./g, '/')}`).trim().split(/\s+/).join(' ');
  }

  /** Sets a live value from outside, the way an operator would (a `sysctl -w` that tcpmem did not do). */
  setLive(name: string, sysctl: string, value: string): void {
    this.inHost(name, `printf '%s\\n' '${value}' > /proc/sys/${sysctl.replace(/\./g, '/')}`);
  }

  /** tcpmem's file on the host, or undefined when there is none. */
  tcpmemFile(name: string): string | undefined {
    try {
      return readFileSync(path.join(this.host(name).sysctlDir, '99-tcpmem.conf'), 'utf8');
    } catch {
      return undefined;
    }
  }
}
