import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../run-cli';
import { CliTestHosts } from './cli-test-hosts';

/**
 * `tcpmem discover` then `tcpmem plan --offline` plans exactly what a live `tcpmem plan` plans for the same,
 * unchanged hosts: five network namespaces with their own sshd (test-hosts/netns-hosts.sh), where tcp_mem is not
 * in /proc/sys. Compared host by host and setting by setting, through the real binary.
 */
let hosts: CliTestHosts;

interface PlanJson {
  mode: string;
  hosts: { name: string; status: string; source: string; changes: { sysctl: string; action: string; before: number[] | null; after: number[] | null; kernelDefault?: number[] }[]; problems: { code: string; severity: string; path?: string }[] }[];
}

beforeAll(() => {
  hosts = new CliTestHosts(5, '/tmp/tcpmem-offline-live-');
  hosts.writeFleet({ sysctls: ['net.ipv4.tcp_rmem: { max: 2x }', 'net.ipv4.tcp_mem: [3%, 4%, 6%]', 'net.core.somaxconn: { atLeast: 8192 }'] });
}, 180_000);

afterAll(() => hosts.down(), 120_000);

function plan(...args: string[]): { status: number | null; plan: PlanJson } {
  const run = runCli(['plan', path.join(hosts.configDir, 'fleet.yaml'), '--json', ...args]);
  return { status: run.status, plan: JSON.parse(run.stdout) as PlanJson };
}

/** What a plan says it would do on each host: every setting's action and values, and the problem codes. */
const perHost = (p: PlanJson) =>
  Object.fromEntries(
    p.hosts.map((h) => [
      h.name,
      {
        status: h.status,
        changes: h.changes.map((c) => ({ sysctl: c.sysctl, action: c.action, before: c.before, after: c.after, kernelDefault: c.kernelDefault })),
        problems: h.problems.map((pr) => [pr.code, pr.severity, pr.path]),
      },
    ]),
  );

describe('an offline plan from discovered facts', () => {
  let offline: PlanJson;
  let live: PlanJson;

  beforeAll(() => {
    const run = runCli(['discover', path.join(hosts.configDir, 'fleet.yaml'), '--json']);
    expect(run.status).toBe(0);
    offline = plan('--offline').plan;
    live = plan().plan;
  }, 180_000);

  it('records in each facts file which sysctls the host lacks and its network namespace', () => {
    for (const host of hosts.state.hosts) {
      const facts = JSON.parse(fs.readFileSync(path.join(hosts.configDir, 'facts', `${host.name}.json`), 'utf8')) as { facts: { missingSysctls?: string[]; netns?: string; sysctls?: Record<string, string> } };
      expect(facts.facts.missingSysctls).toContain('net.ipv4.tcp_mem');
      expect(facts.facts.sysctls).not.toHaveProperty(['net.ipv4.tcp_mem']);
      const inode = execFileSync('ip', ['netns', 'exec', host.namespace, 'readlink', '/proc/self/ns/net'], { encoding: 'utf8' }).trim();
      expect(facts.facts.netns).toBe(inode);
    }
  });

  it('is planned from facts, and the live one live', () => {
    expect(offline.hosts.map((h) => h.source)).toEqual(hosts.state.hosts.map(() => 'facts'));
    expect(live.hosts.map((h) => h.source)).toEqual(hosts.state.hosts.map(() => 'live'));
  });

  it.each(['h1', 'h2', 'h3', 'h4', 'h5'])('plans on %s exactly what the live plan plans, setting by setting', (name) => {
    const want = perHost(live)[name];
    expect(want).toBeDefined();
    expect(perHost(offline)[name]).toEqual(want);
  });

  it('leaves tcp_mem alone with TCPMEM_SYSCTL_NOT_ON_HOST on every host, offline as live', () => {
    for (const p of [offline, live]) {
      for (const host of p.hosts) {
        expect(host.changes.map((c) => c.sysctl)).toEqual(['net.core.somaxconn', 'net.ipv4.tcp_rmem']);
        expect(host.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_SYSCTL_NOT_ON_HOST', severity: 'warning', path: '/defaults/sysctls/net.ipv4.tcp_mem' })]);
      }
    }
  });
});
