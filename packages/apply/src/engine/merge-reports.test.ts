import { hostsInShard } from '@tcpmem/plan';
import type * as schema from '@tcpmem/schema';
import { offlinePlan } from '../../test/offline-plan';
import { modelExecutor } from '../model/model-executor';
import { applyPlan } from './apply-plan';
import { mergeApplyReports } from './merge-reports';

/** A dry-run apply of the hosts of an example that `keep` selects. */
async function dryRun(example: string, keep: Parameters<typeof offlinePlan>[1]): Promise<schema.ApplyReport> {
  return applyPlan(offlinePlan(example, keep), modelExecutor(), { tcpmemVersion: 'test', onEvent: () => undefined }) as Promise<schema.ApplyReport>;
}

/** What may differ between runs: clocks, and the digest of the plan document each run applied. */
function withoutTimes(report: schema.ApplyReport): unknown {
  return {
    ...report,
    startedAt: 0,
    finishedAt: 0,
    durationMs: 0,
    plan: { ...report.plan, digest: 0 },
    hosts: report.hosts.map((h) => ({ ...h, durationMs: 0 })),
  };
}

describe('mergeApplyReports', () => {
  it.each([
    ['mixed-fleet', 2],
    ['transfer-cluster', 3],
  ])('joins the dry runs of the %s shards (%i) into the report of the whole fleet', async (example, count) => {
    const whole = await dryRun(example, (hosts) => hosts);
    const parts = [];
    for (let i = 1; i <= count; i++) parts.push({ file: `shard-${i}.json`, report: await dryRun(example, (hosts) => hostsInShard(hosts, { index: i, count })) });
    expect(parts.filter((p) => p.report.hosts.length > 0).length).toBeGreaterThan(1);
    const merged = mergeApplyReports(parts.reverse());
    if (!merged.ok) throw new Error(merged.problems.map((p) => p.message).join('\n'));
    expect(withoutTimes(merged.report)).toEqual(withoutTimes(whole));
    expect(merged.report.startedAt <= merged.report.finishedAt).toBe(true);
  });

  it('refuses a host in two reports, and reports of another config or executor', async () => {
    const a = await dryRun('web-fleet', (hosts) => hosts);
    const merged = mergeApplyReports([
      { file: 'a.json', report: a },
      { file: 'b.json', report: { ...a, hosts: a.hosts.slice(0, 1) } },
      { file: 'c.json', report: { ...a, executor: 'ssh', plan: { ...a.plan, configPath: 'other' }, hosts: [] } },
    ]);
    expect(merged.ok ? [] : merged.problems.map((p) => p.message)).toEqual([
      `host ${a.hosts[0]!.host} is in both a.json and b.json`,
      'c.json applied other, but a.json web-fleet',
      'c.json applied with the ssh executor, but a.json with model',
    ]);
  });

  it('keeps every shard\'s accepted host keys, and an interruption of any shard with all its hosts under way', async () => {
    const whole = await dryRun('mixed-fleet', (hosts) => hosts);
    const [first, second] = [whole.hosts.slice(0, 1), whole.hosts.slice(1)];
    const key = (host: string) => ({ host, address: host, port: 22, keyType: 'ssh-ed25519', fingerprint: `SHA256:${host}`, file: '/k' });
    const merged = mergeApplyReports([
      { file: 'a.json', report: { ...whole, hosts: first, acceptedHostKeys: [key('a')], interrupted: { signal: 'SIGINT', elapsedMs: 5, hostsRunning: ['x'] } } },
      { file: 'b.json', report: { ...whole, hosts: second, acceptedHostKeys: [key('b')], interrupted: { signal: 'SIGINT', elapsedMs: 7, hostsRunning: ['y'], forced: true } } },
    ]);
    if (!merged.ok) throw new Error(merged.problems.map((p) => p.message).join('\n'));
    expect(merged.report.acceptedHostKeys).toEqual([key('a'), key('b')]);
    expect(merged.report.interrupted).toEqual({ signal: 'SIGINT', elapsedMs: 5, hostsRunning: ['x', 'y'], forced: true });
    const plain = mergeApplyReports([{ file: 'a.json', report: { ...whole, hosts: first } }, { file: 'b.json', report: { ...whole, hosts: second } }]);
    expect(plain.ok && plain.report.interrupted === undefined && plain.report.acceptedHostKeys === undefined).toBe(true);
  });
});
