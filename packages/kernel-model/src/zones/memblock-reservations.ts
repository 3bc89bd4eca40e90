import type { Machine } from '../hardware/normalize-hardware';
import type { BootParams } from '../hardware/parse-boot-cmdline';
import { crashkernelLowBytes, parseCrashkernel, rhel7CrashkernelAuto } from '../hardware/parse-crashkernel';
import type { KernelBuild } from '../series/kernel-build';
import type { SeriesFacts } from '../series/series-facts';
import { allocLargeSystemHash } from './alloc-large-system-hash';
import { nrKernelPagesFromMemblock, nrKernelPagesFromZones, type KernelPageCounts } from './nr-kernel-pages';
import { maxDma32Pfn, type ZoneName, type ZoneSpan } from './zone-names';
import { archOfPlatform, type RamRange } from './e820-layout';

/** Where memblock puts an allocation (it allocates top-down). */
type Placement =
  | { readonly kind: 'node-top'; readonly node: number }
  | { readonly kind: 'below-4g' }
  | { readonly kind: 'memory-top' }
  | { readonly kind: 'zone'; readonly node: number; readonly zone: ZoneName };

/** One memblock reservation still held when tcp_init runs. */
export interface Reservation {
  readonly what: string;
  readonly pages: number;
  /** Reserved before `free_area_init()` (so left out of nr_kernel_pages from 6.10). */
  readonly beforeFreeAreaInit: boolean;
  /** Where the pages were taken from. */
  readonly taken: ReadonlyArray<{ readonly node: number; readonly zone: ZoneName; readonly pages: number }>;
}

/** A zone with the pages the buddy allocator manages when tcp_init runs. */
export interface ManagedZone extends ZoneSpan {
  readonly managed: number;
}

export interface BootReservations {
  readonly zones: readonly ManagedZone[];
  readonly reservations: readonly Reservation[];
  readonly counts: KernelPageCounts;
  readonly notes: readonly string[];
}

/** What the reservations read of a machine: CPUs (percpu), initrd, 5-level paging, `crashkernel=`, `swiotlb=`. */
export interface ReservationMachine extends Pick<Machine, 'cpus' | 'initrdBytes' | 'fiveLevelPaging' | 'platform'> {
  /** parse_crashkernel_mem() rounds system RAM up to 128 MiB (5.17+, RHEL 8/9); see crashkernelRoundsUpRam. */
  readonly crashkernelRoundsUpRam?: boolean;
  /** What this kernel reads `crashkernel=auto` as (RHEL 8 only); see crashkernelAutoRanges. */
  readonly crashkernelAutoRanges?: string | undefined;
  readonly boot: Pick<BootParams, 'crashkernel' | 'crashkernelLow' | 'swiotlb'>;
}

/** The series facts the reservations read. */
export type ReservationSeries = Pick<SeriesFacts, 'reservesFirstMegabyte' | 'nrKernelPagesMethod' | 'adaptiveHashScale'> & Partial<Pick<SeriesFacts, 'arm64RamProportionalReserve'>>;

/** The build profile fields the reservations read. */
export type ReservationBuild = Pick<KernelBuild, 'id' | 'fixedReservedPages' | 'extraNodePages' | 'percpuPagesPerCpu'>;

const swiotlbDefaultBytes = 64 * 2 ** 20;
/** swiotlb bookkeeping: `io_tlb_mem.slots` (24 B per 2 KiB slab → 192 pages for 64 MiB) and its areas. */
const swiotlbMetadataPages = 195;

/** The bounce buffer `swiotlb=` asks for (its leading slab count × 2 KiB), else the 64 MiB default. */
function swiotlbBytes(swiotlb: string | undefined): number {
  const slabs = swiotlb === undefined ? undefined : /^\d+/.exec(swiotlb)?.[0];
  return slabs === undefined ? swiotlbDefaultBytes : Number(slabs) * 2048;
}
/**
 * With la57 the mem_section root array covers 52 physical bits instead of 46 (1 MiB instead of 16 KiB), and other
 * early tables grow too: a Debian 6.12 boot under QEMU `-cpu max` reserves 502 pages (2008 KiB) more than `qemu64`.
 */
const fiveLevelSectionRootPages = 502;
const sectionPages = 32768;
/** 64-byte struct page × 32768 pages: the vmemmap of one 128 MiB section. */
const memmapPagesPerSection = 512;

