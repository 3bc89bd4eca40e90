/** The x86-64 zones the model knows, in zone-index order (HighMem does not exist on 64-bit; Device is never managed). */
export const zoneNames = ['DMA', 'DMA32', 'Normal', 'Movable'] as const;
export type ZoneName = (typeof zoneNames)[number];

/** The first pfn above each zone on x86-64 with 4 KiB pages: DMA < 16 MiB, DMA32 < 4 GiB (`MAX_DMA_PFN`, `MAX_DMA32_PFN`). */
export const maxDmaPfn = 4096;
export const maxDma32Pfn = 1 << 20;

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
