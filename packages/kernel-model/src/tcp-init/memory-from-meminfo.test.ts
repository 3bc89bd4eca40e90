import type { Hardware } from '@tcpmem/schema';
import { fitRamToMemTotal, memTotalOnly } from './memory-from-meminfo';

const meminfo = (kB: number) => `MemTotal:       ${kB} kB\nMemFree:        1000 kB\n`;

describe('memTotalOnly', () => {
  it.each<[string, Hardware, number | undefined]>([
    ['meminfo alone', { kernel: '6.1', facts: { meminfo: meminfo(983744) } }, 245936],
    ['meminfo beside a memory size', { kernel: '6.1', memory: '1GiB', facts: { meminfo: meminfo(983744) } }, undefined],
    ['meminfo beside zoneinfo', { kernel: '6.1', facts: { meminfo: meminfo(983744), zoneinfo: 'Node 0, zone DMA\n' } }, undefined],
    ['meminfo beside a boot log with a Memory: line', { kernel: '6.1', facts: { meminfo: meminfo(983744), dmesg: 'Memory: 260860K/1048056K available (…)' } }, undefined],
    ['a meminfo without MemTotal', { kernel: '6.1', facts: { meminfo: 'MemFree: 10 kB\n' } }, undefined],
  ])('reads %s', (_what, hardware, pages) => {
    expect(memTotalOnly(hardware)?.memTotalPages).toBe(pages);
  });

  it('splits RAM by the nodes\' MemTotal', () => {
    const only = memTotalOnly({ kernel: '6.1', facts: { meminfo: meminfo(4000000), nodeMeminfo: [meminfo(1000000), meminfo(3000000)] } });
    expect(only?.nodeShares).toEqual([0.25, 0.75]);
  });
});

describe('fitRamToMemTotal', () => {
  const pages = 4096;
  it.each<[string, (ram: number) => number, number]>([
    ['a fixed reservation', (ram) => ram / pages - 5000, 250000],
    ['a proportional memmap', (ram) => Math.floor((ram / pages) * 0.984) - 3000, 250000],
    // 512 more pages reserved from each new 128 MiB section: MemTotal steps back where a section starts.
    ['memmap by section', (ram) => ram / pages - 512 * Math.ceil(ram / 2 ** 27), 250000],
  ])('finds the RAM for %s', (_what, model, target) => {
    const fit = fitRamToMemTotal(target, model);
    expect(Math.abs(fit.modelPages - target)).toBeLessThanOrEqual(1);
    expect(model(fit.ramBytes)).toBe(fit.modelPages);
  });

  it('keeps the closest fit when no RAM gives MemTotal exactly', () => {
    // Only even page counts are reachable: the fit is one page off, never further.
    const fit = fitRamToMemTotal(250001, (ram) => 2 * Math.floor(ram / pages / 2) - 4000);
    expect(Math.abs(fit.modelPages - 250001)).toBe(1);
  });
});
