import { normalizeHardware } from '../hardware/normalize-hardware';
import { physicalRamRanges, ramBelow4G } from './e820-layout';
import { zoneLayout } from './zone-layout';

const gib = 2 ** 30;

describe('QEMU memory layout', () => {
  it.each([
    [3 * gib, 'qemu-pc', 3 * gib],
    [3.5 * gib, 'qemu-pc', 3 * gib],
    [4 * gib, 'qemu-pc', 3 * gib],
    [2.5 * gib, 'qemu-q35', 2.5 * gib],
    [4 * gib, 'qemu-q35', 2 * gib],
  ] as const)('puts %i bytes on %s with %i below 4 GiB', (total, platform, low) => {
    expect(ramBelow4G(total, platform)).toBe(low);
  });

  it('builds the 1 GiB pc zones the kernel reports (DMA 4095/3998, DMA32 258016/258016)', () => {
    const machine = normalizeHardware({ kernel: '6.1', memory: '1GiB', cpus: 1 });
    const zones = zoneLayout(physicalRamRanges(machine)).zones.filter((z) => z.present > 0);
    expect(zones.map((z) => [z.zone, z.spanned, z.present])).toEqual([
      ['DMA', 4095, 3998],
      ['DMA32', 258016, 258016],
    ]);
  });

  it('splits NUMA nodes in guest-RAM order across the PCI hole', () => {
    const machine = normalizeHardware({ kernel: '6.1', nodes: ['2GiB', '6GiB'], cpus: 2 });
    const zones = zoneLayout(physicalRamRanges(machine)).zones.filter((z) => z.present > 0);
    expect(zones.map((z) => [z.node, z.zone, z.present])).toEqual([
      [0, 'DMA', 3998],
      [0, 'DMA32', 520192],
      [1, 'DMA32', 262112],
      [1, 'Normal', 1310720],
    ]);
  });

  it('drops RAM above mem=', () => {
    const machine = normalizeHardware({ kernel: '6.1', memory: '8GiB', cmdline: 'mem=4G' });
    expect(Math.max(...physicalRamRanges(machine).map((r) => r.endPfn))).toBe(0xbffe0);
  });
});
