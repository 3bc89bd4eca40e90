import type { Fleet } from '@tcpmem/schema';
import type { FleetModel } from '../fleet/fleet-model';
import { createKernelLookup } from '../memo';
import { planFleet } from '../plan-fleet';
import { computeEach, planHost } from '../plan-host';
import { kernelForHardware } from './kernel-for-hardware';

/** Builds a fleet model from one fleet document, as the loader would from a single file. */
function fleetOf(doc: Omit<Fleet, 'kind'>): FleetModel {
  const file = 'fleet.yaml';
  const named = <T>(key: string, entries: Record<string, T | undefined> | undefined) =>
    new Map(Object.entries(entries ?? {}).map(([name, value]) => [name, { name, value: value as T, origin: { file, pointer: `/${key}/${name}` } }]));
  return {
    name: doc.name,
    files: [file],
    defaults: doc.defaults === undefined ? undefined : { name: 'defaults', value: doc.defaults, origin: { file, pointer: '/defaults' } },
    presets: named('presets', doc.presets),
    groups: named('groups', doc.groups),
    hosts: [...named('hosts', doc.hosts).values()],
    facts: new Map(),
  };
}

const rx = { flowRate: '40Gbit', rtt: '2ms', flows: 200, direction: 'receive' as const };
const fleet = fleetOf({
  defaults: { hardware: { kernel: '6.12', memory: '64GiB', cpus: 16 }, sysctls: { 'net.ipv4.tcp_rmem': { max: { atLeast: '16MiB' } } } },
  presets: { small: { source: 'test', sysctls: { 'net.ipv4.tcp_mem': ['3%', '4%', '6%'] } } },
  groups: {
    rx: { workload: rx },
    big: { sysctls: { 'net.ipv4.tcp_mem': ['3%', '4%', '6%'] } },
    preset: { presets: ['small'] },
    own: { workload: rx, sysctls: { 'net.ipv4.tcp_rmem': { max: '32MiB' } } },
    send: { workload: { ...rx, direction: 'send' } },
    dc: {},
  },
  hosts: {
    'rx-1': { groups: ['rx'] },
    'rx-2': { groups: ['big', 'rx'] },
    'rx-3': { groups: ['rx', 'big'] },
    'rx-4': { groups: ['rx'], sysctls: { 'net.ipv4.tcp_rmem': { max: 20000000 } } },
    'rx-5': { groups: ['own'] },
    'rx-6': { groups: ['preset', 'rx'] },
    'rx-7': { groups: ['dc', 'rx'] },
    'tx-1': { groups: ['send'] },
    'same-1': { groups: ['rx'], sysctls: {}, workload: rx },
    'web-1': {},
  },
});

/** Each host's TCPMEM_WORKLOAD_OVERRIDDEN warnings: the sysctl named, and where the warning is located. */
function overrides(plan: { problems: readonly { code: string; message: string; path?: string }[] }): string[] {
  return plan.problems.filter((p) => p.code === 'TCPMEM_WORKLOAD_OVERRIDDEN').map((p) => `${/would set (\S+)/.exec(p.message)?.[1] ?? ''} ${p.path ?? ''}`);
}

describe('checkWorkloadOverrides: a broader setting that beats a workload is a located warning', () => {
  const together = planFleet(fleet, {
    mode: 'offline',
    createdAt: '2026-01-01T00:00:00Z',
    tcpmemVersion: 'test',
    configPath: 'fleet.yaml',
    digest: undefined,
    observations: new Map(),
    kernelFor: createKernelLookup(),
    hostIndexes: fleet.hosts.map((_h, i) => i),
    problems: [],
  });
  const byName = new Map(together.hosts.map((h) => [h.name, h]));

  it.each([
    ['rx-1', 'defaults\' tcp_rmem beats group rx\'s workload', ['net.ipv4.tcp_rmem /groups/rx/workload']],
    ['rx-2', 'group big, listed before rx, beats its tcp_mem too', ['net.ipv4.tcp_rmem /groups/rx/workload', 'net.ipv4.tcp_mem /groups/rx/workload']],
    ['rx-3', 'group big, listed after rx, sets tcp_mem as meant', ['net.ipv4.tcp_rmem /groups/rx/workload']],
    ['rx-4', 'the host\'s own tcp_rmem is meant', []],
    ['rx-5', 'a tcp_rmem at the workload\'s own level is meant', []],
    ['rx-6', 'a preset of an earlier group is broader', ['net.ipv4.tcp_rmem /groups/rx/workload', 'net.ipv4.tcp_mem /groups/rx/workload']],
    ['rx-7', 'a group that sets nothing changes nothing', ['net.ipv4.tcp_rmem /groups/rx/workload']],
    ['tx-1', 'a send-only workload derives no tcp_rmem', []],
    ['same-1', 'the host\'s own workload: defaults\' tcp_rmem still beats it', ['net.ipv4.tcp_rmem /hosts/same-1/workload']],
    ['web-1', 'no workload, nothing to override', []],
  ])('%s: %s', (name, _why, expected) => {
    expect(overrides(byName.get(name)!)).toEqual(expected);
  });

  it('names the workload, the setting, where it was set and both values', () => {
    const [warning] = byName.get('rx-1')!.problems;
    expect(warning).toEqual({
      code: 'TCPMEM_WORKLOAD_OVERRIDDEN',
      severity: 'warning',
      message: 'the group rx workload (200 flows × 40Gbit × 2ms RTT) would set net.ipv4.tcp_rmem to 4096 131072 20000000, but defaults sets it at /defaults/sysctls/net.ipv4.tcp_rmem/max, which wins: 4096 131072 16777216 is planned',
      hint: 'A setting wins over any workload, and a narrower level cannot unset it: to let the workload size net.ipv4.tcp_rmem, move the setting from defaults to the groups or hosts that want it, or set net.ipv4.tcp_rmem in group rx to the value you want.',
      file: 'fleet.yaml',
      path: '/groups/rx/workload',
    });
  });

  it('gives every host, planned together with one memo, what planning it alone without one gives', () => {
    fleet.hosts.forEach((_host, index) => {
      expect(together.hosts[index]).toEqual(planHost(fleet, index, undefined, (hardware) => kernelForHardware(hardware), computeEach));
    });
  });
});
