import { HardwareInputError, type Machine } from '../hardware/normalize-hardware';
import type { BootParams } from '../hardware/parse-boot-cmdline';
import type { KernelBuild } from '../series/kernel-build';
import type { SeriesFacts } from '../series/series-facts';
import { allocLargeSystemHash } from './alloc-large-system-hash';
import { archOfPlatform, physicalRamRanges, type RamMapMachine, type RamRange } from './e820-layout';
import { bootReservations, type Reservation, type ReservationBuild, type ReservationMachine, type ReservationSeries } from './memblock-reservations';
import { nrKernelPagesFromZones } from './nr-kernel-pages';
import { bootWatermarks, nrFreeBufferPages, type BootWatermarks, type WatermarkSeries } from './watermarks';
import { zoneLayout } from './zone-layout';
import { countsInNrFreeBufferPages, zoneNames, type ZoneName, type ZoneSpan } from './zone-names';

/** One zone as tcp_init() saw it. */
export interface BootZone extends ZoneSpan {
  /** Pages the buddy allocator managed when tcp_init ran. */
  readonly managed: number;
  /** Watermarks in force when tcp_init ran. */
  readonly min: number;
  readonly low: number;
  readonly high: number;
  /** What the zone added to nr_free_buffer_pages() at tcp_init: max(0, managed − high), 0 for Movable. */
  readonly nrFreeBufferPages: number;
}

/** The memory state at the moment `tcp_init()` runs, and how it was derived. */
export interface BootMemory {
  readonly source: 'hardware' | 'zoneinfo';
  readonly zones: readonly BootZone[];
  readonly reservations: readonly Reservation[];
  readonly nrKernelPages: number;
  readonly nrAllPages: number;
  readonly totalramPages: number;
  /** nr_free_buffer_pages() as tcp_init() computed it. */
  readonly nrFreeBufferPages: number;
  /** nr_free_buffer_pages() behind tcp_mem: the same, except in 3.10/3.11 where init_net's tcp_mem is recomputed later. */
  readonly nrFreeBufferPagesForTcpMem: number;
  readonly watermarks: BootWatermarks;
  readonly notes: readonly string[];
}

function finish(
  source: BootMemory['source'],
  zones: ReadonlyArray<ZoneSpan & { managed: number }>,
  counts: { nrKernelPages: number; nrAllPages: number },
  reservations: readonly Reservation[],
  machine: Pick<Machine, 'thp' | 'pageSize'>,
  series: WatermarkSeries,
  notes: string[],
): BootMemory {
  const watermarks = bootWatermarks(zones, series, machine.thp, machine.pageSize);
  const nfbp = nrFreeBufferPages(zones, watermarks.atTcpInit);
  const nfbpForTcpMem = series.initcallRegime === 'none-then-recompute' ? nrFreeBufferPages(zones, watermarks.final) : nfbp;
  const bootZones = zones.map((z, i) => {
    const wm = watermarks.atTcpInit[i] ?? { min: 0, low: 0, high: 0 };
    const nrFreeBufferPages = countsInNrFreeBufferPages(z.zone) ? Math.max(0, z.managed - wm.high) : 0;
    return { node: z.node, zone: z.zone, startPfn: z.startPfn, spanned: z.spanned, present: z.present, managed: z.managed, min: wm.min, low: wm.low, high: wm.high, nrFreeBufferPages };
  });
  return {
    source,
    zones: bootZones,
    reservations,
    nrKernelPages: counts.nrKernelPages,
    nrAllPages: counts.nrAllPages,
    totalramPages: zones.reduce((s, z) => s + z.managed, 0),
    nrFreeBufferPages: nfbp,
    nrFreeBufferPagesForTcpMem: nfbpForTcpMem,
    watermarks,
    notes,
  };
}

/** What the RAM map and the zone spans read of a machine. */
export interface LayoutMachine extends RamMapMachine {
  readonly boot: Pick<BootParams, 'numaOff' | 'mem' | 'movablecore' | 'kernelcore'>;
}

/** The RAM map and the zones `free_area_init()` sizes from it, before any reservation. */
export interface MemoryLayout {
  readonly ranges: readonly RamRange[];
  readonly zones: readonly ZoneSpan[];
  readonly notes: readonly string[];
}

