import type { Fleet, Problem } from '@tcpmem/schema';
import type { FleetModel } from '../fleet/fleet-model';
import { layerHost, type GroupLevels, type LayeredSysctls, type ShareLayers } from './layer-settings';

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

describe('layerHost', () => {
  const fleet = fleetOf({
    defaults: {
      ssh: { user: 'deploy', port: 22 },
      hardware: { kernel: '6.1', memory: '8GiB', cpus: 4 },
      sysctls: { 'net.ipv4.tcp_rmem': { max: '16MiB' }, 'net.core.somaxconn': 1024 },
    },
    presets: { big: { source: 'test', sysctls: { 'net.core.somaxconn': 2048, 'net.core.rmem_max': '64MiB' } } },
    groups: {
      a: { sysctls: { 'net.ipv4.tcp_rmem': { min: 8192 }, 'net.core.somaxconn': 4096 }, ssh: { port: 2222 } },
      b: { presets: ['big'], sysctls: { 'net.core.somaxconn': 8192 }, hardware: { nodes: ['4GiB', '4GiB'] } },
    },
    hosts: {
      ab: { address: 'ab.example', groups: ['a', 'b'] },
      ba: { address: 'ba.example', groups: ['b', 'a'], sysctls: { 'net.ipv4.tcp_rmem': [4096, 131072, '8MiB'] } },
      lone: { groups: ['nope'] },
    },
  });

  it('applies groups in the order the host lists them, then the host', () => {
    const ab = layerHost(fleet, 0, []);
    const ba = layerHost(fleet, 1, []);
    expect(ab.sysctls.get('net.core.somaxconn')?.expr).toBe(8192);
    expect(ab.sysctls.get('net.core.somaxconn')?.setBy).toBe('group b');
    expect(ba.sysctls.get('net.core.somaxconn')?.expr).toBe(4096);
    expect(ba.sysctls.get('net.core.somaxconn')?.setBy).toBe('group a');
  });

  it('merges the object form of a triple field by field across levels, and remembers where each field came from', () => {
    const ab = layerHost(fleet, 0, []);
    const rmem = ab.sysctls.get('net.ipv4.tcp_rmem')!;
    expect(rmem.expr).toEqual({ max: '16MiB', min: 8192 });
    expect(rmem.origins['max']).toEqual({ file: 'fleet.yaml', pointer: '/defaults/sysctls/net.ipv4.tcp_rmem/max' });
    expect(rmem.origins['min']).toEqual({ file: 'fleet.yaml', pointer: '/groups/a/sysctls/net.ipv4.tcp_rmem/min' });
  });

  it('lets an array replace the whole triple', () => {
    expect(layerHost(fleet, 1, []).sysctls.get('net.ipv4.tcp_rmem')?.expr).toEqual([4096, 131072, '8MiB']);
  });

  it('applies a level\'s presets before its own sysctls', () => {
    const ab = layerHost(fleet, 0, []);
    expect(ab.sysctls.get('net.core.rmem_max')?.setBy).toBe('preset big (group b)');
    expect(ab.sysctls.get('net.core.somaxconn')?.expr).toBe(8192);
  });

  it('merges ssh and hardware field by field; nodes replace memory', () => {
    const ab = layerHost(fleet, 0, []);
    expect(ab.ssh).toEqual({ user: 'deploy', port: 2222 });
    expect(ab.hardware).toEqual({ kernel: '6.1', cpus: 4, nodes: ['4GiB', '4GiB'] });
    // In the order spreading the levels gives (the kernel lookup keys hardware by its JSON).
    expect(Object.keys(ab.hardware)).toEqual(['kernel', 'cpus', 'nodes']);
  });

  it('reports an unknown group at the host\'s groups entry and goes on', () => {
    const problems: Problem[] = [];
    const lone = layerHost(fleet, 2, problems);
    expect(problems).toEqual([expect.objectContaining({ code: 'TCPMEM_UNKNOWN_GROUP', path: '/hosts/lone/groups/0' })]);
    expect(lone.sysctls.get('net.core.somaxconn')?.expr).toBe(1024);
  });
});

