import type { Change, HostPlan, Plan } from '@tcpmem/schema';
import type { ApplyEvent } from './apply-events';
import type { HostApplyResult } from './apply-report';
import { applyPlan, maxFailCount, parseMaxFail } from './apply-plan';
import type { CheckOutcome, Executor, HostTask } from './executor';
import { UnsafePlanError } from './host-work';
import { RunInterrupt } from './run-interrupt';

const create: Change = { sysctl: 'net.core.somaxconn', action: 'create', before: [4096], after: [8192], unit: 'count', reason: 'test' };
const hostPlan = (name: string, extra: Partial<HostPlan> = {}): HostPlan => ({
  name,
  address: `10.0.0.${name.replace(/\D/g, '')}`,
  status: 'ok',
  source: 'live',
  groups: [],
  kernel: { release: '6.1.0-26-amd64', series: '6.1' },
  observed: { fingerprint: `sha256:${name}`, release: '6.1.0-26-amd64', sysctls: { 'net.core.somaxconn': '4096' } },
  changes: [create],
  problems: [],
  ...extra,
});
const plan = (hosts: HostPlan[]): Plan => ({
  kind: 'plan',
  formatVersion: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  mode: 'live',
  config: { path: 'fleet.yaml', files: ['fleet.yaml'] },
  summary: { hosts: hosts.length, hostsWithChanges: hosts.length, create: hosts.length, update: 0, delete: 0, noop: 0, unreachable: 0, invalid: 0 },
  hosts,
});
const hosts = (n: number) => Array.from({ length: n }, (_, i) => hostPlan(`h${i + 1}`));

/** An executor that fails the hosts it is told to, and records what it did. */
function fakeExecutor(outcomes: Record<string, HostApplyResult['status']> = {}, stale: string[] = []) {
  const applied: string[] = [];
  const checked: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const executor: Executor = {
    kind: 'ssh',
    check(task: HostTask): Promise<CheckOutcome> {
      checked.push(task.plan.name);
      return Promise.resolve(stale.includes(task.plan.name) ? { fresh: false, stale: [{ sysctl: 'net.core.somaxconn', where: 'live', planned: '4096', now: '1024' }] } : { fresh: true });
    },
    async apply(task, emit) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      emit({ type: 'host-started', host: task.plan.name });
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      applied.push(task.plan.name);
      const status = outcomes[task.plan.name] ?? 'applied';
      return { host: task.plan.name, status, state: status === 'applied' ? 'changed' : 'untouched', settings: [], warnings: [], durationMs: 5 };
    },
  };
  return { executor, applied, checked, maxInFlight: () => maxInFlight };
}

const run = async (p: Plan, executor: Executor, options: Partial<Parameters<typeof applyPlan>[2]> = {}) => {
  const events: ApplyEvent[] = [];
  const report = await applyPlan(p, executor, { tcpmemVersion: 'test', onEvent: (e) => events.push(e), ...options });
  return { report, events };
};

