import type { ThpMode } from '../hardware/parse-boot-cmdline';
import type { SeriesFacts } from '../series/series-facts';
import { countsInNrFreeBufferPages, type ZoneName } from './zone-names';

/** The min/low/high watermarks of one zone (pages). */
export interface ZoneWatermarks {
  readonly min: number;
  readonly low: number;
  readonly high: number;
}

/** What the watermark code needs of a zone. */
export interface WatermarkZone {
  readonly zone: ZoneName;
  readonly managed: number;
}

/** The series facts the boot watermark replay reads. */
export type WatermarkSeries = Pick<
  SeriesFacts,
  'series' | 'initcallRegime' | 'minFreeKbytesCap' | 'watermarkFormula' | 'watermarkScaleFactor' | 'thpZoneCounting' | 'thpOffRecomputesMinFree'
>;

/** `int_sqrt()` (lib/math/int_sqrt.c): floor of the square root. */
export function intSqrt(n: number): number {
  let root = Math.floor(Math.sqrt(n));
  while (root * root > n) root--;
  while ((root + 1) * (root + 1) <= n) root++;
  return root;
}

/** `mult_frac(x, n, d)` (include/linux/math.h): x·n/d without overflowing. */
function multFrac(x: number, n: number, d: number): number {
  return Math.floor(x / d) * n + Math.floor(((x % d) * n) / d);
}

/**
 * `calculate_min_free_kbytes()` (6.1+; inline in `init_per_zone_wmark_min()` before): int_sqrt(lowmem_kbytes × 16)
 * clamped to [128, cap] (cap 65536 ≤ 5.6, 262144 ≥ 5.7).
 */
export function sqrtMinFreeKbytes(lowmemKbytes: number, cap: number): number {
  return Math.min(Math.max(intSqrt(lowmemKbytes * 16), 128), cap);
}

/**
 * `__setup_per_zone_wmarks()`: min = pages_min × managed / lowmem_pages (lowmem_pages = Σ managed of every zone,
 * Movable included; no HighMem on x86-64). ≤ 4.5: low = min + min/4, high = min + min/2. ≥ 4.6: t = max(min/4,
 * mult_frac(managed, watermark_scale_factor, 10000)), low = min + t, high = min + 2t. The boost (5.0+) is reset to 0.
 */
export function setupPerZoneWmarks(zones: readonly WatermarkZone[], minFreeKbytes: number, series: Pick<SeriesFacts, 'watermarkFormula' | 'watermarkScaleFactor'>, pageSize = 4096): ZoneWatermarks[] {
  const pagesMin = Math.floor(minFreeKbytes / (pageSize / 1024));
  const lowmemPages = zones.reduce((sum, z) => sum + z.managed, 0);
  return zones.map((z) => {
    const min = lowmemPages === 0 ? 0 : Math.floor((pagesMin * z.managed) / lowmemPages);
    if (series.watermarkFormula === 'min-quarter-half') return { min, low: min + Math.floor(min / 4), high: min + Math.floor(min / 2) };
    const t = Math.max(Math.floor(min / 4), multFrac(z.managed, series.watermarkScaleFactor ?? 10, 10000));
    return { min, low: min + t, high: min + 2 * t };
  });
}

/**
 * `nr_free_buffer_pages()` = `nr_free_zone_pages(gfp_zone(GFP_USER))` (mm/page_alloc.c, 3.9 → 7.1): over the local
 * node's fallback zonelist (every node's zones), Σ max(0, managed − high) of the zones ≤ Normal.
 */
export function nrFreeBufferPages(zones: readonly WatermarkZone[], watermarks: readonly ZoneWatermarks[] | undefined): number {
  return zones.reduce((sum, z, i) => {
    if (!countsInNrFreeBufferPages(z.zone)) return sum;
    const high = watermarks?.[i]?.high ?? 0;
    return sum + Math.max(0, z.managed - high);
  }, 0);
}