function presentSections(ranges: readonly RamRange[], node: number): number {
  // The union of each range's [first, last] section, counted interval by interval (linear in ranges, not in RAM).
  const spans = ranges
    .filter((x) => x.node === node && x.endPfn > x.startPfn)
    .map((r) => [Math.floor(r.startPfn / sectionPages), Math.floor((r.endPfn - 1) / sectionPages)] as const)
    .sort((a, b) => a[0] - b[0]);
  let count = 0;
  let last = -1;
  for (const [first, end] of spans) {
    const from = Math.max(first, last + 1);
    if (end >= from) count += end - from + 1;
    last = Math.max(last, end);
  }
  return count;
}

/**
 * The memblock reservations that are still held when `tcp_init()` runs, and the managed pages per zone that
 * result (`memblock_free_all()` hands everything else to the buddy allocator; deferred struct-page init has finished
 * before initcalls). The kernel-image part comes from the measured build profile; the rest scales with the machine:
 * memmap per present 128 MiB section, NODE_DATA per node, percpu units per possible CPU, the early dentry/inode
 * hashes (single memory node only: with NUMA `hashdist` moves them to vmalloc), swiotlb when RAM reaches above 4 GiB,
 * crashkernel, and the initrd (freed later, by populate_rootfs).
 */
export function bootReservations(
  machine: ReservationMachine,
  ranges: readonly RamRange[],
  spans: readonly ZoneSpan[],
  series: ReservationSeries,
  build: ReservationBuild,
): BootReservations {
  const notes: string[] = [];
  const nodes = [...new Set(spans.map((z) => z.node))].sort((a, b) => a - b);
  const remaining = spans.map((z) => z.present);
  const reservations: Reservation[] = [];
  const zoneOrder: ZoneName[] = ['Normal', 'DMA32', 'DMA'];

  // The first span of each (node, zone), as spans.findIndex would find it; -1 when there is none.
  const first = new Map<string, number>();
  spans.forEach((z, i) => {
    const key = `${z.node} ${z.zone}`;
    if (!first.has(key)) first.set(key, i);
  });
  const index = (node: number, zone: ZoneName): number => first.get(`${node} ${zone}`) ?? -1;
  const topDown = [...nodes].reverse();
  // The orders that do not depend on the request, built once (plain loops: flatMap was a third of this function).
  const below4g: number[] = [];
  for (const n of topDown) below4g.push(index(n, 'DMA32'), index(n, 'DMA'));
  for (const n of nodes) for (const z of zoneOrder) below4g.push(index(n, z));
  const memoryTop: number[] = [];
  for (const n of topDown) for (const z of zoneOrder) memoryTop.push(index(n, z));

  const candidates = (placement: Placement): readonly number[] => {
    switch (placement.kind) {
      case 'zone':
        return [index(placement.node, placement.zone), ...zoneOrder.map((z) => index(placement.node, z))];
      case 'node-top':
        return zoneOrder.map((z) => index(placement.node, z));
      case 'below-4g':
        return below4g;
      case 'memory-top':
        return memoryTop;
    }
  };
  const reserve = (what: string, pages: number, placement: Placement, beforeFreeAreaInit: boolean): void => {
    if (pages <= 0) return;
    let left = pages;
    const taken: Array<{ node: number; zone: ZoneName; pages: number }> = [];
    for (const i of candidates(placement)) {
      const span = spans[i];
      const free = remaining[i];
      if (span === undefined || free === undefined || free <= 0 || left <= 0) continue;
      const take = Math.min(left, free);
      remaining[i] = free - take;
      left -= take;
      taken.push({ node: span.node, zone: span.zone, pages: take });
    }
    reservations.push({ what, pages: pages - left, beforeFreeAreaInit, taken });
  };

  const node0 = nodes[0] ?? 0;
  const arm64 = archOfPlatform(machine.platform) === 'aarch64';
  const lowPresent = ranges.filter((r) => r.startPfn < 256).reduce((s, r) => s + Math.min(r.endPfn, 256) - r.startPfn, 0);
  // x86 setup_arch(): reserve_real_mode()/"x86/setup: Always reserve the first 1M of RAM" (5.13+); before, the
  // first 64 KiB (reserve_low) and the real-mode trampoline. arm64 has no such area.
  if (!arm64) reserve('first MiB (BIOS area, real-mode trampoline)', series.reservesFirstMegabyte ? lowPresent : Math.min(lowPresent, 20), { kind: 'zone', node: node0, zone: 'DMA' }, true);
  // arm64 loads the image low in RAM (ZONE_DMA); x86-64 at 16 MiB and up (ZONE_DMA32).
  reserve(`kernel image and fixed early allocations (${build.id})`, build.fixedReservedPages, { kind: 'zone', node: node0, zone: arm64 ? 'DMA' : 'DMA32' }, true);
  for (const node of nodes.slice(1)) reserve(`NODE_DATA(${node})`, build.extraNodePages, { kind: 'node-top', node }, true);
  for (const node of nodes) {
    const sections = presentSections(ranges, node);
    reserve(`memmap of node ${node} (${sections} sections × 2 MiB)`, sections * memmapPagesPerSection, { kind: 'node-top', node }, true);
  }
  if (arm64) {
    // arm64 with rodata=full (Debian's and most distributions' default, CONFIG_RODATA_FULL_DEFAULT_ENABLED) maps the
    // linear map with 4 KiB pages (map_mem() without block mappings, so that permissions can change page by page):
    // one PTE table per 2 MiB and one PMD table per 1 GiB of RAM, allocated in paging_init().
    let tables = 0;
    for (const r of ranges) {
      tables += Math.ceil(r.endPfn / 512) - Math.floor(r.startPfn / 512);
      tables += Math.ceil(r.endPfn / 262144) - Math.floor(r.startPfn / 262144);
    }
    reserve('linear map page tables (arm64 rodata=full: 4 KiB mappings)', tables, { kind: 'memory-top' }, true);
    if (series.arm64RamProportionalReserve === true && nodes.length === 1) {
      // 6.12 arm64 (Debian 6.12.118 cloud-arm64 held-out boots): 1/1024 of RAM more on one node; the 2-node boot
      // (4 GiB) kept 1028 pages less than that, i.e. without it — like the early hashes, it follows hashdist.
      const present = ranges.reduce((s, r) => s + r.endPfn - r.startPfn, 0);
      reserve('RAM-proportional early reservation (arm64 6.12: 1/1024 of RAM, measured)', Math.round(present / 1024), { kind: 'memory-top' }, true);
    }
  }
  if (machine.fiveLevelPaging && !arm64) reserve('mem_section roots for 5-level paging', fiveLevelSectionRootPages, { kind: 'memory-top' }, true);
  reserve('initrd (freed after tcp_init by populate_rootfs)', Math.ceil(machine.initrdBytes / 4096), { kind: 'below-4g' }, true);

  const present = spans.reduce((s, z) => s + z.present, 0);
  if (machine.boot.crashkernel !== undefined) {
    const crash = parseCrashkernel(machine.boot.crashkernel, present * 4096, {
      roundUpSystemRam: machine.crashkernelRoundsUpRam === true,
      autoRanges: machine.crashkernelAutoRanges,
    });
    if (crash !== undefined && machine.boot.crashkernel === 'auto') notes.push(crashkernelAutoNote(machine.crashkernelAutoRanges, crash.bytes));
    // reserve_crashkernel() takes one contiguous region (memblock_phys_alloc_range): a size that no RAM range can
    // hold fails ("crashkernel reservation failed - No suitable area found.") and the kernel boots without it.
    const largestRangeBytes = Math.max(0, ...ranges.map((r) => (r.endPfn - r.startPfn) * 4096));
    if (crash !== undefined && crash.bytes > largestRangeBytes) {
      notes.push(`crashkernel=${machine.boot.crashkernel}: ${Math.round(crash.bytes / 2 ** 20)} MiB is more than the largest RAM range (${Math.round(largestRangeBytes / 2 ** 20)} MiB), so the kernel cannot reserve it and reserves nothing ("crashkernel reservation failed").`);
    } else if (crash === undefined) {
      const what = machine.boot.crashkernel === 'auto' ? 'this kernel has no crashkernel=auto (a RHEL 7/8 patch) or no size of it applies (RHEL 7: below 2 GiB)' : 'no size applies to this machine';
      notes.push(`crashkernel=${machine.boot.crashkernel}: ${what} (${machine.crashkernelRoundsUpRam === true ? 'system RAM rounded up to 128 MiB' : 'system RAM as memblock counts it'}); nothing reserved.`);
    } else if (crash.high) {
      reserve('crashkernel (high)', Math.ceil(crash.bytes / 4096), { kind: 'memory-top' }, true);
      // The low part is reserved only when the region landed above 4 GiB (`crash_base >= CRASH_ADDR_LOW_MAX`), i.e.
      // when there is RAM up there; its size is crashkernel=Y,low or DEFAULT_CRASH_KERNEL_LOW_SIZE.
      const ramAbove4g = ranges.some((r) => r.endPfn > maxDma32Pfn);
      const lowBytes = ramAbove4g ? crashkernelLowBytes(machine.boot.crashkernelLow, arm64 ? 'aarch64' : 'x86_64', swiotlbBytes(machine.boot.swiotlb)) : 0;
      if (lowBytes > 0) reserve(`crashkernel (low part for ,high${machine.boot.crashkernelLow === undefined ? ', default size' : ''})`, Math.ceil(lowBytes / 4096), { kind: 'below-4g' }, true);
    } else reserve('crashkernel', Math.ceil(crash.bytes / 4096), { kind: 'below-4g' }, true);
  }

  // After free_area_init(): percpu, early VFS hashes, swiotlb.
  reserve(`percpu first chunk (${machine.cpus} CPUs × ${build.percpuPagesPerCpu} pages)`, machine.cpus * build.percpuPagesPerCpu, { kind: 'node-top', node: node0 }, false);

  const reservedBefore = reservations.filter((r) => r.beforeFreeAreaInit).reduce((s, r) => s + r.pages, 0);
  const counts: KernelPageCounts =
    series.nrKernelPagesMethod === 'memblock-free' ? nrKernelPagesFromMemblock(present, reservedBefore) : nrKernelPagesFromZones(spans);

  // vfs_caches_init_early(): dcache_init_early()/inode_init_early() only when !hashdist (one memory node).
  if (nodes.length === 1) {
    const context = { nrKernelPages: counts.nrKernelPages, nrAllPages: counts.nrAllPages, pageShift: 12, adaptiveScale: series.adaptiveHashScale };
    const dentry = allocLargeSystemHash({ bucketBytes: 8, numentries: 0, scale: 13, lowLimit: 0, highLimit: 0 }, context);
    const inode = allocLargeSystemHash({ bucketBytes: 8, numentries: 0, scale: 14, lowLimit: 0, highLimit: 0 }, context);
    reserve(`Dentry cache hash (${dentry.entries} entries)`, Math.ceil(dentry.bytes / 4096), { kind: 'memory-top' }, false);
    reserve(`Inode-cache hash (${inode.entries} entries)`, Math.ceil(inode.bytes / 4096), { kind: 'memory-top' }, false);
  }

  // pci_swiotlb_detect(): bounce buffers when RAM reaches above 4 GiB (memblock_alloc_low, so below 4 GiB).
  const maxPfn = Math.max(0, ...ranges.map((r) => r.endPfn));
  const swiotlb = machine.boot.swiotlb;
  if (maxPfn > maxDma32Pfn && swiotlb !== 'noforce' && swiotlb !== 'off') {
    const slabs = swiotlbBytes(swiotlb) / 2048;
    const pages = Math.ceil((slabs * 2048) / 4096) + Math.ceil((swiotlbMetadataPages * slabs) / 32768);
    reserve(`swiotlb bounce buffer (${(slabs * 2048) / 2 ** 20} MiB + slot array)`, pages, { kind: 'below-4g' }, false);
  }

  // Spelled out rather than spread: the same object, without V8's slow generic copy of the span.
  const zones = spans.map((span, i) => ({ node: span.node, zone: span.zone, startPfn: span.startPfn, spanned: span.spanned, present: span.present, managed: remaining[i] ?? 0 }));
  return { zones, reservations, counts, notes };
}

/** What `crashkernel=auto` was read as, and what it reserved: the distribution's patch decides, so it is said. */
function crashkernelAutoNote(autoRanges: string | undefined, bytes: number): string {
  const mib = Math.round(bytes / 2 ** 20);
  const rule = autoRanges === rhel7CrashkernelAuto ? "RHEL 7's arch_default_crash_size(): 160 MiB + (system RAM − 160 MiB)/16384, rounded up to 1 MiB" : `the distribution's range table ${autoRanges ?? '(none)'}`;
  return `crashkernel=auto: read as ${rule}; ${mib} MiB reserved for the crash kernel on this machine (give crashkernel=SIZE or the host's boot log to be exact).`;
}