describe('applyPlan', () => {
  it('applies every host with changes, at most `parallelism` at once, and reports in plan order', async () => {
    const fake = fakeExecutor();
    const { report, events } = await run(plan(hosts(10)), fake.executor, { parallelism: 3 });
    expect(report.summary).toMatchObject({ hosts: 10, applied: 10 });
    expect(report.hosts.map((h) => h.host)).toEqual(hosts(10).map((h) => h.name));
    expect(fake.maxInFlight()).toBe(3);
    expect(events[0]).toMatchObject({ type: 'run-started', hostsToChange: 10, parallelism: 3 });
    expect(events.at(-1)?.type).toBe('run-done');
    expect(events.filter((e) => e.type === 'host-done')).toHaveLength(10);
  });

  it('does not contact hosts with nothing to do, invalid hosts, hosts unreachable or not read live when planned', async () => {
    const fake = fakeExecutor();
    const p = plan([
      hostPlan('h1', { changes: [{ ...create, action: 'no-op', before: [8192] }], observed: { fingerprint: 'x', sysctls: {}, persisted: { 'net.core.somaxconn': '8192' } } }),
      hostPlan('h2', { status: 'invalid', changes: [] }),
      hostPlan('h3', { status: 'unreachable' }),
      hostPlan('h4', { source: 'model' }),
      hostPlan('h5'),
    ]);
    const { report } = await run(p, fake.executor);
    expect(fake.applied).toEqual(['h5']);
    expect(report.hosts.map((h) => [h.host, h.status])).toEqual([['h1', 'unchanged'], ['h2', 'skipped'], ['h3', 'unreachable'], ['h4', 'skipped'], ['h5', 'applied']]);
    expect(report.hosts[3]?.skipped).toMatch(/kernel model, not read live/);
  });

  it('stops at the canary batch when one of its hosts fails', async () => {
    const fake = fakeExecutor({ h2: 'failed' });
    const { report, events } = await run(plan(hosts(9)), fake.executor, { batchSize: 3 });
    expect(fake.applied.sort()).toEqual(['h1', 'h2', 'h3']);
    expect(report.summary).toMatchObject({ applied: 2, failed: 1, skipped: 6 });
    expect(report.hosts[5]?.skipped).toMatch(/canary batch/);
    expect(events.filter((e) => e.type === 'batch-started')).toMatchObject([{ canary: true }]);
  });

  it('goes batch after batch when the canary passes', async () => {
    const fake = fakeExecutor({ h5: 'failed' });
    const { report, events } = await run(plan(hosts(9)), fake.executor, { batchSize: 3 });
    expect(report.summary).toMatchObject({ applied: 8, failed: 1 });
    expect(events.filter((e) => e.type === 'batch-started')).toHaveLength(3);
  });

  it('starts no new host once more than --max-fail hosts failed', async () => {
    const fake = fakeExecutor({ h1: 'failed', h2: 'unreachable', h3: 'failed' });
    const { report } = await run(plan(hosts(10)), fake.executor, { parallelism: 1, maxFail: { count: 1 } });
    expect(fake.applied).toEqual(['h1', 'h2']);
    expect(report.summary).toMatchObject({ failed: 1, unreachable: 1, skipped: 8 });
    expect(report.hosts[2]?.skipped).toMatch(/--max-fail 1 was passed/);
  });

  it('refuses a saved plan as a whole when any host is stale, before applying anything', async () => {
    const fake = fakeExecutor({}, ['h3']);
    const { report, events } = await run(plan(hosts(4)), fake.executor, { checkFirst: true });
    expect(fake.checked.sort()).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(fake.applied).toEqual([]);
    expect(report.refused?.staleHosts.map((s) => s.host)).toEqual(['h3']);
    expect(report.refused?.reason).toMatch(/h3: net\.core\.somaxconn \(live value: planned from 4096, now 1024\)/);
    expect(events.some((e) => e.type === 'run-refused')).toBe(true);
    expect(report.summary).toMatchObject({ applied: 0, skipped: 4 });
  });

  it('refuses a plan with a name or value it could not write safely, before contacting any host', async () => {
    const fake = fakeExecutor();
    const bad = plan([hostPlan('h1'), hostPlan('h2', { changes: [{ ...create, sysctl: 'kernel.modprobe' }] })]);
    await expect(run(bad, fake.executor)).rejects.toThrow(UnsafePlanError);
    expect(fake.applied).toEqual([]);
  });
});

