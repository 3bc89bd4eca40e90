import type { Hardware } from '@tcpmem/schema';
import { bootDefaultRanges, memoryDerivedSysctls, type SysctlRange } from '../src/tcp-init/boot-default-ranges';
import { computeBootDefaults } from '../src/tcp-init/compute-boot-defaults';
import { formatSysctlValue } from '../src/tcp-init/format-sysctl-value';
import { parseSize } from '../src/hardware/parse-size';
import { loadFixtureCases, type FixtureCase } from './fixture-cases';

const cases = loadFixtureCases().filter((c) => c.dir.includes('qemu'));
const numbers = (text: string | undefined): number[] => (text ?? '').split(/\s+/).filter(Boolean).map(Number);
const list = (v: SysctlRange['low']): number[] => (typeof v === 'number' ? [v] : [...v]);

/** The same machine, but on a release of its series the model has never measured (a custom build). */
function unknownBuild(c: FixtureCase): Hardware {
  const series = /^(\d+\.\d+)/.exec(c.hardware.kernel)?.[1] ?? '6.1';
  return { ...c.hardware, kernel: `${series}.0-1-custom` };
}
const ramOf = (h: Hardware): number => (h.memory !== undefined ? (parseSize(h.memory) ?? 0) : (h.nodes ?? []).reduce<number>((s, n) => s + (parseSize(typeof n === 'object' ? n.memory : n) ?? 0), 0));

describe('ranges: what the model considers possible for a build it has not measured', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s: for a measured build the range is the value itself', (_id, c) => {
    const model = computeBootDefaults(c.hardware);
    const ranges = bootDefaultRanges(c.hardware, {}, model);
    for (const name of memoryDerivedSysctls) {
      const value = name === 'vm.min_free_kbytes' ? model.memory.min_free_kbytes : model.sysctls[name]!;
      expect(ranges[name]).toEqual({ low: value, high: value });
    }
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: as an unknown build, the real values lie inside the ranges', (_id, c) => {
    const hardware = unknownBuild(c);
    const model = computeBootDefaults(hardware);
    expect(model.kernel.buildProfile.kind).toBe('estimated');
    const ranges = bootDefaultRanges(hardware, {}, model);
    const outside: string[] = [];
    for (const name of memoryDerivedSysctls) {
      const real = numbers(c.sysctls[name]);
      const range = ranges[name]!;
      real.forEach((v, i) => {
        if (v < list(range.low)[i]! || v > list(range.high)[i]!) outside.push(`${name}[${i}] ${v} not in ${formatSysctlValue(range.low)} … ${formatSysctlValue(range.high)}`);
      });
    }
    expect(outside).toEqual([]);
  });

  it.each(cases.filter((c) => ramOf(c.hardware) >= 2 * 2 ** 30).map((c) => [c.id, c] as const))('%s: at 2 GiB and more the half-width is at most 1 %', (_id, c) => {
    const ranges = bootDefaultRanges(unknownBuild(c));
    for (const name of ['net.ipv4.tcp_mem', 'net.ipv4.udp_mem']) {
      const [low, high] = [list(ranges[name]!.low), list(ranges[name]!.high)];
      low.forEach((l, i) => expect((high[i]! - l) / 2 / ((high[i]! + l) / 2)).toBeLessThanOrEqual(0.01));
    }
  });

  it('with a boot log and zoneinfo an estimated build still gives exact values', () => {
    const c = cases.find((x) => x.id === 'v61-generic-4g')!;
    const facts = { ...c.facts, kernel: '6.1.0-1-custom', facts: { ...c.facts.facts, release: '6.1.0-1-custom' } };
    const ranges = bootDefaultRanges(facts);
    expect(ranges['net.ipv4.tcp_mem']!.low).toEqual(ranges['net.ipv4.tcp_mem']!.high);
  });
});
