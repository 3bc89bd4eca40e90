import type { Host } from '@tcpmem/schema';
import { createKernelLookup } from '../memo';
import { planFleet, type PlanInputs } from '../plan-fleet';
import type { FleetModel } from './fleet-model';

/** A fleet of these hosts on 6.1 with 8 GiB (defaults: SSH port 22 unless a host or `defaults.ssh` says). */
function fleetOf(hosts: Record<string, Host>, defaultsSsh?: Host['ssh']): FleetModel {
  return {
    name: undefined,
    files: ['fleet.yaml'],
    defaults: { name: 'defaults', value: { hardware: { kernel: '6.1.0-26-amd64', memory: '8GiB' }, sysctls: { 'net.core.somaxconn': 8192 }, ...(defaultsSsh === undefined ? {} : { ssh: defaultsSsh }) }, origin: { file: 'fleet.yaml', pointer: '/defaults' } },
    presets: new Map(),
    groups: new Map(),
    hosts: Object.entries(hosts).map(([name, value]) => ({ name, value, origin: { file: 'fleet.yaml', pointer: `/hosts/${name}` } })),
    facts: new Map(),
  };
}

const inputs = (fleet: FleetModel): PlanInputs => ({
  mode: 'offline',
  createdAt: '2026-12-05T00:00:00Z',
  tcpmemVersion: 'test',
  configPath: 'fleet.yaml',
  digest: undefined,
  observations: new Map(),
  kernelFor: createKernelLookup(),
  hostIndexes: fleet.hosts.map((_, i) => i),
  problems: [],
});

const sameMachine = (fleet: FleetModel): [string, string, string | undefined][] =>
  planFleet(fleet, inputs(fleet)).hosts.flatMap((h) => h.problems.filter((p) => p.code === 'TCPMEM_SAME_MACHINE').map((p): [string, string, string | undefined] => [h.name, p.message, p.path]));

describe('planFleet warns of two host entries for one machine (TCPMEM_SAME_MACHINE)', () => {
  it('on each later entry reached at the same address and port, placed at its address, naming the first', () => {
    const fleet = fleetOf({ 'web-1': { address: '10.0.0.1' }, 'web-2': { address: '10.0.0.1' }, 'web-3': { address: '10.0.0.1', ssh: { port: 22 } }, 'db-1': { address: '10.0.0.9' } });
    expect(sameMachine(fleet)).toEqual([
      ['web-2', "web-2 is reached as web-1 is (10.0.0.1 port 22): two entries for one machine, each applying its own settings over the other's", '/hosts/web-2/address'],
      ['web-3', "web-3 is reached as web-1 is (10.0.0.1 port 22): two entries for one machine, each applying its own settings over the other's", '/hosts/web-3/address'],
    ]);
    const planned = planFleet(fleet, inputs(fleet));
    expect(planned.hosts.map((h) => h.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(planned.hosts.find((h) => h.name === 'web-2')?.problems).toEqual([expect.objectContaining({ severity: 'warning', file: 'fleet.yaml' })]);
  });

  it('with the port and jump host as layered (a host name in another case is the same name)', () => {
    const viaDefaults = fleetOf({ a: { address: 'Node-7.example' }, b: { address: 'node-7.example', ssh: { port: 2222 } }, c: { address: 'node-7.EXAMPLE' } }, { port: 2222 });
    expect(sameMachine(viaDefaults).map(([name, message]) => [name, message.slice(0, message.indexOf(':'))])).toEqual([
      ['b', 'b is reached as a is (node-7.example port 2222)'],
      ['c', 'c is reached as a is (node-7.EXAMPLE port 2222)'],
    ]);
  });

  it('not for one address on other ports, through other jump hosts, or hosts without an address', () => {
    const fleet = fleetOf({
      a: { address: '10.0.0.1' },
      b: { address: '10.0.0.1', ssh: { port: 2222 } },
      c: { address: '10.0.0.1', ssh: { jumpHost: 'bastion-east' } },
      d: { address: '10.0.0.1', ssh: { jumpHost: 'bastion-west' } },
      e: {},
      f: {},
    });
    expect(sameMachine(fleet)).toEqual([]);
  });
});
