/**
 * The SSH test hosts (test-hosts/netns-hosts.sh: network namespaces, each with its own OpenSSH sshd and fresh
 * keys) for the provider's integration tests, and a view of a host that does not go through tcpmem: live values
 * read with `ip netns exec`, tcpmem's file read from the host's sysctl folder.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { netnsHostsScript, readNetnsHostsState, type NetnsHost, type NetnsHostsState } from '../../../../test-hosts/netns-hosts-state';

export type TestHost = NetnsHost;
export type TestHostsState = NetnsHostsState;

const harness = netnsHostsScript;

export class TestHosts {
  readonly state: TestHostsState;
  private readonly work: string;
  private readonly stateDir: string;

  private constructor(count: number) {
    this.work = mkdtempSync('/tmp/tcpmem-pulumi-it-');
    chmodSync(this.work, 0o755); // sshd reads authorized_keys below it as the deploy user
    this.stateDir = path.join(this.work, 'state');
    execFileSync(harness, ['up', String(count), this.stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.state = readNetnsHostsState(this.stateDir);
  }

  /** Brings up `count` hosts (the last one, from two on, listens on port 2222). */
  static up(count: number): TestHosts {
    return new TestHosts(count);
  }

  down(): void {
    try {
      execFileSync(harness, ['down', this.stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    } finally {
      rmSync(this.work, { recursive: true, force: true });
    }
  }

  host(name: string): TestHost {
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

  /** Writes a live value the way an operator would, out of band. */
  setLive(name: string, sysctl: string, value: string): void {
    this.inHost(name, `echo '${value}' > /proc/sys/${sysctl.replace(/\./g, '/')}`);
  }

  /** tcpmem's file on the host, or undefined when there is none. */
  tcpmemFile(name: string): string | undefined {
    try {
      return readFileSync(path.join(this.host(name).sysctlDir, '99-tcpmem.conf'), 'utf8');
    } catch {
      return undefined;
    }
  }

  removeTcpmemFile(name: string): void {
    rmSync(path.join(this.host(name).sysctlDir, '99-tcpmem.conf'));
  }

  /** The public host key sshd serves, as in its .pub file. */
  hostKey(name: string): string {
    return readFileSync(this.host(name).hostKeyFile, 'utf8').trim();
  }

  /** Runs a harness sub-command on a host (readonly-sysctl-dir h1 on, …). */
  run(...args: string[]): void {
    execFileSync(harness, [...args, this.stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}