describe('layerHost with shared levels', () => {
  const fleet = fleetOf({
    defaults: { ssh: { user: 'deploy' }, hardware: { kernel: '6.1', memory: '8GiB' }, sysctls: { 'net.core.somaxconn': 1024 } },
    groups: {
      a: { sysctls: { 'net.core.somaxconn': 4096 }, ssh: { port: 2222 } },
      w: { workload: { flowRate: '1Gbit', rtt: '10ms', flows: 4 }, hardware: { nodes: ['4GiB', '4GiB'] } },
      dc: {},
    },
    hosts: {
      'a-1': { groups: ['a', 'dc'] },
      'a-2': { groups: ['a', 'dc'], ssh: { user: 'ops' }, hardware: { memory: '16GiB' } },
      'a-3': { groups: ['a', 'dc'], sysctls: { 'net.core.somaxconn': 8192 }, workload: { flowRate: '10Gbit', rtt: '1ms', flows: 1 } },
      'aw-1': { groups: ['a', 'w', 'a'] },
      'aw-2': { groups: ['a', 'w', 'a', 'nope'] },
      'w-1': { groups: ['w'], sysctls: { 'net.core.rmem_max': '16MiB' } },
    },
  });
  const indexes = fleet.hosts.map((_host, i) => i);

  /** A ShareLayers that keeps one result per key, as the plan memo does, and counts what it computes. */
  function sharing() {
    const sysctls = new Map<string, LayeredSysctls>();
    const groups = new Map<string, GroupLevels>();
    const counts = { sysctls: 0, groups: 0 };
    const share: ShareLayers = {
      sysctls: (key, layer) => sysctls.get(key) ?? (counts.sysctls++, sysctls.set(key, layer()).get(key)!),
      groups: (key, merge) => groups.get(key) ?? (counts.groups++, groups.set(key, merge()).get(key)!),
    };
    return { share, counts };
  }

  it('gives every host, layered with shared levels, exactly what it gets alone, problems included', () => {
    const { share, counts } = sharing();
    for (const index of indexes) {
      const sharedProblems: Problem[] = [];
      const aloneProblems: Problem[] = [];
      expect(layerHost(fleet, index, sharedProblems, share)).toEqual(layerHost(fleet, index, aloneProblems));
      expect(sharedProblems).toEqual(aloneProblems);
    }
    // [a, dc] for three hosts, [a, w, a], [a, w, a, nope] and [w]: one merge for each distinct list.
    expect(counts.groups).toBe(4);
  });

  it('puts the host\'s own ssh, hardware and workload over the shared levels', () => {
    const { share } = sharing();
    const [a1, a2, a3] = [0, 1, 2].map((index) => layerHost(fleet, index, [], share));
    expect(a1!.ssh).toEqual({ user: 'deploy', port: 2222 });
    expect(a2!.ssh).toEqual({ user: 'ops', port: 2222 });
    expect(a2!.hardware).toEqual({ kernel: '6.1', memory: '16GiB' });
    expect(a2!.hardwareOrigin).toEqual({ file: 'fleet.yaml', pointer: '/hosts/a-2/hardware' });
    expect(a1!.hardwareOrigin).toEqual({ file: 'fleet.yaml', pointer: '/defaults/hardware' });
    expect(a3!.workload?.setBy).toBe('host a-3');
    expect([...a3!.workload!.broaderLevels]).toEqual(['defaults', 'group a', 'group dc']);
    expect(a1!.workload).toBeUndefined();
  });

  it('names in the settings key the levels that set sysctls and how many of them are broader than the workload', () => {
    const { share } = sharing();
    const key = (index: number) => layerHost(fleet, index, [], share).settingsKey;
    expect(key(0)).toBe('defaults\0group a||0');
    expect(key(2)).toBe('defaults\0group a\0host a-3|host a-3|2');
    // A group listed again after the workload's group is still broader than it: it is the same group.
    expect(key(3)).toBe('defaults\0group a\0group a|group w|3');
    expect(key(4)).toBe(key(3));
    expect(key(5)).toBe('defaults\0host w-1|group w|1');
  });
});