/** The RAM map and zone spans of a machine (e820 → memblock.memory → zones). */
export function memoryLayout(machine: LayoutMachine): MemoryLayout {
  const ranges = physicalRamRanges(machine);
  const layout = zoneLayout(ranges, { movablecore: machine.boot.movablecore, kernelcore: machine.boot.kernelcore, arch: archOfPlatform(machine.platform) });
  return { ranges, zones: layout.zones, notes: layout.notes };
}

/**
 * Everything the hardware path reads (RAM map, zone spans, memblock reservations, watermarks), and nothing else:
 * `computeBootMemory` takes only this, so the compiler keeps the list complete, and a memo keyed by all of it is
 * exact. Not read: the release beyond what its series facts and build profile say, `arch`, `thash_entries`, facts.
 */
export interface HardwareMemoryInputs {
  readonly machine: LayoutMachine & ReservationMachine & Pick<Machine, 'thp' | 'pageSize'>;
  readonly series: ReservationSeries & WatermarkSeries;
  readonly build: ReservationBuild & Pick<KernelBuild, 'measured' | 'evidence'>;
}

/** Picks out of a machine, its series facts and its build exactly the fields the hardware path reads. */
export function hardwareMemoryInputs(machine: Machine, series: SeriesFacts, build: KernelBuild): HardwareMemoryInputs {
  const { boot } = machine;
  return {
    machine: {
      nodes: machine.nodes.map((node) => ({ memoryBytes: node.memoryBytes })),
      platform: machine.platform,
      cpus: machine.cpus,
      initrdBytes: machine.initrdBytes,
      fiveLevelPaging: machine.fiveLevelPaging,
      crashkernelRoundsUpRam: machine.crashkernelRoundsUpRam,
      crashkernelAutoRanges: machine.crashkernelAutoRanges,
      thp: machine.thp,
      pageSize: machine.pageSize,
      boot: { numaOff: boot.numaOff, mem: boot.mem, movablecore: boot.movablecore, kernelcore: boot.kernelcore, crashkernel: boot.crashkernel, crashkernelLow: boot.crashkernelLow, swiotlb: boot.swiotlb },
    },
    series: {
      series: series.series,
      reservesFirstMegabyte: series.reservesFirstMegabyte,
      arm64RamProportionalReserve: series.arm64RamProportionalReserve,
      nrKernelPagesMethod: series.nrKernelPagesMethod,
      adaptiveHashScale: series.adaptiveHashScale,
      initcallRegime: series.initcallRegime,
      minFreeKbytesCap: series.minFreeKbytesCap,
      watermarkFormula: series.watermarkFormula,
      watermarkScaleFactor: series.watermarkScaleFactor,
      thpZoneCounting: series.thpZoneCounting,
      thpOffRecomputesMinFree: series.thpOffRecomputesMinFree,
    },
    build: {
      id: build.id,
      fixedReservedPages: build.fixedReservedPages,
      extraNodePages: build.extraNodePages,
      percpuPagesPerCpu: build.percpuPagesPerCpu,
      measured: build.measured,
      evidence: build.evidence,
    },
  };
}

/**
 * Boot memory from exactly the inputs the hardware path reads: layout → zones → reservations → managed →
 * watermarks. `layout` is `memoryLayout(inputs.machine)`, passed in when the caller already has it.
 */
export function computeBootMemory(inputs: HardwareMemoryInputs, layout: MemoryLayout = memoryLayout(inputs.machine)): BootMemory {
  const { machine, series, build } = inputs;
  const notes: string[] = [...layout.notes];
  const reserved = bootReservations(machine, layout.ranges, layout.zones, series, build);
  notes.push(...reserved.notes);
  if (!build.measured) notes.push(`Kernel build not measured: ${build.evidence}`);
  if (machine.pageSize === 4096) return finish('hardware', reserved.zones, reserved.counts, reserved.reservations, machine, series, notes);
  // The memory map, the reservations and the build profiles are a 4 KiB-page kernel's: the zones are converted to
  // the host's pages, so that every count (managed, watermarks, nr_free_buffer_pages, tcp_mem) is in its pages.
  const ratio = machine.pageSize / 4096;
  const inPages = (n: number): number => Math.floor(n / ratio);
  const zones = reserved.zones.map((z) => ({ ...z, startPfn: inPages(z.startPfn), spanned: inPages(z.spanned), present: inPages(z.present), managed: inPages(z.managed) }));
  notes.push(
    `${machine.pageSize / 1024} KiB pages: zones are modelled as a 4 KiB-page kernel lays them out and converted to ${machine.pageSize / 1024} KiB pages (its memmap and page tables are smaller, so managed memory is under-estimated by up to about 1.5% of RAM; reservations are listed in 4 KiB pages). \`tcpmem discover\` the host for its own zoneinfo.`,
  );
  return finish('hardware', zones, { nrKernelPages: inPages(reserved.counts.nrKernelPages), nrAllPages: inPages(reserved.counts.nrAllPages) }, reserved.reservations, machine, series, notes);
}

