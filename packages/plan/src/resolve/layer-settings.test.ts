import type { Fleet, Problem } from '@tcpmem/schema';
import type { FleetModel } from '../fleet/fleet-model';
import { layerHost } from './layer-settings';

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
  });

  it('reports an unknown group at the host\'s groups entry and goes on', () => {
    const problems: Problem[] = [];
    const lone = layerHost(fleet, 2, problems);
    expect(problems).toEqual([expect.objectContaining({ code: 'TCPMEM_UNKNOWN_GROUP', path: '/hosts/lone/groups/0' })]);
    expect(lone.sysctls.get('net.core.somaxconn')?.expr).toBe(1024);
  });
});
