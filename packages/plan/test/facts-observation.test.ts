import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostPlan } from '@tcpmem/schema';
import { createKernelLookup, loadFleet, planFleet, planHost, type FleetModel } from '../src';
import { computeEach } from '../src/plan-host';
import { kernelForHardware } from '../src/resolve/kernel-for-hardware';

/**
 * Offline from facts, a host is observed as its discovered values (plan-host.ts, `factsObservation`): a plan reads
 * them by the kernel's managed sysctls, but what it reports follows the facts: the problems of values the kernel
 * refuses, in the facts' order, and sysctls the facts both list and call missing, added in the facts' order.
 */
const facts = (host: string, sysctls: Record<string, string>, missingSysctls?: string[]) =>
  JSON.stringify({ kind: 'facts', host, capturedAt: '2026-11-20T10:00:00Z', facts: { release: '6.1.0-26-amd64', sysctls, ...(missingSysctls === undefined ? {} : { missingSysctls }) } });

// Unmanaged sysctls with texts no managed sysctl would take, as a discovery records them: never read.
const unmanaged = { 'net.ipv4.tcp_fastopen_key': '00000000-00000000-00000000-00000000', 'net.ipv4.tcp_allowed_congestion_control': 'reno cubic', 'vm.lowmem_reserve_ratio': '256\t256\t32\t0' };

function fleetOf(files: Record<string, string>): FleetModel {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-facts-observation-'));
  fs.mkdirSync(path.join(dir, 'facts'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  try {
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(load.problems).toEqual([]);
    return load.fleet!;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fleet = fleetOf({
  'fleet.yaml': 'kind: fleet\ndefaults:\n  hardware: { kernel: 6.1.0-26-amd64, memory: 8GiB, cpus: 4 }\n  sysctls:\n    net.core.somaxconn: { atLeast: 1024 }\nhosts:\n  plain: {}\n  refused: {}\n  missing: {}\n  hand-edited: {}\n',
  // The kernel's order puts tcp_max_tw_buckets before somaxconn, and tcp_max_orphans before somaxconn: these are the other way round.
  'facts/plain.json': facts('plain', { 'net.core.somaxconn': '2048', ...unmanaged, 'net.ipv4.tcp_rmem': '4096\t131072\t6291456' }),
  'facts/refused.json': facts('refused', { 'net.core.somaxconn': '4294967296', ...unmanaged, 'net.ipv4.tcp_max_tw_buckets': '4294967296', 'net.ipv4.tcp_max_orphans': '5000' }),
  'facts/missing.json': facts('missing', { 'net.core.somaxconn': '1000', ...unmanaged, 'net.ipv4.tcp_max_orphans': '5000' }, ['net.core.somaxconn', 'net.ipv4.tcp_max_orphans']),
  'facts/hand-edited.json': facts('hand-edited', { 'net.core.somaxconn': '1 2', 'net.ipv4.tcp_rmem': '4096 x 1', 'net.ipv4.tcp_max_orphans': '1.5' }),
});

function planned(): Map<string, HostPlan> {
  const inputs = { mode: 'offline' as const, createdAt: 'now', tcpmemVersion: 'test', configPath: 'fleet.yaml', digest: undefined, observations: new Map(), problems: [] };
  return new Map(planFleet(fleet, { ...inputs, kernelFor: createKernelLookup(), hostIndexes: fleet.hosts.map((_, i) => i) }).hosts.map((host) => [host.name, host]));
}

describe('a host observed from its facts', () => {
  const hosts = planned();
  const defaultNames = [...hosts.values()].map((host) => Object.keys(host.observed?.sysctls ?? {})).find((names) => names.length > 3) ?? [];

  it('takes the discovered values of the sysctls tcpmem manages, in the kernel defaults\' order, and ignores the rest', () => {
    const plain = hosts.get('plain')!;
    expect(plain.problems).toEqual([]);
    expect(Object.keys(plain.observed?.sysctls ?? {})).toEqual(defaultNames);
    expect(defaultNames.indexOf('net.ipv4.tcp_max_tw_buckets')).toBeLessThan(defaultNames.indexOf('net.core.somaxconn'));
    expect(plain.observed?.sysctls).toMatchObject({ 'net.core.somaxconn': '2048', 'net.ipv4.tcp_rmem': '4096 131072 6291456' });
    expect(Object.keys(plain.observed?.sysctls ?? {})).not.toContain('net.ipv4.tcp_fastopen_key');
  });

  it('reports the values the kernel refuses in the facts\' order, keeps the default for them, and takes the others', () => {
    const refused = hosts.get('refused')!;
    expect(refused.problems.map((p) => [p.code, p.path])).toEqual([
      ['TCPMEM_FACTS_VALUE', '/facts/sysctls/net.core.somaxconn'],
      ['TCPMEM_FACTS_VALUE', '/facts/sysctls/net.ipv4.tcp_max_tw_buckets'],
    ]);
    expect(refused.observed?.sysctls['net.core.somaxconn']).toBe(hosts.get('hand-edited')?.observed?.sysctls['net.core.somaxconn']);
    expect(refused.observed?.sysctls['net.ipv4.tcp_max_orphans']).toBe('5000');
    expect(Object.keys(refused.observed?.sysctls ?? {})).toEqual(defaultNames);
  });

  it('adds a sysctl the facts list and also call missing after the defaults, in the facts\' order', () => {
    const missing = hosts.get('missing')!;
    const names = Object.keys(missing.observed?.sysctls ?? {});
    expect(names.slice(-2)).toEqual(['net.core.somaxconn', 'net.ipv4.tcp_max_orphans']);
    expect(names.slice(0, -2)).toEqual(defaultNames.filter((name) => name !== 'net.core.somaxconn' && name !== 'net.ipv4.tcp_max_orphans'));
    expect(missing.problems.map((p) => p.code)).toEqual(['TCPMEM_SYSCTL_NOT_ON_HOST']);
  });

  it('does not believe texts that are no value of the sysctl\'s shape', () => {
    const edited = hosts.get('hand-edited')!;
    expect(edited.problems).toEqual([]);
    expect(Object.keys(edited.observed?.sysctls ?? {})).toEqual(defaultNames);
    expect(edited.observed?.sysctls['net.core.somaxconn']).not.toBe('1 2');
  });

  it('is what the pure planner observes (no memo, a kernel model computed afresh for each host)', () => {
    fleet.hosts.forEach((host, index) => {
      expect(planHost(fleet, index, undefined, (hardware) => kernelForHardware(hardware), computeEach)).toEqual(hosts.get(host.name));
    });
  });
});
