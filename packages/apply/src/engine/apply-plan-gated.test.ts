/**
 * A saved plan checked inside its transactions (an executor that is `gated`): every host is read and prepared
 * under its lock and waits at its gate; COMMIT goes to none until every one is known fresh. The executor here
 * stands in for the transaction (its real one is tested against sshd in test/integration/apply.test.ts and
 * one-connection.test.ts); what is tested is the engine's barrier.
 */
import type { Change, HostPlan, Plan } from '@tcpmem/schema';
import type { ApplyEvent, HostTimings } from './apply-events';
import type { HostApplyResult } from './apply-report';
import { applyPlan, type ApplyOptions } from './apply-plan';
import type { CheckOutcome, Executor, HostTask } from './executor';
import { RunInterrupt } from './run-interrupt';

const create: Change = { sysctl: 'net.core.somaxconn', action: 'create', before: [4096], after: [8192], unit: 'count', reason: 'test' };
const hostPlan = (name: string): HostPlan => ({
  name,
  address: `10.0.0.${name.replace(/\D/g, '')}`,
  status: 'ok',
  source: 'live',
  groups: [],
  kernel: { release: '6.1.0-26-amd64', series: '6.1' },
  observed: { fingerprint: `sha256:${name}`, release: '6.1.0-26-amd64', sysctls: { 'net.core.somaxconn': '4096' } },
  changes: [create],
  problems: [],
});
const plan = (n: number): Plan => {
  const hosts = Array.from({ length: n }, (_, i) => hostPlan(`h${i + 1}`));
  return {
    kind: 'plan',
    formatVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    mode: 'live',
    config: { path: 'fleet.yaml', files: ['fleet.yaml'] },
    summary: { hosts: n, hostsWithChanges: n, create: n, update: 0, delete: 0, noop: 0, unreachable: 0, invalid: 0 },
    hosts,
  };
};

const staleSetting = { sysctl: 'net.core.somaxconn', where: 'live' as const, planned: '4096', now: '1024' };

/**
 * A gated executor: each host "reads" (a stale one ends there, untouched), waits at its gate, and commits only
 * when let through. It records what was checked on a connection of its own, what was committed, and how many
 * hosts had arrived at their gates when the first COMMIT went out.
 */
function gatedExecutor(stale: string[] = [], unreachable: string[] = [], onGate?: (host: string) => void) {
  const checked: string[] = [];
  const committed: string[] = [];
  let atGate = 0;
  let atGateWhenFirstCommitted: number | undefined;
  const result = (host: string, status: HostApplyResult['status'], extra: Partial<HostApplyResult> = {}): HostApplyResult => ({ host, status, state: status === 'applied' ? 'changed' : 'untouched', settings: [], warnings: [], durationMs: 5, ...extra });
  const executor: Executor = {
    kind: 'ssh',
    gated: true,
    check(task: HostTask): Promise<CheckOutcome> {
      checked.push(task.plan.name);
      return Promise.resolve(stale.includes(task.plan.name) ? { fresh: false, stale: [staleSetting] } : { fresh: true });
    },
    async apply(task, emit, _stop, gate) {
      const host = task.plan.name;
      emit({ type: 'host-started', host });
      await new Promise((resolve) => setTimeout(resolve, 2 + Number(host.slice(1))));
      if (unreachable.includes(host)) {
        emit({ type: 'host-unreachable', host, code: 'CONNECT_REFUSED', message: 'refused' });
        return result(host, 'unreachable', { failure: { stage: 'connect', code: 'CONNECT_REFUSED', message: 'refused' } });
      }
      emit({ type: 'host-read', host, fresh: !stale.includes(host) });
      if (stale.includes(host)) return result(host, 'stale', { stale: [staleSetting] });
      emit({ type: 'host-prepared', host, recorded: [] });
      if (gate !== undefined) {
        atGate += 1;
        onGate?.(host);
        if (!(await gate())) return result(host, 'skipped', { skipped: 'withdrawn' });
      }
      atGateWhenFirstCommitted ??= atGate;
      committed.push(host);
      return result(host, 'applied');
    },
    timingsOf: (host): HostTimings => ({ reused: false, connectMs: 1, readMs: Number(host.slice(1)), commitMs: 3 }),
    drain: () => Promise.resolve(Object.fromEntries(committed.map((h) => [h, 1]))),
  };
  return { executor, checked, committed, atGateWhenFirstCommitted: () => atGateWhenFirstCommitted };
}

