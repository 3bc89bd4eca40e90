import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FactsDocument } from '@tcpmem/schema';
import { calibrationsFromFacts, createKernelLookup } from '../src';

// A real boot (Debian 6.12 cloud, 2 GiB, QEMU) stored as the facts `tcpmem discover` writes, under another release
// name: a build the model has never measured.
const fixture = join(__dirname, '..', '..', 'kernel-model', 'fixtures', 'qemu');
const read = (id: string, file: string): string => readFileSync(join(fixture, id, file), 'utf8');
const release = '6.12.117+deb12-custombuild';
const factsOf = (host: string, id: string, dmesg = read(id, 'dmesg.txt')): { value: FactsDocument } => ({
  value: { kind: 'facts', host, capturedAt: '2026-12-03T00:00:00Z', facts: { release, dmesg, meminfo: read(id, 'meminfo'), zoneinfo: read(id, 'zoneinfo') } },
});

describe('hosts planned with a build profile learned from another host of their release', () => {
  it('a host without facts takes the profile of the first host (by name) whose facts teach one, and says so', () => {
    const calibrations = calibrationsFromFacts(new Map([['web-2', factsOf('web-2', 'v612-cloud-2g')], ['db-1', factsOf('db-1', 'v612-cloud-512m', 'no boot log here')]]));
    expect([...calibrations.keys()]).toEqual([release]);
    const kernel = createKernelLookup(undefined, calibrations)({ kernel: release, memory: '8GiB', cpus: 2 });
    if ('problem' in kernel) throw new Error(kernel.problem.message);
    // The real 8 GiB boot of that build (fixtures/qemu/v612-cloud-8g) set tcp_mem to 94095 125462 188190: within
    // 0.1 % (a page or two: managed pages move by a few between boots).
    const real = [94095, 125462, 188190];
    kernel.defaults.get('net.ipv4.tcp_mem')!.forEach((v, i) => expect(Math.abs(v - real[i]!) / real[i]!).toBeLessThan(0.001));
    expect(kernel.notes.some((n) => n.includes('learned from web-2'))).toBe(true);
  });

  it('without such facts the same host is planned from the nearest known profile, and says it is an estimate', () => {
    const kernel = createKernelLookup()({ kernel: release, memory: '8GiB', cpus: 2 });
    if ('problem' in kernel) throw new Error(kernel.problem.message);
    expect(kernel.notes.some((n) => n.startsWith('Kernel build not measured: No boot of this build was measured; the nearest known profile'))).toBe(true);
    expect(kernel.notes.some((n) => n.includes('learned from'))).toBe(false);
  });
});
