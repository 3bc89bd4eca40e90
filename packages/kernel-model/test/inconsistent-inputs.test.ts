import type { Hardware } from '@tcpmem/schema';
import { HardwareInputError } from '../src/hardware/normalize-hardware';
import { computeBootDefaults } from '../src/tcp-init/compute-boot-defaults';
import { ramBytes } from '../src/tcp-init/ram-bytes';
import { loadFixtureCases } from './fixture-cases';

/**
 * Inputs a kernel never produces (an edited or mixed-up capture) or cannot honour (a crash kernel larger than RAM,
 * RAM the command line hides): each used to give a tcp_mem far from any host's, which a plan would then write.
 */
const tcpMem = (hardware: Hardware): readonly number[] => {
  const v = computeBootDefaults(hardware).sysctls['net.ipv4.tcp_mem'];
  if (typeof v !== 'object') throw new Error('tcp_mem is a triple');
  return v;
};

describe("a host's facts that no kernel printed", () => {
  const c = loadFixtureCases().find((x) => x.id === 'v61-cloud-arm64-8g');
  const withFacts = (change: (facts: NonNullable<Hardware['facts']>) => NonNullable<Hardware['facts']>): Hardware => ({ ...c!.facts, facts: change(c!.facts.facts!) });

  it('a MemTotal above the pages its zoneinfo has present (a typo: 99666240000 kB) is refused, at /facts/meminfo', () => {
    expect(c).toBeDefined();
    const hardware = withFacts((f) => ({ ...f, meminfo: (f.meminfo ?? '').replace(/MemTotal:\s+\d+/, 'MemTotal:       99666240000') }));
    expect(() => computeBootDefaults(hardware)).toThrow(HardwareInputError);
    expect(() => computeBootDefaults(hardware)).toThrow(/^\/facts\/meminfo: MemTotal is 99666240000 kB .* more than the \d+ pages present/);
  });

  it.each([
    ['managed above present', (z: string) => z.replace(/(\n\s+managed\s+)(\d+)/, (_m, head: string) => `${head}99999999`)],
    ['a count past 2^53', (z: string) => z.replace(/(\n\s+spanned\s+)(\d+)/, (_m, head: string) => `${head}18446744073709551615`)],
  ])('a zoneinfo with %s is refused, at /facts/zoneinfo', (_what, edit) => {
    const hardware = withFacts((f) => ({ ...f, zoneinfo: edit(f.zoneinfo ?? '') }));
    expect(() => computeBootDefaults(hardware)).toThrow(/^\/facts\/zoneinfo: node \d+ zone \w+ says spanned/);
  });

  it('the capture as it is still models its boot (the checks hold for what kernels print)', () => {
    for (const fixture of loadFixtureCases().filter((x) => x.facts.facts?.zoneinfo !== undefined && x.facts.facts.zoneinfo !== '')) expect(() => computeBootDefaults(fixture.facts)).not.toThrow();
  });
});

describe('a crashkernel= no RAM range can hold', () => {
  const base = { kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 2 };
  it('reserves nothing, as the kernel fails the reservation and boots on: tcp_mem as without it', () => {
    expect(tcpMem({ ...base, cmdline: 'crashkernel=16G' })).toEqual(tcpMem(base));
    expect(computeBootDefaults({ ...base, cmdline: 'crashkernel=16G' }).notes.join('\n')).toMatch(/crashkernel=16G: 16384 MiB is more than the largest RAM range .* reserves nothing/);
  });

  it('still reserves one that fits (512M on 8 GiB)', () => {
    // 512 MiB is 131072 pages less for nr_free_buffer_pages: tcp_mem[1] (a sixteenth of it) about 8192 lower
    expect(tcpMem(base)[1]! - tcpMem({ ...base, cmdline: 'crashkernel=512M' })[1]!).toBeGreaterThan(8000);
  });
});

describe('the RAM a host has for shares of RAM', () => {
  it('is what mem= lets the kernel use, not the memory installed (mem=1G on 64 GiB)', () => {
    const hardware = { kernel: '6.1.0-26-amd64', memory: '64GiB', cmdline: 'mem=1G' };
    expect(ramBytes(hardware, computeBootDefaults(hardware))).toBe(2 ** 30);
    expect(ramBytes({ ...hardware, cmdline: 'mem=128G' }, computeBootDefaults({ ...hardware, cmdline: 'mem=128G' }))).toBe(64 * 2 ** 30);
  });
});
