import path from 'node:path';
import { createKernelLookup, loadFleet, planFleet, planHost } from '../src';
import { createPlanMemo } from '../src/memo/plan-memo';
import { computeEach, type PlanMemo } from '../src/plan-host';
import { kernelForHardware } from '../src/resolve/kernel-for-hardware';

/**
 * planFleet shares work between hosts (plan-memo.ts): the layering of the same levels, the resolution of the
 * same settings on the same kernel. Sharing must never change what a host gets: every host of this fleet is
 * planned together and alone, and the two must be equal.
 */
const load = loadFleet(path.join(__dirname, 'shared-plans', 'fleet.yaml'));
const fleet = load.fleet!;
const indexes = fleet.hosts.map((_host, i) => i);

function planTogether() {
  return planFleet(fleet, {
    mode: 'offline',
    createdAt: '2026-01-01T00:00:00Z',
    tcpmemVersion: 'test',
    configPath: 'fleet.yaml',
    digest: undefined,
    observations: new Map(),
    kernelFor: createKernelLookup(),
    hostIndexes: indexes,
    problems: [],
  });
}

describe('hosts planned together share work, never results', () => {
  it('loads', () => {
    expect(load.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(fleet.hosts).toHaveLength(16);
  });

  it('gives every host exactly what planning it alone gives', () => {
    const together = planTogether();
    for (const index of indexes) {
      const alone = planHost(fleet, index, undefined, createKernelLookup(), createPlanMemo());
      expect(together.hosts[index]).toEqual(alone);
    }
  });

  it('gives every host exactly what the pure planner gives (no memo, a kernel model computed afresh for each host)', () => {
    const together = planTogether();
    for (const index of indexes) {
      const pure = planHost(fleet, index, undefined, (hardware) => kernelForHardware(hardware), computeEach);
      expect(together.hosts[index]).toEqual(pure);
    }
  });

  it('keeps what is a host\'s own: its unknown group, its own sysctls, its facts', () => {
    const byName = new Map(planTogether().hosts.map((h) => [h.name, h]));
    expect(byName.get('web-6')?.problems.map((p) => p.code)).toEqual(['TCPMEM_UNKNOWN_GROUP']);
    expect(byName.get('web-1')?.problems).toEqual([]);
    expect(byName.get('web-7')?.changes.find((c) => c.sysctl === 'net.core.somaxconn')?.after).toEqual([1024]);
    expect(byName.get('web-1')?.changes.find((c) => c.sysctl === 'net.core.somaxconn')?.after).toEqual([4096]);
    // web-9's facts: a raised somaxconn is kept, a tw_buckets no kernel can hold is not believed.
    const web9 = byName.get('web-9')!;
    expect(web9.source).toBe('facts');
    expect(web9.changes.find((c) => c.sysctl === 'net.core.somaxconn')?.after).toEqual([65535]);
    expect(web9.problems.map((p) => [p.code, p.path])).toEqual([['TCPMEM_FACTS_VALUE', '/facts/sysctls/net.ipv4.tcp_max_tw_buckets']]);
    expect(web9.changes.find((c) => c.sysctl === 'net.ipv4.tcp_max_tw_buckets')?.before).toEqual(byName.get('web-1')?.changes.find((c) => c.sysctl === 'net.ipv4.tcp_max_tw_buckets')?.before);
    // A group's problems are the same for each of its hosts, located at the group.
    for (const name of ['odd-1', 'odd-2']) expect(byName.get(name)?.problems.map((p) => p.code).sort()).toEqual(['TCPMEM_TRIPLE_ORDER', 'TCPMEM_UNKNOWN_PRESET']);
  });

  it('resolves each distinct (kernel, settings) once', () => {
    const memo = createPlanMemo();
    let resolved = 0;
    let layered = 0;
    let merged = 0;
    let plannedOnDefaults = 0;
    const counting: PlanMemo = {
      ...memo,
      layers: {
        sysctls: (key, layer) => memo.layers.sysctls(key, () => ((layered += 1), layer())),
        groups: (key, merge) => memo.layers.groups(key, () => ((merged += 1), merge())),
      },
      resolution: (kernel, key, resolve) => memo.resolution(kernel, key, () => ((resolved += 1), resolve())),
      onDefaults: (kernel, key, plan) => memo.onDefaults(kernel, key, () => ((plannedOnDefaults += 1), plan())),
    };
    const kernelFor = createKernelLookup();
    for (const index of indexes) planHost(fleet, index, undefined, kernelFor, counting);
    // web-1/-3/-6 share one (6.1, 8 GiB, web); web-2 and web-9 differ only by a group without sysctls but web-9 has
    // facts (its own kernel entry); web-4 (cpus), web-5 (memory), web-7 (own sysctls), web-8 (kernel) are their
    // own; bulk-1/-2/-3 share one; odd-1/-2 share one; plain-1/-2 share one.
    const distinct = ['web-1 web-2 web-3 web-6', 'web-4', 'web-5', 'web-7', 'web-8', 'web-9', 'bulk-*', 'odd-*', 'plain-*'];
    expect(resolved).toBe(distinct.length);
    expect(layered).toBeLessThan(fleet.hosts.length);
    expect(merged).toBe(new Set(fleet.hosts.map((host) => JSON.stringify(host.value.groups ?? []))).size);
    expect(merged).toBeLessThan(fleet.hosts.length);
    // What the settings plan on the kernel's defaults, once for each of those but web-9 (its facts are its own)
    // and odd-* (invalid: their errors stop them before).
    expect(plannedOnDefaults).toBe(distinct.length - 2);
  });
});
