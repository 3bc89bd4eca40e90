/**
 * apply against real sshd in network namespaces (test-hosts/netns-hosts.sh): several hosts in parallel,
 * idempotence, restoring a setting that left the config, a stale saved plan refused as a whole, a host that
 * changes between its plan and its transaction, a whole-host setting the namespace does not have. Needs root.
 */
import { writeFileSync } from 'node:fs';
import type { Plan } from '@tcpmem/schema';
import { applyPlan, sshExecutor, type ApplyEvent, type ApplyReport, type HostApplyResult } from '../../src';
import { Harness, planLive } from './harness';

let h: Harness;
const HOSTS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
beforeAll(() => {
  h = Harness.up(HOSTS.length);
}, 120_000);
afterAll(() => {
  h.down();
}, 120_000);

async function run(plan: Plan, checkFirst = false): Promise<{ report: ApplyReport; events: ApplyEvent[] }> {
  const events: ApplyEvent[] = [];
  const report = await applyPlan(plan, sshExecutor({ connectTimeoutMs: 3_000 }), { tcpmemVersion: 'test', checkFirst, onEvent: (e) => events.push(e) });
  return { report, events };
}
const result = (report: ApplyReport, host: string): HostApplyResult => report.hosts.find((x) => x.host === host)!;
/** A saved plan is a file: what apply gets back is JSON, not the planner's objects. */
const saved = (plan: Plan): Plan => JSON.parse(JSON.stringify(plan)) as Plan;

const web = { 'net.core.somaxconn': 8192, 'net.ipv4.tcp_max_syn_backlog': 8192, 'net.ipv4.tcp_wmem': { max: 8388608 } };
const bulk = { 'net.ipv4.tcp_rmem': [4096, 262144, 16777216], 'net.ipv4.tcp_wmem': [4096, 262144, 16777216], 'net.ipv4.tcp_limit_output_bytes': 2097152 };