/**
 * `set_recommended_min_free_kbytes()` (mm/huge_memory.c ≤ 4.7, mm/khugepaged.c ≥ 4.8): pageblock_nr_pages ×
 * zones × (2 + MIGRATE_PCPTYPES²) pages, at most 5% of nr_free_buffer_pages(); zones = populated zones (≤ 4.14 all
 * of them, ≥ 4.19 only those ≤ ZONE_NORMAL). pageblock_nr_pages is a PMD's pages, PTRS_PER_PTE = PAGE_SIZE / 8:
 * 512 with 4 KiB pages (2 MiB), 2048 with 16 KiB (32 MiB), 8192 with 64 KiB (512 MiB: arm64's 64k flavours).
 */
export function thpRecommendedPages(zones: readonly WatermarkZone[], nfbp: number, series: Pick<SeriesFacts, 'thpZoneCounting'>, pageSize = 4096): { pages: number; zones: number; pageblockPages: number } {
  const counted = zones.filter((z) => z.managed > 0 && (series.thpZoneCounting === 'all-populated' || countsInNrFreeBufferPages(z.zone))).length;
  const pageblockPages = pageSize / 8;
  return { pages: Math.min(pageblockPages * counted * 11, Math.floor(nfbp / 20)), zones: counted, pageblockPages };
}

/** The watermark history of one boot, as far as tcp_init and min_free_kbytes are concerned. */
export interface BootWatermarks {
  /** The int_sqrt value from `init_per_zone_wmark_min()`. */
  readonly sqrtMinFreeKbytes: number;
  /** The THP recommendation (KiB), if khugepaged started. */
  readonly thpRecommendedKbytes: number | undefined;
  /** Whether the THP recommendation raised min_free_kbytes. */
  readonly thpRaised: boolean;
  /** min_free_kbytes once boot is over (what /proc/sys/vm/min_free_kbytes shows). */
  readonly minFreeKbytes: number;
  /** The watermarks after boot. */
  readonly final: readonly ZoneWatermarks[];
  /** The watermarks tcp_init() saw (all zero before 3.14 and without THP before 4.6). */
  readonly atTcpInit: readonly ZoneWatermarks[];
  /** min_free_kbytes in force when tcp_init() ran (0 = no watermarks yet). */
  readonly minFreeKbytesAtTcpInit: number;
  readonly steps: readonly string[];
}

/**
 * Replays the boot-time watermark setup in initcall order (`init_per_zone_wmark_min()`, mm/page_alloc.c: module_init
 * ≤ 4.5, core_initcall 4.6 – 5.8, postcore_initcall ≥ 5.9; `hugepage_init()`, mm/huge_memory.c: subsys_initcall ≥ 3.14) and returns both the watermarks that
 * `tcp_init()` (fs_initcall) saw and the final ones.
 */
