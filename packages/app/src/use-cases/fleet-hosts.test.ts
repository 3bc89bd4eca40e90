import path from 'node:path';
import { createKernelLookup, planFleet, planHost, selectHosts, type FleetModel } from '@tcpmem/plan';
import { examples } from '../../test/temp-config';
import { fleetHosts, type FlatHost } from './fleet-hosts';
import { loadFleetConfig } from './load-fleet-config';
import { oneHostFleet } from './one-host-fleet';

function fleetOf(example: string): FleetModel {
  const load = loadFleetConfig(path.join(examples, example));
  if (!load.ok) throw new Error(`examples/${example} does not load`);
  return load.fleet;
}

describe('fleetHosts', () => {
  it.each(['web-fleet', 'mixed-fleet', 'transfer-cluster'])('layers every host of examples/%s so that a one-host fleet of it plans as the fleet does', (example) => {
    const fleet = fleetOf(example);
    const kernelFor = createKernelLookup();
    const whole = planFleet(fleet, { mode: 'offline', createdAt: 'now', tcpmemVersion: 't', configPath: 'x', digest: undefined, observations: new Map(), kernelFor, hostIndexes: selectHosts(fleet, [], []).indexes, problems: [] });
    const { hosts, unmatched, problems } = fleetHosts(fleet);
    expect([unmatched, problems]).toEqual([[], []]);
    const flat = hosts.filter((h): h is FlatHost => !('skipped' in h));
    expect(flat.length).toBeGreaterThan(0);
    for (const host of flat) {
      const one = oneHostFleet({ name: host.name, host: { address: host.address, ssh: host.ssh, hardware: host.hardware, sysctls: host.sysctls, ...(host.workload === undefined ? {} : { workload: host.workload }) }, file: '(test)' });
      const values = (plan: ReturnType<typeof planHost>) => plan.changes.map((c) => [c.sysctl, c.action, c.after]);
      expect(values(planHost(one, 0, undefined, kernelFor))).toEqual(values(whole.hosts.find((h) => h.name === host.name)!));
    }
  });

  it('skips a host without an address, saying why', () => {
    expect(fleetHosts(fleetOf('mixed-fleet')).hosts).toContainEqual({ name: 'planned-edge', skipped: expect.stringContaining('no address') });
  });

  it('selects by group and returns the targets that name nothing', () => {
    const selected = fleetHosts(fleetOf('web-fleet'), ['cache', 'nope']);
    expect(selected.hosts.map((h) => h.name)).toEqual(['cache-1', 'cache-2']);
    expect(selected.unmatched).toEqual(['nope']);
  });
});

describe('oneHostFleet', () => {
  it('files the host at the root and its presets at /presetDefinitions/NAME (escaped), sorted naturally', () => {
    const fleet = oneHostFleet({ name: 'h', host: { address: 'a' }, presets: { 'p/10': { source: 's', sysctls: {} }, 'p~2': { source: 's', sysctls: {} } }, file: '(inputs)' });
    expect(fleet.hosts).toEqual([{ name: 'h', value: { address: 'a' }, origin: { file: '(inputs)', pointer: '' } }]);
    expect([...fleet.presets.values()].map((p) => [p.name, p.origin.pointer])).toEqual([
      ['p/10', '/presetDefinitions/p~110'],
      ['p~2', '/presetDefinitions/p~02'],
    ]);
  });
});