describe('a fleet of six hosts', () => {
  let config: string;

  it('applies to every host in parallel: live values written and read back, one tcpmem file each', async () => {
    config = h.fleet('fleet.json', { h1: web, h2: web, h3: web, h4: bulk, h5: bulk, h6: bulk });
    const plan = await planLive(config);
    expect(plan.summary.hostsWithChanges).toBe(6);
    const { report, events } = await run(saved(plan));

    expect(report.summary).toMatchObject({ hosts: 6, applied: 6, failed: 0, unreachable: 0 });
    for (const name of ['h1', 'h2', 'h3']) {
      expect(h.live(name, 'net.core.somaxconn')).toBe('8192');
      expect(h.live(name, 'net.ipv4.tcp_wmem').split(' ')[2]).toBe('8388608');
      const file = h.tcpmemFile(name)!;
      expect(file).toMatch(/^# Managed by tcpmem: do not edit/);
      expect(file).toContain('net.core.somaxconn = 8192\n');
      expect(file).toContain('net.ipv4.tcp_max_syn_backlog = 8192\n');
      expect(file).toMatch(/net\.ipv4\.tcp_wmem = \d+ \d+ 8388608\n/);
      // the header names the host and the version, never the plan or a time, so `tcpmem render` prints the same file
      expect(file.split('\n')[1]).toBe(`# host ${name}, tcpmem test`);
      expect(file).not.toContain(report.plan.digest);
    }
    for (const name of ['h4', 'h5', 'h6']) {
      expect(h.live(name, 'net.ipv4.tcp_rmem')).toBe('4096 262144 16777216');
      expect(h.live(name, 'net.ipv4.tcp_limit_output_bytes')).toBe('2097152');
      expect(h.tcpmemFile(name)).toContain('net.ipv4.tcp_limit_output_bytes = 2097152\n');
    }
    // the hosts ran at the same time: every host had started before the first was done
    const firstDone = events.findIndex((e) => e.type === 'host-done');
    expect(events.slice(0, firstDone).filter((e) => e.type === 'host-started')).toHaveLength(6);
    // and each host's events came in the documented order
    const order = events.filter((e) => 'host' in e && e.host === 'h4').map((e) => e.type);
    expect(order).toEqual(['host-started', 'host-read', 'host-prepared', 'host-written', 'host-verified', 'host-persisted', 'host-done']);
  }, 60_000);

  it('is idempotent: planned again, nothing changes; applied again, no host is contacted and nothing is written', async () => {
    const plan = await planLive(config);
    expect(plan.summary).toMatchObject({ hostsWithChanges: 0, create: 0, update: 0, delete: 0 });
    const before = Object.fromEntries(HOSTS.map((n) => [n, h.snapshot(n)]));
    const { report, events } = await run(saved(plan));
    expect(report.summary).toMatchObject({ hosts: 6, unchanged: 6, applied: 0 });
    expect(events.filter((e) => e.type === 'host-started')).toEqual([]);
    for (const n of HOSTS) expect(h.snapshot(n)).toEqual(before[n]);
  }, 60_000);

  it('restores a setting removed from the config to the kernel default and drops its line', async () => {
    // h1 stops managing somaxconn; h4 stops managing everything (its file goes)
    const next = h.fleet('fleet-2.json', { h1: { 'net.ipv4.tcp_max_syn_backlog': 8192, 'net.ipv4.tcp_wmem': { max: 8388608 } }, h2: web, h3: web, h4: {}, h5: bulk, h6: bulk });
    const plan = await planLive(next);
    const h1 = plan.hosts.find((x) => x.name === 'h1')!;
    const restore = h1.changes.find((c) => c.sysctl === 'net.core.somaxconn')!;
    expect(restore).toMatchObject({ action: 'delete', before: [8192] });
    const kernelDefault = restore.after!.join(' ');
    expect(kernelDefault).toBe(restore.kernelDefault!.join(' '));

    const { report } = await run(saved(plan));
    expect(report.summary).toMatchObject({ applied: 2, unchanged: 4 });
    expect(result(report, 'h1').settings.find((s) => s.sysctl === 'net.core.somaxconn')).toMatchObject({ outcome: 'restored', after: restore.after });
    expect(h.live('h1', 'net.core.somaxconn')).toBe(kernelDefault);
    expect(h.tcpmemFile('h1')).not.toContain('somaxconn');
    expect(h.tcpmemFile('h1')).toContain('net.ipv4.tcp_max_syn_backlog = 8192\n');
    // h4: every setting restored, the file removed rather than left empty
    expect(result(report, 'h4').file?.action).toBe('removed');
    expect(h.tcpmemFile('h4')).toBeUndefined();
    for (const c of plan.hosts.find((x) => x.name === 'h4')!.changes) expect(h.live('h4', c.sysctl)).toBe(c.after!.join(' '));
    config = next;
  }, 60_000);

  it('refuses a stale saved plan as a whole, naming the host and the setting, before touching any host', async () => {
    const next = h.fleet('fleet-3.json', { h1: web, h2: { ...web, 'net.core.somaxconn': 16384 }, h3: { ...web, 'net.core.somaxconn': 16384 }, h4: bulk, h5: bulk, h6: bulk });
    const plan = saved(await planLive(next));
    expect(plan.summary.hostsWithChanges).toBe(4);
    // someone changes h3 by hand between plan and apply
    h.setLive('h3', 'net.ipv4.tcp_max_syn_backlog', '4096');
    const before = Object.fromEntries(HOSTS.map((n) => [n, h.snapshot(n)]));

    const { report, events } = await run(plan, true);

    expect(report.refused?.staleHosts).toEqual([{ host: 'h3', settings: [{ sysctl: 'net.ipv4.tcp_max_syn_backlog', where: 'live', planned: '8192', now: '4096' }] }]);
    expect(report.refused?.reason).toMatch(/h3: net\.ipv4\.tcp_max_syn_backlog \(live value: planned from 8192, now 4096\)/);
    expect(events.filter((e) => e.type === 'host-started')).toEqual([]);
    expect(events.some((e) => e.type === 'run-refused')).toBe(true);
    for (const n of HOSTS) expect(h.snapshot(n)).toEqual(before[n]);
    expect(report.summary.applied).toBe(0);
  }, 60_000);

  it('refuses just the host that changed between its plan and its own transaction, and applies the others', async () => {
    const plan = saved(await planLive(h.fleet('fleet-4.json', { h2: { ...web, 'net.core.somaxconn': 16384 }, h3: { ...web, 'net.core.somaxconn': 16384 } })));
    h.setLive('h2', 'net.ipv4.tcp_wmem', '4096 16384 4194304');
    const before = h.snapshot('h2');
    const { report, events } = await run(plan); // not checked first: each transaction checks its own host
    expect(result(report, 'h2')).toMatchObject({ status: 'stale', state: 'untouched', stale: [{ sysctl: 'net.ipv4.tcp_wmem', where: 'live' }] });
    expect(events.some((e) => e.type === 'host-stale' && e.host === 'h2')).toBe(true);
    expect(h.snapshot('h2')).toEqual(before);
    expect(result(report, 'h3').status).toBe('applied');
    expect(h.live('h3', 'net.core.somaxconn')).toBe('16384');
  }, 60_000);

  it('says which whole-host setting a network namespace does not have, and applies the rest', async () => {
    const plan = saved(await planLive(h.fleet('fleet-5.json', { h5: { ...bulk, 'net.ipv4.tcp_mem': [100000, 150000, 200000], 'net.core.somaxconn': 1024 } })));
    const { report, events } = await run(plan);
    const r = result(report, 'h5');
    expect(r.status).toBe('applied');
    expect(r.unavailable).toEqual([{ sysctl: 'net.ipv4.tcp_mem', reason: expect.stringMatching(/not in this host's \/proc\/sys.*network namespace/) as unknown }]);
    expect(report.summary.settingsUnavailable).toBe(1);
    expect(events.some((e) => e.type === 'host-warning' && e.sysctl === 'net.ipv4.tcp_mem')).toBe(true);
    expect(h.tcpmemFile('h5')).not.toContain('tcp_mem');
    expect(h.live('h5', 'net.core.somaxconn')).toBe('1024');
  }, 60_000);

  it('warns that another sysctl file would override tcpmem at boot', async () => {
    writeFileSync(`${h.host('h6').sysctlDir}/zz-local.conf`, 'net.ipv4.tcp_limit_output_bytes = 1048576\n');
    const plan = saved(await planLive(h.fleet('fleet-6.json', { h6: { ...bulk, 'net.ipv4.tcp_limit_output_bytes': 4194304 } })));
    const { report, events } = await run(plan);
    expect(result(report, 'h6').status).toBe('applied');
    expect(result(report, 'h6').warnings.join('\n')).toMatch(/zz-local\.conf also sets net\.ipv4\.tcp_limit_output_bytes .* override/);
    expect(events.some((e) => e.type === 'host-warning' && e.host === 'h6')).toBe(true);
  }, 60_000);
});
