import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostPlan } from '@tcpmem/schema';
import { createKernelLookup, loadFleet, planFleet, type FleetModel } from '../src';
import { observationOf } from '../src/observe/observed-host';

/**
 * A host with facts — discovered, or read live — is planned from them even where its hardware block says otherwise
 * (a `defaults.hardware` guess for hosts not yet discovered, a block left from before a RAM upgrade): the kernel
 * release, the memory that `1%`-style shares of RAM refer to, the CPUs. A real boot: Debian 6.1 cloud with 2 GiB
 * (kernel-model/fixtures/qemu/v61-cloud-2g, MemTotal 2027036 kB).
 */
const fixture = path.join(__dirname, '..', '..', 'kernel-model', 'fixtures', 'qemu', 'v61-cloud-2g');
const read = (file: string): string => fs.readFileSync(path.join(fixture, file), 'utf8');
const release = '6.1.0-56-cloud-amd64';
const hostFacts = { release, version: read('version').trim(), cmdline: read('cmdline').trim(), cpus: 2, pageSize: 4096, meminfo: read('meminfo'), zoneinfo: read('zoneinfo'), dmesg: read('dmesg.txt') };
const memTotalBytes = 2027036 * 1024;

const guessed = 'hardware: { kernel: 6.12.9-amd64, memory: 64GiB, cpus: 32 }';
const sysctls = 'sysctls:\n    net.ipv4.tcp_rmem: { max: 1% }\n    net.ipv4.tcp_mem: [3%, 4%, 6%]';

function fleetOf(fleetYaml: string, facts: Record<string, unknown> | undefined): FleetModel {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-facts-over-hardware-'));
  try {
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), fleetYaml);
    if (facts !== undefined) {
      fs.mkdirSync(path.join(dir, 'facts'));
      fs.writeFileSync(path.join(dir, 'facts', 'web-1.json'), JSON.stringify({ kind: 'facts', host: 'web-1', capturedAt: '2026-12-05T00:00:00Z', facts }));
    }
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(load.problems).toEqual([]);
    return load.fleet!;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function plan(fleet: FleetModel, live = false): HostPlan {
  // What a live read gives (apply's read script): the values and files, with the facts it read besides them.
  const read = observationOf({ release, sysctls: { 'net.ipv4.tcp_rmem': '4096\t131072\t6291456', 'net.ipv4.tcp_mem': '15000\t20000\t30000' } });
  const observations = live ? new Map([['web-1', { ...read, facts: { ...read.facts, ...hostFacts } }]]) : new Map();
  const planned = planFleet(fleet, { mode: live ? 'live' : 'offline', createdAt: 'now', tcpmemVersion: 'test', configPath: 'fleet.yaml', digest: undefined, observations, problems: [], kernelFor: createKernelLookup(), hostIndexes: [0] });
  return planned.hosts[0]!;
}

const after = (host: HostPlan, sysctl: string): readonly number[] | null | undefined => host.changes.find((c) => c.sysctl === sysctl)?.after;

describe('a host\'s facts win over its hardware block', () => {
  const withFactsOnly = plan(fleetOf(`kind: fleet\ndefaults:\n  ${sysctls}\nhosts:\n  web-1: {}\n`, hostFacts));

  it.each([
    ['discovered, beside a guessed defaults.hardware', () => plan(fleetOf(`kind: fleet\ndefaults:\n  ${guessed}\n  ${sysctls}\nhosts:\n  web-1: {}\n`, hostFacts))],
    ['discovered, beside a stale block of the host itself', () => plan(fleetOf(`kind: fleet\ndefaults:\n  ${sysctls}\nhosts:\n  web-1: { ${guessed} }\n`, hostFacts))],
    ['read live, beside a guessed defaults.hardware', () => plan(fleetOf(`kind: fleet\ndefaults:\n  ${guessed}\n  ${sysctls}\nhosts:\n  web-1: { address: 192.0.2.1 }\n`, undefined), true)],
  ])('%s: the facts\' release, and shares of the facts\' RAM', (_what, planned) => {
    const host = planned();
    expect(host.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(host.kernel?.release).toBe(release);
    expect(host.kernel?.series).toBe('6.1');
    // 1% of the RAM the facts give (the model's totalram from the zones), not of the block's 64 GiB
    const rmemMax = after(host, 'net.ipv4.tcp_rmem')?.[2] ?? 0;
    expect(Math.abs(rmemMax - 0.01 * memTotalBytes) / (0.01 * memTotalBytes)).toBeLessThan(0.02);
    expect(after(host, 'net.ipv4.tcp_mem')).toEqual(after(withFactsOnly, 'net.ipv4.tcp_mem'));
    expect(after(host, 'net.ipv4.tcp_rmem')).toEqual(after(withFactsOnly, 'net.ipv4.tcp_rmem'));
  });

  it('keeps the block\'s memory when the facts do not tell memory (only a release and sysctls)', () => {
    const host = plan(fleetOf(`kind: fleet\ndefaults:\n  ${guessed}\n  ${sysctls}\nhosts:\n  web-1: {}\n`, { release, sysctls: { 'net.core.somaxconn': '4096' } }));
    expect(host.kernel?.release).toBe(release);
    expect(after(host, 'net.ipv4.tcp_rmem')?.[2]).toBe(Math.floor(0.01 * 64 * 2 ** 30));
  });
});
