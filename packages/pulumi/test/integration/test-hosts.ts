/**
 * The SSH test hosts (test-hosts/netns-hosts.sh: network namespaces, each with its own OpenSSH sshd and fresh
 * keys) for the provider's integration tests: the shared `NetnsHosts` (up, down, sub-commands, live values read
 * with `ip netns exec`, tcpmem's file read from the host's sysctl folder) and what only these tests need.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { NetnsHosts } from '../../../../test-hosts/netns-hosts-state';

export class TestHosts extends NetnsHosts {
  /** Brings up `count` hosts (the last one, from two on, listens on port 2222). */
  static up(count: number): TestHosts {
    return new TestHosts(count, '/tmp/tcpmem-pulumi-it-');
  }

  removeTcpmemFile(name: string): void {
    rmSync(path.join(this.host(name).sysctlDir, '99-tcpmem.conf'));
  }

  /** The public host key sshd serves, as in its .pub file. */
  hostKey(name: string): string {
    return readFileSync(this.host(name).hostKeyFile, 'utf8').trim();
  }
}