export function bootWatermarks(zones: readonly WatermarkZone[], series: WatermarkSeries, thp: ThpMode | 'not-built', pageSize = 4096): BootWatermarks {
  const steps: string[] = [];
  const kib = pageSize / 1024;
  const zero = zones.map(() => ({ min: 0, low: 0, high: 0 }));
  const lowmemKbytes = nrFreeBufferPages(zones, undefined) * kib;
  const sqrt = sqrtMinFreeKbytes(lowmemKbytes, series.minFreeKbytesCap);
  steps.push(`init_per_zone_wmark_min: lowmem_kbytes = nr_free_buffer_pages() × ${kib} = ${lowmemKbytes}; int_sqrt(${lowmemKbytes} × 16) clamped to [128, ${series.minFreeKbytesCap}] = ${sqrt}`);
  const totalram = zones.reduce((sum, z) => sum + z.managed, 0);
  // hugepage_init(): THP is switched off below 512 MiB of totalram_pages.
  const enabled = thp !== 'never' && thp !== 'not-built';
  const khugepaged = enabled && totalram * pageSize >= 512 * 2 ** 20;
  if (enabled && !khugepaged) steps.push(`hugepage_init: totalram_pages ${totalram} < 512 MiB, THP switched off: no min_free_kbytes raise`);
  if (thp === 'never') steps.push('transparent_hugepage=never: khugepaged does not start, no min_free_kbytes raise');

  const raise = (mfk: number, wm: readonly ZoneWatermarks[]): { mfk: number; rec: number; raised: boolean } => {
    const nfbp = nrFreeBufferPages(zones, wm);
    const rec = thpRecommendedPages(zones, nfbp, series, pageSize);
    const recKbytes = rec.pages * kib;
    steps.push(`set_recommended_min_free_kbytes: min(${rec.pageblockPages} × ${rec.zones} zones × 11, nr_free_buffer_pages ${nfbp} / 20) = ${rec.pages} pages = ${recKbytes} KiB`);
    return recKbytes > mfk ? { mfk: recKbytes, rec: recKbytes, raised: true } : { mfk, rec: recKbytes, raised: false };
  };

  switch (series.initcallRegime) {
    case 'final': {
      let mfk = sqrt;
      let wm = setupPerZoneWmarks(zones, mfk, series, pageSize);
      let rec: number | undefined;
      let raised = false;
      if (khugepaged) {
        const r = raise(mfk, wm);
        rec = r.rec;
        raised = r.raised;
        mfk = r.mfk;
        wm = setupPerZoneWmarks(zones, mfk, series, pageSize);
      } else if (thp === 'never' && series.thpOffRecomputesMinFree && totalram * pageSize >= 512 * 2 ** 20) {
        // hugepage_init → start_stop_khugepaged → set_recommended_min_free_kbytes → calculate_min_free_kbytes().
        const lowmem = nrFreeBufferPages(zones, wm) * kib;
        mfk = sqrtMinFreeKbytes(lowmem, series.minFreeKbytesCap);
        steps.push(`set_recommended_min_free_kbytes with THP off: calculate_min_free_kbytes() again from nr_free_buffer_pages() × ${kib} = ${lowmem} (watermarks in place) = ${mfk}`);
        wm = setupPerZoneWmarks(zones, mfk, series, pageSize);
      }
      return { sqrtMinFreeKbytes: sqrt, thpRecommendedKbytes: rec, thpRaised: raised, minFreeKbytes: mfk, final: wm, atTcpInit: wm, minFreeKbytesAtTcpInit: mfk, steps };
    }
    case 'thp-only': {
      // hugepage_init (subsys) runs while min_free_kbytes is still its static 1024.
      let atTcp = zero as readonly ZoneWatermarks[];
      let atTcpMfk = 0;
      let rec: number | undefined;
      if (khugepaged) {
        const r = raise(1024, zero);
        rec = r.rec;
        if (r.raised) {
          atTcpMfk = r.mfk;
          atTcp = setupPerZoneWmarks(zones, r.mfk, series, pageSize);
        }
      }
      steps.push('tcp_init (fs_initcall) runs before init_per_zone_wmark_min (module_init)');
      let mfk = sqrt;
      let final = setupPerZoneWmarks(zones, mfk, series, pageSize);
      let raised = false;
      if (khugepaged && series.series.startsWith('3.')) {
        // 3.14 – 4.0: late_initcall(set_recommended_min_free_kbytes) raises again after the sqrt value.
        const r = raise(mfk, final);
        raised = r.raised;
        mfk = r.mfk;
        final = setupPerZoneWmarks(zones, mfk, series, pageSize);
      } else if (khugepaged) steps.push('4.1 – 4.5: the sqrt value overwrites the THP value at module_init (no late re-raise)');
      return { sqrtMinFreeKbytes: sqrt, thpRecommendedKbytes: rec, thpRaised: raised, minFreeKbytes: mfk, final, atTcpInit: atTcp, minFreeKbytesAtTcpInit: atTcpMfk, steps };
    }
    case 'none':
    case 'none-then-recompute': {
      steps.push('tcp_init (fs_initcall) runs before init_per_zone_wmark_min and hugepage_init (module_init): no watermarks yet');
      let mfk = sqrt;
      let final = setupPerZoneWmarks(zones, mfk, series, pageSize);
      let rec: number | undefined;
      let raised = false;
      if (khugepaged) {
        const r = raise(mfk, final);
        rec = r.rec;
        raised = r.raised;
        mfk = r.mfk;
        final = setupPerZoneWmarks(zones, mfk, series, pageSize);
      }
      return { sqrtMinFreeKbytes: sqrt, thpRecommendedKbytes: rec, thpRaised: raised, minFreeKbytes: mfk, final, atTcpInit: zero, minFreeKbytesAtTcpInit: 0, steps };
    }
  }
}