describe('applyPlan, what it must report', () => {
  describe('interrupted (Ctrl-C)', () => {
    it.each([
      ['once', 1, undefined],
      ['twice', 2, true],
    ])('starts no host after the signal (%s), waits for the one under way, and says so in the report', async (_what, times, forced) => {
      const fake = fakeExecutor();
      const interrupt = new RunInterrupt();
      const events: ApplyEvent[] = [];
      let stopSeen: boolean | undefined;
      const executor: Executor = {
        ...fake.executor,
        async apply(task, emit, stop) {
          // the signal comes while h2 is under way
          if (task.plan.name === 'h2') for (let i = 0; i < times; i++) interrupt.interrupt('SIGINT');
          stopSeen = stop?.stopped;
          return await fake.executor.apply(task, emit);
        },
      };
      const report = await applyPlan(plan(hosts(4)), executor, { tcpmemVersion: 'test', parallelism: 1, interrupt, onEvent: (e) => events.push(e) });
      expect(fake.applied).toEqual(['h1', 'h2']);
      expect(stopSeen).toBe(times === 2);
      expect(report.hosts.map((h) => [h.host, h.status])).toEqual([['h1', 'applied'], ['h2', 'applied'], ['h3', 'skipped'], ['h4', 'skipped']]);
      expect(report.hosts[2]?.skipped).toBe('not started: the run was interrupted (SIGINT)');
      expect(report.interrupted).toEqual({ signal: 'SIGINT', elapsedMs: expect.any(Number) as number, hostsRunning: ['h2'], ...(forced === undefined ? {} : { forced }) });
      expect(events.flatMap((e) => (e.type === 'run-interrupted' ? [e.forced] : []))).toEqual(times === 1 ? [false] : [false, true]);
      expect(events.at(-1)?.type).toBe('run-done');
    });

    it('skips the rest of the hosts of a saved plan when interrupted while checking it', async () => {
      const fake = fakeExecutor();
      const interrupt = new RunInterrupt();
      const executor: Executor = {
        ...fake.executor,
        check(task, emit) {
          interrupt.interrupt('SIGTERM');
          return fake.executor.check(task, emit);
        },
      };
      const { report } = await run(plan(hosts(3)), executor, { checkFirst: true, parallelism: 1, interrupt });
      expect(fake.checked).toEqual(['h1']);
      expect(fake.applied).toEqual([]);
      expect(report.summary).toMatchObject({ skipped: 3 });
      expect(report.interrupted).toMatchObject({ signal: 'SIGTERM', hostsRunning: [] });
    });
  });

  it('reports host keys accepted while planning and while applying, as events and in the report', async () => {
    const fake = fakeExecutor();
    const key = (host: string) => ({ host, address: `10.0.0.${host.slice(1)}`, port: 22, keyType: 'ssh-ed25519', fingerprint: `SHA256:${host}`, file: '/k' });
    const executor: Executor = {
      ...fake.executor,
      async apply(task, emit) {
        if (task.plan.name === 'h2') emit({ type: 'host-key-accepted', ...key('h2') });
        return await fake.executor.apply(task, emit);
      },
    };
    const { report, events } = await run(plan(hosts(2)), executor, { acceptedHostKeys: [key('h1')] });
    expect(report.acceptedHostKeys).toEqual([key('h1'), key('h2')]);
    expect(events.filter((e) => e.type === 'host-key-accepted')).toEqual([expect.objectContaining(key('h1')), expect.objectContaining(key('h2'))]);
    const none = await run(plan(hosts(1)), fakeExecutor().executor);
    expect(none.report.acceptedHostKeys).toBeUndefined();
  });

  it('reports a host unreachable when planned with the transport\'s code and words, a changed host key also as a warning', async () => {
    const message = 'ssh 10.0.0.3:22: HOST KEY CHANGED for 10.0.0.3: … Refusing to connect.';
    const p = plan([hostPlan('h3', { status: 'unreachable', unreachable: { code: 'HOST_KEY_CHANGED', message } }), hostPlan('h4', { status: 'unreachable', source: 'none', changes: [], unreachable: { code: 'CONNECT_REFUSED', message: 'refused' } })]);
    const { report, events } = await run(p, fakeExecutor().executor);
    expect(report.hosts.map((h) => [h.host, h.status, h.failure?.code])).toEqual([['h3', 'unreachable', 'HOST_KEY_CHANGED'], ['h4', 'unreachable', 'CONNECT_REFUSED']]);
    expect(report.hosts[0]?.failure?.message).toContain('Refusing to connect (when the plan was made');
    expect(report.hosts[0]?.warnings).toEqual([message]);
    expect(report.hosts[1]?.warnings).toEqual([]);
    expect(events.flatMap((e) => (e.type === 'host-unreachable' ? [e.code] : []))).toEqual(['HOST_KEY_CHANGED', 'CONNECT_REFUSED']);
  });
});

describe('--max-fail', () => {
  it.each([
    ['0', { count: 0 }],
    ['3', { count: 3 }],
    ['10%', { percent: 10 }],
    [' 5 % ', { percent: 5 }],
    ['-1', undefined],
    ['150%', undefined],
    ['x', undefined],
  ])('parses %j', (text, expected) => {
    expect(parseMaxFail(text)).toEqual(expected);
  });

  it('counts a share of the hosts to change, rounded down', () => {
    expect(maxFailCount({ percent: 10 }, 25)).toBe(2);
    expect(maxFailCount({ count: 4 }, 25)).toBe(4);
    expect(maxFailCount(undefined, 25)).toBeUndefined();
  });
});
