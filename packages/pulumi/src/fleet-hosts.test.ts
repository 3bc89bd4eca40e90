import path from 'node:path';
import { createKernelLookup, planFleet, planHost, selectHosts } from '@tcpmem/plan';
import type { Fleet } from '@tcpmem/schema';
import { FleetConfigError, fleetHostInputs, inlineFleetFile, loadFleetConfig } from './fleet-hosts';
import { gateInputs } from './gate-inputs';
import { oneHostFleet } from './one-host-fleet';

const examples = path.resolve(__dirname, '../../../examples');

function loaded(config: string | Fleet) {
  const load = loadFleetConfig(config);
  if (!load.ok) throw new FleetConfigError(load.problems);
  return load.fleet;
}

describe('fleetHostInputs', () => {
  it('gives every host with an address its layered settings, flattened into the schema\'s forms', () => {
    const hosts = fleetHostInputs(loaded(path.join(examples, 'mixed-fleet/fleet.yaml')));
    const app1 = hosts.find((h) => h.name === 'debian-app-1');
    expect(app1).toEqual({
      name: 'debian-app-1',
      inputs: {
        hostName: 'debian-app-1',
        address: '198.51.100.20',
        ssh: { user: 'ops', sudo: true },
        hardware: { kernel: '6.12.57-amd64', memory: '16GiB', cpus: 8, transparentHugepage: 'always' },
        sysctls: {
          // defaults' { max: 2x } replaced by the group's preset (an array replaces), somaxconn from the defaults
          'net.ipv4.tcp_rmem': [4096, 87380, 33554432],
          'net.ipv4.tcp_wmem': [4096, 65536, 33554432],
          'net.core.somaxconn': { atLeast: 4096 },
          'net.core.rmem_max': 67108864,
          'net.core.wmem_max': 67108864,
        },
      },
    });
  });

  it('skips a host without an address, saying why', () => {
    expect(fleetHostInputs(loaded(path.join(examples, 'mixed-fleet/fleet.yaml')))).toContainEqual({ name: 'planned-edge', skipped: expect.stringContaining('no address') });
  });

  it('plans each host through its inputs exactly as tcpmem plan plans the fleet', () => {
    const fleet = loaded(path.join(examples, 'web-fleet'));
    const kernelFor = createKernelLookup();
    const cli = planFleet(fleet, { mode: 'offline', createdAt: 'now', tcpmemVersion: 't', configPath: 'x', digest: undefined, observations: new Map(), kernelFor, hostIndexes: selectHosts(fleet, [], []).indexes, problems: [] });
    for (const host of fleetHostInputs(fleet)) {
      if ('skipped' in host) continue;
      const gate = gateInputs(host.inputs);
      expect(gate.ok).toBe(true);
      const mine = planHost(oneHostFleet(host.inputs), 0, undefined, kernelFor);
      const theirs = cli.hosts.find((h) => h.name === host.name)!;
      const values = (changes: typeof mine.changes) => changes.map((c) => [c.sysctl, c.action, c.after]);
      expect(values(mine.changes)).toEqual(values(theirs.changes));
    }
  });

  it('plans the Pulumi example\'s fleet file offline, every host with changes', () => {
    const hosts = fleetHostInputs(loaded(path.join(examples, 'pulumi/tcpmem')));
    expect(hosts.map((h) => h.name)).toEqual(['web-1', 'web-2']);
    for (const host of hosts) {
      if ('skipped' in host) throw new Error(host.skipped);
      const plan = planHost(oneHostFleet(host.inputs), 0, undefined, createKernelLookup());
      expect(plan.status).toBe('ok');
      expect(plan.changes.filter((c) => c.action === 'create').map((c) => c.sysctl)).toEqual(['net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
    }
  });

  it('selects hosts by name or group, like --target', () => {
    expect(fleetHostInputs(loaded(path.join(examples, 'web-fleet')), ['cache']).map((h) => h.name)).toEqual(['cache-1', 'cache-2']);
  });

  it('refuses a target that names nothing', () => {
    expect(() => fleetHostInputs(loaded(path.join(examples, 'web-fleet')), ['nope'])).toThrow(/TCPMEM_PULUMI_TARGET: no host or group is named "nope"/);
  });

  it('refuses targets that select no host (a group with none left), as --target does, instead of declaring none', () => {
    const fleet = loaded({ kind: 'fleet', groups: { retired: {} }, hosts: { a: { address: 'a.example' } } });
    expect(() => fleetHostInputs(fleet, ['retired'])).toThrow(/TCPMEM_PULUMI_TARGET: no host is selected by targets "retired": none of the fleet's 1 host is in them/);
    expect(fleetHostInputs(loaded({ kind: 'fleet', hosts: {} }), [])).toEqual([]);
  });

  it('refuses an unknown group, naming where it is', () => {
    const fleet = loaded({ kind: 'fleet', hosts: { a: { address: 'a.example', groups: ['nope'] } } });
    expect(() => fleetHostInputs(fleet)).toThrow(`${inlineFleetFile}: error TCPMEM_UNKNOWN_GROUP: host "a" is in group "nope", which is not defined (at /hosts/a/groups/0)`);
  });
});

describe('loadFleetConfig', () => {
  it('refuses includes in a fleet object (they are relative to a file)', () => {
    expect(loadFleetConfig({ kind: 'fleet', include: ['hosts/'] })).toMatchObject({ ok: false, problems: [{ code: 'TCPMEM_PULUMI_INCLUDE', file: inlineFleetFile, path: '/include' }] });
  });
});