/** Boot memory from the hardware description alone: layout → zones → reservations → managed → watermarks. */
export function bootMemoryFromHardware(machine: Machine, series: SeriesFacts, build: KernelBuild): BootMemory {
  return computeBootMemory(hardwareMemoryInputs(machine, series, build));
}

const known = new Set<string>(zoneNames);

/**
 * Boot memory from a captured /proc/zoneinfo: the real present/spanned/managed pages of every zone, minus what was
 * freed after tcp_init (the initrd and the kernel's init sections, from the boot log when given, else the build
 * profile and the initrd assumption). Watermarks are recomputed from those managed pages, because the live ones may
 * have been changed since boot.
 */
export function bootMemoryFromZoneinfo(machine: Machine, series: SeriesFacts, build: KernelBuild): BootMemory {
  const notes: string[] = [];
  const facts = machine.facts;
  const live = (facts?.zones ?? []).filter((z) => known.has(z.zone));
  const zones = live.map((z) => ({ node: z.node, zone: z.zone as ZoneName, startPfn: z.startPfn ?? 0, spanned: z.spanned, present: z.present, managed: z.managed }));

  // Every zone has managed ≤ present ≤ spanned, in pages a 64-bit kernel counts exactly: anything else was not
  // printed by a kernel (an edited or damaged capture), and would size tcp_mem from nothing real.
  for (const z of zones) {
    const counts = [z.spanned, z.present, z.managed];
    if (!counts.every((n) => Number.isSafeInteger(n) && n >= 0) || z.managed > z.present || z.present > z.spanned) {
      throw new HardwareInputError('/facts/zoneinfo', `node ${z.node} zone ${z.zone} says spanned ${z.spanned}, present ${z.present}, managed ${z.managed}: a kernel always has whole numbers of pages with managed ≤ present ≤ spanned, so this zoneinfo was edited or damaged; discover the host again (\`tcpmem discover\`).`);
    }
  }
  // zoneinfo counts the host's pages (4, 16 or 64 KiB); meminfo and the boot log count KiB, build profiles 4 KiB pages
  const pageKiB = machine.pageSize / 1024;
  // totalram_pages (MemTotal) is Σ managed; a lazily initialised zone (the non-mainline deferred_init=lazy) lags.
  const memTotalKiB = facts?.meminfo?.['MemTotal'];
  const memTotalPages = memTotalKiB === undefined ? undefined : Math.floor(memTotalKiB / pageKiB);
  const sumManaged = zones.reduce((s, z) => s + z.managed, 0);
  const sumPresent = zones.reduce((s, z) => s + z.present, 0);
  if (memTotalPages !== undefined && (!Number.isSafeInteger(memTotalPages) || memTotalPages > sumPresent)) {
    // MemTotal is totalram_pages: pages the buddy allocator manages, never more than the zones' present pages.
    throw new HardwareInputError('/facts/meminfo', `MemTotal is ${String(memTotalKiB)} kB (${String(memTotalPages)} pages of ${pageKiB} KiB), more than the ${sumPresent} pages present in the zones of its zoneinfo: the two were not read from one boot of one host, or one was edited; discover the host again (\`tcpmem discover\`).`);
  }
  if (memTotalPages !== undefined && memTotalPages > sumManaged + 1024) {
    const lagging = zones.reduce((best, z, i) => (z.present - z.managed > (zones[best]?.present ?? 0) - (zones[best]?.managed ?? 0) ? i : best), 0);
    const zone = zones[lagging];
    if (zone !== undefined) {
      zones[lagging] = { ...zone, managed: Math.min(zone.present, zone.managed + memTotalPages - sumManaged) };
      notes.push(`zoneinfo managed pages add up to ${sumManaged} but MemTotal is ${memTotalPages} pages (lazily initialised memory${machine.boot.lazyDeferredInit ? ', deferred_init=lazy' : ''}): the ${memTotalPages - sumManaged} missing pages are given to node ${zone.node} ${zone.zone}.`);
    }
  }

  // Pages freed after tcp_init: populate_rootfs (initrd), free_initmem & co. (kernel image).
  const lateFrees = facts?.lateFrees;
  const initrdPages = Math.ceil(machine.initrdBytes / machine.pageSize);
  const imagePages = lateFrees !== undefined ? Math.ceil(lateFrees.kernelImageKiB / pageKiB) : Math.ceil((build.freedAfterTcpInitPages * 4) / pageKiB);
  const takeBack = (pages: number, order: number[], what: string): void => {
    let left = pages;
    for (const i of order) {
      const z = zones[i];
      if (z === undefined || left <= 0) continue;
      const take = Math.min(left, z.managed);
      zones[i] = { ...z, managed: z.managed - take };
      left -= take;
    }
    if (left > 0) notes.push(`${what}: ${left} pages could not be placed in any zone.`);
  };
  const dma32Last = zones.map((z, i) => ({ z, i })).filter(({ z }) => z.zone === 'DMA32' && z.managed > 0).map(({ i }) => i).reverse();
  const byNode0 = zones.map((z, i) => ({ z, i })).filter(({ z }) => z.zone !== 'Movable').sort((a, b) => a.z.node - b.z.node || zoneNames.indexOf(a.z.zone) - zoneNames.indexOf(b.z.zone)).map(({ i }) => i);
  const fallback = [...byNode0].reverse();
  takeBack(initrdPages, [...dma32Last, ...fallback], 'initrd');
  // The kernel image sits in DMA32 on x86-64 (loaded at 16 MiB and up), in ZONE_DMA on arm64 (low in RAM).
  const imageZone = archOfPlatform(machine.platform) === 'aarch64' ? 'DMA' : 'DMA32';
  const image = byNode0.filter((i) => zones[i]?.zone === imageZone);
  takeBack(imagePages, [...image, ...fallback], 'kernel init sections');
  notes.push(
    lateFrees !== undefined
      ? `Freed after tcp_init, from the boot log: initrd ${lateFrees.initrdKiB ?? 0} KiB, kernel image ${lateFrees.kernelImageKiB} KiB.`
      : `Freed after tcp_init, from the build profile ${build.id}: kernel image ${imagePages} pages; initrd ${initrdPages} pages.`,
  );
  notes.push('Managed pages are taken as they are now; memory hot(un)plug or a virtio balloon since boot changes them.');

  // nr_kernel_pages: exact from spanned/present up to 6.9; from 6.10 memblock-free pages, estimated as managed plus
  // what was reserved after free_area_init (percpu, early hashes, swiotlb).
  let counts = nrKernelPagesFromZones(zones);
  if (series.nrKernelPagesMethod === 'memblock-free') {
    const managed = zones.reduce((s, z) => s + z.managed, 0) + initrdPages;
    const singleNode = new Set(zones.filter((z) => z.present > 0).map((z) => z.node)).size === 1;
    const context = { nrKernelPages: managed, nrAllPages: managed, pageShift: Math.log2(machine.pageSize), adaptiveScale: series.adaptiveHashScale };
    const hashes = singleNode
      ? Math.ceil(allocLargeSystemHash({ bucketBytes: 8, numentries: 0, scale: 13, lowLimit: 0, highLimit: 0 }, context).bytes / machine.pageSize) +
        Math.ceil(allocLargeSystemHash({ bucketBytes: 8, numentries: 0, scale: 14, lowLimit: 0, highLimit: 0 }, context).bytes / machine.pageSize)
      : 0;
    const estimate = managed + Math.ceil((machine.cpus * build.percpuPagesPerCpu * 4) / pageKiB) + hashes - initrdPages;
    counts = { nrKernelPages: estimate, nrAllPages: estimate };
    notes.push('nr_kernel_pages (6.10+ counts memblock-free pages) is estimated from managed pages plus percpu and early hash reservations.');
  }
  return finish('zoneinfo', zones, counts, [], machine, series, notes);
}
