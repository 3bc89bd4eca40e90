import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../run-cli';
import { CliTestHosts } from './cli-test-hosts';

/**
 * `tcpmem apply` and `tcpmem discover` through the real binary against real sshd in network namespaces
 * (test-hosts/netns-hosts.sh): a config applied with --auto-approve, a saved plan refused when stale, the exit
 * codes of a failed and of an unreachable host, --events, and facts written by discover and used offline.
 * No key material ever shows in what tcpmem prints.
 */
let hosts: CliTestHosts;

const live = (host: string, sysctl: string): string => hosts.live(host, sysctl);

const writeFleet = (somaxconn: number, extraHosts = ''): string =>
  hosts.writeFleet({ connectTimeout: '2s', sysctls: ['net.ipv4.tcp_rmem: { max: 8MiB }', `net.core.somaxconn: ${somaxconn}`], extraHosts });

const secretsIn = (text: string): boolean => {
  const key = fs.readFileSync(hosts.state.identityFile, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  return key.some((line) => text.includes(line.slice(0, 32)));
};

beforeAll(() => {
  hosts = new CliTestHosts(3, '/tmp/tcpmem-apply-live-');
}, 120_000);

afterAll(() => hosts.down(), 120_000);

it('applies a config with --auto-approve: values live and persisted on every host, a summary, exit 0', () => {
  const run = runCli(['apply', writeFleet(8192), '--auto-approve']);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/h1, h2, h3 {2}applied: 2 settings; \/etc\/sysctl\.d\/99-tcpmem\.conf written/);
  expect(run.stdout).toMatch(/Apply complete: 3 applied/);
  for (const h of hosts.state.hosts) {
    expect(live(h.name, 'net.core.somaxconn')).toBe('8192');
    expect(live(h.name, 'net.ipv4.tcp_rmem').split(' ')[2]).toBe('8388608');
    expect(fs.readFileSync(path.join(h.sysctlDir, '99-tcpmem.conf'), 'utf8')).toContain('net.core.somaxconn = 8192\n');
  }
  expect(secretsIn(run.stdout + run.stderr)).toBe(false);

  // and again: nothing to do, nobody contacted
  const again = runCli(['apply', writeFleet(8192), '--auto-approve', '--json']);
  expect(again.status).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ summary: { unchanged: 3, applied: 0 } });
});

it('refuses a saved plan when a host changed since (exit 1), naming host and setting, and changes nothing', () => {
  const planFile = path.join(hosts.work, 'plan.json');
  expect(runCli(['plan', writeFleet(4000), '--out', planFile]).status).toBe(0);
  hosts.setLive('h2', 'net.core.somaxconn', '9000');
  const run = runCli(['apply', planFile]);
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/refused: the plan is stale/);
  expect(run.stdout).toMatch(/h2: net\.core\.somaxconn \(live\) planned from 8192, now 9000/);
  expect(live('h1', 'net.core.somaxconn')).toBe('8192');
  expect(live('h3', 'net.core.somaxconn')).toBe('8192');
});

it('applies a fresh saved plan exactly, streaming --events', () => {
  const planFile = path.join(hosts.work, 'plan-2.json');
  expect(runCli(['plan', writeFleet(4000), '--out', planFile]).status).toBe(0);
  const run = runCli(['apply', planFile, '--events']);
  expect(run.status).toBe(0);
  const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; host?: string });
  expect(events.filter((e) => e.type === 'host-checked')).toHaveLength(3);
  expect(events.filter((e) => e.type === 'host-persisted').map((e) => e.host).sort()).toEqual(['h1', 'h2', 'h3']);
  expect(events.at(-1)?.type).toBe('run-done');
  for (const h of hosts.state.hosts) expect(live(h.name, 'net.core.somaxconn')).toBe('4000');
});

it('exits 3 when a host failed (and was left as before), the others applied', () => {
  hosts.run('readonly-sysctl-dir', 'h2', 'on');
  try {
    const run = runCli(['apply', writeFleet(5000), '--auto-approve']);
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/✗ h2 {2}failed at prepare \(nothing was changed\): \/etc\/sysctl\.d is not writable/);
    expect(live('h2', 'net.core.somaxconn')).toBe('4000');
    expect(live('h1', 'net.core.somaxconn')).toBe('5000');
  } finally {
    hosts.run('readonly-sysctl-dir', 'h2', 'off');
  }
});