const run = async (p: Plan, executor: Executor, options: Partial<ApplyOptions> = {}) => {
  const events: ApplyEvent[] = [];
  const report = await applyPlan(p, executor, { tcpmemVersion: 'test', checkFirst: true, parallelism: 16, onEvent: (e) => events.push(e), ...options });
  return { report, events };
};

describe('a saved plan checked inside its transactions', () => {
  it('sends COMMIT to no host before every host is known fresh, and needs no connection of its own to check', async () => {
    const fake = gatedExecutor();
    const { report, events } = await run(plan(5), fake.executor);
    expect(fake.checked).toEqual([]);
    expect(fake.atGateWhenFirstCommitted()).toBe(5);
    expect(fake.committed.sort()).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);
    expect(report.summary).toMatchObject({ applied: 5 });
    expect(report.refused).toBeUndefined();
    // the check, then the run: check-started, a host-checked per host, then batch-started and the hosts' own events
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'host-checked')).toHaveLength(5);
    expect(types.indexOf('check-started')).toBeLessThan(types.indexOf('batch-started'));
    expect(types.lastIndexOf('host-checked')).toBeLessThan(types.indexOf('host-started'));
    expect(types.slice(-2)).toEqual(['sessions-closed', 'run-done']);
  });

  it.each([
    ['h3', ['h3'], []],
    ['h1 and h4 (an unreachable h2 besides)', ['h1', 'h4'], ['h2']],
  ])('refuses the plan as a whole when %s is stale under its lock: no host is sent COMMIT, and only the check is told', async (_which, stale, unreachable) => {
    const fake = gatedExecutor(stale, unreachable);
    const { report, events } = await run(plan(5), fake.executor);
    expect(fake.committed).toEqual([]);
    expect(report.refused?.staleHosts.map((s) => s.host)).toEqual(stale);
    expect(report.refused?.reason).toMatch(/the plan is stale/);
    expect(report.summary).toMatchObject({ applied: 0, skipped: 5 });
    expect(events.filter((e) => e.type === 'host-started' || e.type === 'host-done')).toEqual([]);
    expect(events.filter((e) => e.type === 'host-checked' && !e.fresh).map((e) => 'host' in e && e.host).sort()).toEqual([...stale, ...unreachable].sort());
    expect(events.some((e) => e.type === 'run-refused')).toBe(true);
  });

  it('reports an unreachable host and applies the others when none is stale', async () => {
    const fake = gatedExecutor([], ['h2']);
    const { report, events } = await run(plan(3), fake.executor);
    expect(fake.committed.sort()).toEqual(['h1', 'h3']);
    expect(report.summary).toMatchObject({ applied: 2, unreachable: 1 });
    expect(events.filter((e) => e.type === 'host-unreachable').map((e) => 'host' in e && e.host)).toEqual(['h2']);
  });

  it('withdraws every host before COMMIT when interrupted while the hosts are being checked', async () => {
    const interrupt = new RunInterrupt();
    const fake = gatedExecutor([], [], (host) => {
      if (host === 'h1') interrupt.interrupt('SIGINT');
    });
    const { report } = await run(plan(3), fake.executor, { interrupt });
    expect(fake.committed).toEqual([]);
    expect(report.summary).toMatchObject({ applied: 0, skipped: 3 });
    expect(report.interrupted).toMatchObject({ signal: 'SIGINT' });
    expect(report.hosts[0]?.skipped).toBe('not started: the run was interrupted (SIGINT)');
  });

  it.each([
    ['more hosts than --parallelism', { parallelism: 2 }],
    ['batches', { batchSize: 2 }],
  ])('checks on connections of their own first when the hosts cannot all wait at once (%s)', async (_why, options) => {
    const fake = gatedExecutor(['h3']);
    const { report } = await run(plan(4), fake.executor, options);
    expect(fake.checked.sort()).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(fake.committed).toEqual([]);
    expect(report.refused?.staleHosts.map((s) => s.host)).toEqual(['h3']);
  });

  it('carries each contacted host\'s per-phase timings on its host-done', async () => {
    const fake = gatedExecutor();
    const { events } = await run(plan(2), fake.executor, { checkFirst: false });
    const done = events.flatMap((e) => (e.type === 'host-done' ? [[e.host, e.timings]] : []));
    expect(done.sort()).toEqual([
      ['h1', { reused: false, connectMs: 1, readMs: 1, commitMs: 3 }],
      ['h2', { reused: false, connectMs: 1, readMs: 2, commitMs: 3 }],
    ]);
    expect(events.find((e) => e.type === 'sessions-closed')).toMatchObject({ closeMs: { h1: 1, h2: 1 } });
  });
});
