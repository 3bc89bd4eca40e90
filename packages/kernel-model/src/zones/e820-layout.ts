import type { Machine, Platform } from '../hardware/normalize-hardware';
import type { BootParams } from '../hardware/parse-boot-cmdline';

/** A usable RAM range as memblock.memory holds it after e820 sanitizing: whole pages [startPfn, endPfn) on a node. */
export interface RamRange {
  readonly node: number;
  readonly startPfn: number;
  readonly endPfn: number;
}

const gib = 2 ** 30;
const fourGiB = 4 * gib;
/** SeaBIOS reports the top 128 KiB of RAM below 4 GiB as reserved (`BIOS-e820: [mem 0x…fe0000-0x…ffffff] reserved`). */
const biosHighTablesBytes = 128 * 1024;
/** The EBDA starts at 639 KiB (`0x9fc00`); the last partial page is dropped, so low RAM is pfn 1…158. */
const lowRamEndBytes = 0x9fc00;

/**
 * RAM below 4 GiB as QEMU splits it (hw/i386/pc_piix.c, pc_q35.c with gigabyte alignment): `pc` keeps everything
 * below 4 GiB up to 3.5 GiB and otherwise puts 3 GiB low; `q35` does so up to 2.75 GiB and otherwise 2 GiB low.
 */
/** QEMU `virt` (arm64) puts guest RAM at 1 GiB physical, in one piece (hw/arm/virt.c `VIRT_MEM`). */
export const virtRamBaseBytes = 0x40000000;

/** The architecture a firmware layout belongs to. */
export function archOfPlatform(platform: Platform): 'x86_64' | 'aarch64' {
  return platform === 'qemu-virt' ? 'aarch64' : 'x86_64';
}

export function ramBelow4G(totalBytes: number, platform: Platform): number {
  if (platform === 'qemu-q35') return totalBytes >= 0xb0000000 ? 0x80000000 : totalBytes;
  return totalBytes >= 0xe0000000 ? 0xc0000000 : totalBytes;
}

/** What the RAM map reads of a machine: memory per node, the firmware layout, `numa=off` and `mem=`. */
export interface RamMapMachine {
  readonly nodes: ReadonlyArray<Pick<Machine['nodes'][number], 'memoryBytes'>>;
  readonly platform: Platform;
  readonly boot: Pick<BootParams, 'numaOff' | 'mem'>;
}

/**
 * The physical RAM map the kernel sees for a QEMU-style machine: e820 usable [0, 639K) and [1M, low−128K) and
 * [4G, 4G+high); page 0 reserved by `e820__memblock_setup`'s caller (trim_bios_range); NUMA nodes take consecutive
 * stretches of guest RAM the way QEMU's SRAT describes them; `mem=` removes RAM above that physical address.
 */
export function physicalRamRanges(machine: RamMapMachine): RamRange[] {
  const sizes = machine.boot.numaOff || machine.nodes.length === 0
    ? [machine.nodes.reduce((sum, node) => sum + node.memoryBytes, 0)]
    : machine.nodes.map((node) => node.memoryBytes);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (machine.platform === 'qemu-virt') {
    // One stretch from 1 GiB, nodes in order; arm64's mem= is an amount (memblock_enforce_memory_limit).
    const end = virtRamBaseBytes + Math.min(total, machine.boot.mem ?? Infinity);
    const virt: RamRange[] = [];
    let at = virtRamBaseBytes;
    sizes.forEach((size, node) => {
      const startPfn = Math.ceil(at / 4096);
      const endPfn = Math.floor(Math.min(at + size, end) / 4096);
      at += size;
      if (endPfn > startPfn) virt.push({ node, startPfn, endPfn });
    });
    return virt;
  }
  const low = ramBelow4G(total, machine.platform);
  const limit = machine.boot.mem ?? Infinity;
  // Guest-RAM offset → physical stretches (QEMU maps offsets ≥ low above 4 GiB).
  const usable: Array<[number, number]> = [
    [4096, lowRamEndBytes],
    [0x100000, low - biosHighTablesBytes],
    [fourGiB, fourGiB + (total - low)],
  ];
  const ranges: RamRange[] = [];
  let offset = 0;
  sizes.forEach((size, node) => {
    const [from, to] = [offset, offset + size];
    offset = to;
    // Node stretch in physical addresses: [from, to) of guest RAM, split around the PCI hole.
    const physical: Array<[number, number]> = [];
    if (from < low) physical.push([from, Math.min(to, low)]);
    if (to > low) physical.push([fourGiB + Math.max(from, low) - low, fourGiB + to - low]);
    for (const [ps, pe] of physical) {
      for (const [us, ue] of usable) {
        const start = Math.max(ps, us);
        const end = Math.min(pe, ue, limit);
        const startPfn = Math.ceil(start / 4096);
        const endPfn = Math.floor(end / 4096);
        if (endPfn > startPfn) ranges.push({ node, startPfn, endPfn });
      }
    }
  });
  return ranges;
}