it('exits 4 when a host cannot be reached, the others applied', () => {
  const run = runCli(['apply', writeFleet(6000, `  lost: { address: ${hosts.state.unreachableAddress}, hardware: { kernel: 6.1.0-26-amd64, memory: 8GiB } }`), '--auto-approve', '--json']);
  expect(run.status).toBe(4);
  const report = JSON.parse(run.stdout) as { summary: { applied: number; unreachable: number }; hosts: { host: string; status: string }[] };
  expect(report.summary).toMatchObject({ applied: 3, unreachable: 1 });
  expect(report.hosts.find((h) => h.host === 'lost')?.status).toBe('unreachable');
});

it('discovers facts into facts/ beside the fleet file, which an offline plan then uses', () => {
  const fleet = writeFleet(6000);
  const run = runCli(['discover', fleet, '--json']);
  expect(run.status).toBe(0);
  const report = JSON.parse(run.stdout) as { factsDir: string; hosts: { host: string; ok: boolean; file: string }[] };
  expect(report.hosts.map((h) => [h.host, h.ok])).toEqual([['h1', true], ['h2', true], ['h3', true]]);
  const facts = JSON.parse(fs.readFileSync(path.join(hosts.configDir, 'facts', 'h1.json'), 'utf8')) as { kind: string; host: string; facts: Record<string, unknown> };
  expect(facts).toMatchObject({ kind: 'facts', host: 'h1', facts: { pageSize: expect.any(Number) as unknown, cpus: expect.any(Number) as unknown } });
  expect((facts.facts['sysctls'] as Record<string, string>)['net.core.somaxconn']).toBe('6000');
  expect(runCli(['validate', path.join(hosts.configDir, 'facts', 'h1.json')]).status).toBe(0);
  const offline = runCli(['plan', fleet, '--offline', '--json']);
  expect(offline.status).toBe(0);
  expect((JSON.parse(offline.stdout) as { hosts: { source: string }[] }).hosts.map((h) => h.source)).toEqual(['facts', 'facts', 'facts']);
  expect(secretsIn(run.stdout + run.stderr)).toBe(false);
  fs.rmSync(path.join(hosts.configDir, 'facts'), { recursive: true });
});

it("stops managing a setting: restores what the host's own sysctl.d file sets at boot, not the kernel default", () => {
  const h1 = hosts.host('h1');
  const local = path.join(h1.sysctlDir, '50-local.conf');
  const limit = 'net.ipv4.tcp_limit_output_bytes';
  fs.writeFileSync(local, `${limit} = 2097152\n`);
  try {
    const managed = hosts.writeFleet({ connectTimeout: '2s', sysctls: [`${limit}: 1048576`] });
    expect(runCli(['apply', managed, '--auto-approve', '--target', 'h1']).status).toBe(0);
    expect(live('h1', limit)).toBe('1048576');

    const dropped = hosts.writeFleet({ connectTimeout: '2s', sysctls: ['net.core.somaxconn: 8192'] });
    const plan = runCli(['plan', dropped, '--target', 'h1', '--json']);
    expect(plan.status).toBe(0);
    const change = (JSON.parse(plan.stdout) as { hosts: { changes: { sysctl: string; action: string; after: number[]; reason: string }[] }[] }).hosts[0]!.changes.find((c) => c.sysctl === limit);
    expect(change).toMatchObject({ action: 'delete', after: [2097152], reason: 'no longer in the config: restore what /etc/sysctl.d/50-local.conf sets at boot and stop managing it' });

    expect(runCli(['apply', dropped, '--auto-approve', '--target', 'h1']).status).toBe(0);
    expect(live('h1', limit)).toBe('2097152');
    expect(fs.readFileSync(path.join(h1.sysctlDir, '99-tcpmem.conf'), 'utf8')).not.toContain(limit);
  } finally {
    fs.rmSync(local, { force: true });
  }
}, 120_000);
