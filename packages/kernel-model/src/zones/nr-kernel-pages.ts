import type { ZoneSpan } from './zone-names';

/** `calc_memmap_size()` (mm/page_alloc.c 3.10 → 6.9): pages of struct page (64 B) the zone is charged for. */
export function calcMemmapSize(spanned: number, present: number): number {
  // With SPARSEMEM, zones with big holes are charged for present pages only.
  const pages = spanned > present + Math.floor(present / 16) ? present : spanned;
  return Math.ceil((pages * 64) / 4096);
}

/** `nr_kernel_pages` and `nr_all_pages` as the kernel counts them before tcp_init. */
export interface KernelPageCounts {
  readonly nrKernelPages: number;
  readonly nrAllPages: number;
}

/**
 * `free_area_init_core()` (3.10 → 6.9): every zone adds `present − calc_memmap_size(spanned, present)` (when the
 * memmap fits) to nr_all_pages and, being lowmem on x86-64 (Movable included), to nr_kernel_pages. dma_reserve is 0
 * on x86.
 */
export function nrKernelPagesFromZones(zones: readonly ZoneSpan[]): KernelPageCounts {
  let total = 0;
  for (const zone of zones) {
    const memmap = calcMemmapSize(zone.spanned, zone.present);
    total += zone.present >= memmap ? zone.present - memmap : zone.present;
  }
  return { nrKernelPages: total, nrAllPages: total };
}

/**
 * `calc_nr_kernel_pages()` (≥ 6.10): the memblock free ranges when `free_area_init()` runs, i.e. present pages
 * minus everything reserved by then (kernel image, initrd, memmap, NODE_DATA, crashkernel, early page tables).
 */
export function nrKernelPagesFromMemblock(present: number, reservedAtFreeAreaInit: number): KernelPageCounts {
  const free = Math.max(0, present - reservedAtFreeAreaInit);
  return { nrKernelPages: free, nrAllPages: free };
}
