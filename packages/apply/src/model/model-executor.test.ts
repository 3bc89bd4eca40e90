import { offlinePlan } from '../../test/offline-plan';
import { applyPlan } from '../engine/apply-plan';
import type { ApplyEvent } from '../engine/apply-events';
import { modelExecutor } from './model-executor';

describe('modelExecutor (--dry-run)', () => {
  it.each(['web-fleet', 'mixed-fleet', 'transfer-cluster'])('applies the %s example to the kernel model: every host ends with the planned values', async (example) => {
    const plan = offlinePlan(example);
    const events: ApplyEvent[] = [];
    const report = await applyPlan(plan, modelExecutor(), { tcpmemVersion: 'test', onEvent: (e) => events.push(e) });
    expect(report.executor).toBe('model');
    expect(report.summary.failed).toBe(0);
    for (const host of plan.hosts.filter((h) => h.status !== 'invalid')) {
      const result = report.hosts.find((r) => r.host === host.name)!;
      for (const change of host.changes.filter((c) => c.action !== 'no-op')) {
        const setting = result.settings.find((s) => s.sysctl === change.sysctl)!;
        expect(setting.after).toEqual(change.after);
      }
      if (host.changes.some((c) => c.action === 'create' || c.action === 'update')) expect(result.file?.action).toBe('written');
    }
    expect(events.some((e) => e.type === 'host-started')).toBe(plan.summary.hostsWithChanges > 0);
  });

  it("enforces the kernel's acceptance rules: a value the kernel would refuse rolls the host back, naming the element and the rule", async () => {
    const plan = offlinePlan('web-fleet');
    const host = plan.hosts.find((h) => h.changes.some((c) => c.action !== 'no-op'))!;
    host.changes.push({ sysctl: 'net.ipv4.tcp_rmem', action: 'create', before: [4096, 131072, 6291456], after: [0, 131072, 6291456], unit: 'bytes', reason: 'crafted' });
    const report = await applyPlan(plan, modelExecutor(), { tcpmemVersion: 'test' });
    const result = report.hosts.find((r) => r.host === host.name)!;
    expect(result).toMatchObject({ status: 'failed', state: 'rolled-back', failure: { stage: 'write', code: 'TCPMEM_APPLY_KERNEL_REJECTED', sysctl: 'net.ipv4.tcp_rmem' } });
    expect(result.failure?.message).toMatch(/EINVAL on element 0 \(min\)/);
    expect(result.settings.find((s) => s.sysctl === 'net.ipv4.tcp_rmem')?.outcome).toBe('rejected');
  });
});
