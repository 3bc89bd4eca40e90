import fs from 'node:fs';
import path from 'node:path';
import { NetnsHosts } from '../../../../test-hosts/netns-hosts-state';

/** How a test's fleet file differs from the plain one: its settings, the SSH connect timeout, extra host lines. */
export interface FleetSpec {
  readonly sysctls: readonly string[];
  readonly connectTimeout?: string;
  /** YAML lines appended under `hosts:` (a host that does not exist, say). */
  readonly extraHosts?: string;
}

/**
 * The CLI's integration hosts: `count` network namespaces with their own sshd (test-hosts/netns-hosts.sh) in a
 * fresh folder that also holds the config folder, and the fleet file that reaches them as the deploy user.
 */
export class CliTestHosts extends NetnsHosts {
  /** `WORK/config`: where the tests write fleet.yaml and where `discover` writes facts/. */
  readonly configDir: string;

  constructor(count: number, tmpPrefix: string) {
    super(count, tmpPrefix);
    this.configDir = path.join(this.work, 'config');
    fs.mkdirSync(this.configDir);
  }

  /** The `defaults.ssh` line every test fleet uses: the harness's user, key and known_hosts. */
  sshDefaults(connectTimeout = '3s'): string {
    return `  ssh: { user: ${this.state.user}, identityFile: ${this.state.identityFile}, knownHostsFile: ${this.state.knownHosts}, connectTimeout: ${connectTimeout} }`;
  }

  /** Writes `CONFIG/fleet.yaml`: every harness host, the given default settings; returns its path. */
  writeFleet(spec: FleetSpec): string {
    const file = path.join(this.configDir, 'fleet.yaml');
    const hosts = this.state.hosts.map((h) => `  ${h.name}: { address: ${h.address}, ssh: { port: ${h.port} } }`);
    const lines = ['kind: fleet', 'defaults:', this.sshDefaults(spec.connectTimeout), '  sysctls:', ...spec.sysctls.map((s) => `    ${s}`), 'hosts:', ...hosts];
    fs.writeFileSync(file, [...lines, spec.extraHosts ?? '', ''].join('\n'));
    return file;
  }
}
