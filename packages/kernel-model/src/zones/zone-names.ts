/** The x86-64 zones the model knows, in zone-index order (HighMem does not exist on 64-bit; Device is never managed). */
export const zoneNames = ['DMA', 'DMA32', 'Normal', 'Movable'] as const;
export type ZoneName = (typeof zoneNames)[number];

/** The first pfn above each zone on x86-64 with 4 KiB pages: DMA < 16 MiB, DMA32 < 4 GiB (`MAX_DMA_PFN`, `MAX_DMA32_PFN`). */
export const maxDmaPfn = 4096;
export const maxDma32Pfn = 1 << 20;

/** The architectures whose zone limits and early reservations the model knows. */
export type Arch = 'x86_64' | 'aarch64';

/**
 * The zone limits `free_area_init()` gets (`max_zone_pfns[]`), as [first, end) pfns with 4 KiB pages.
 * x86-64: DMA < 16 MiB, DMA32 < 4 GiB (`zone_sizes_init`, arch/x86/mm/init.c).
 * arm64 6.1+ (`zone_sizes_init`, arch/arm64/mm/init.c): ZONE_DMA ends at `max_zone_phys(zone_dma_bits)`, where
 * `zone_dma_bits` is min(32, the device tree's / IORT's DMA reach) — 32 on QEMU `virt` and on most servers —, and
 * ZONE_DMA32 at `max_zone_phys(32)`, the same limit, so DMA32 is empty; when all RAM starts above 4 GiB
 * `max_zone_phys` returns PHYS_ADDR_MAX and every page is ZONE_DMA.
 */
export function zoneLimitsFor(arch: Arch, firstPfn: number): Readonly<Record<'DMA' | 'DMA32' | 'Normal', readonly [number, number]>> {
  if (arch === 'aarch64') {
    const dmaEnd = firstPfn >= maxDma32Pfn ? Number.MAX_SAFE_INTEGER : maxDma32Pfn;
    return { DMA: [0, dmaEnd], DMA32: [dmaEnd, dmaEnd], Normal: [dmaEnd, Number.MAX_SAFE_INTEGER] };
  }
  return { DMA: [0, maxDmaPfn], DMA32: [maxDmaPfn, maxDma32Pfn], Normal: [maxDma32Pfn, Number.MAX_SAFE_INTEGER] };
}

/** `zone_idx(zone) <= gfp_zone(GFP_USER)`: the zones `nr_free_buffer_pages()` counts (DMA, DMA32, Normal). */
export function countsInNrFreeBufferPages(zone: ZoneName): boolean {
  return zone !== 'Movable';
}

/** A zone of one node as `free_area_init` sizes it. */
export interface ZoneSpan {
  readonly node: number;
  readonly zone: ZoneName;
  readonly startPfn: number;
  readonly spanned: number;
  readonly present: number;
}
