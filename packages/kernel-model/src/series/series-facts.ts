import { atLeast, compareVersion, seriesOf, type KernelVersion } from './kernel-version';

/**
 * When, relative to `tcp_init()` (fs_initcall, level 5), the zone watermarks are set: the initcall
 * level of `init_per_zone_wmark_min()` (mm/page_alloc.c: module_init ≤ 4.5, core_initcall 4.6 – 5.8, postcore_initcall
 * ≥ 5.9) and of `hugepage_init()` (mm/huge_memory.c: module_init ≤ 3.13, subsys_initcall ≥ 3.14); `tcp_init()` runs
 * from `inet_init()` (net/ipv4/af_inet.c, fs_initcall in every version).
 * - `none-then-recompute`: 3.10/3.11 — no watermarks at tcp_init; init_net's tcp_mem is recomputed at level 6
 *   (`ipv4_sysctl_init_net`) after `init_per_zone_wmark_min` and the THP raise have run.
 * - `none`: 3.12/3.13 — no watermarks at tcp_init (both mm initcalls run at level 6/7).
 * - `thp-only`: 3.14 – 4.5 — `hugepage_init` (subsys, 4) sets THP-based watermarks if khugepaged starts; the sqrt
 *   value is only computed at level 6.
 * - `final`: ≥ 4.6 (and 4.4.y stables carrying bc22af74f271) — sqrt watermarks at core/postcore, THP raise at
 *   subsys: tcp_init sees the final boot watermarks.
 */
export type InitcallRegime = 'none-then-recompute' | 'none' | 'thp-only' | 'final';

/** How `nr_kernel_pages` (the base of every `alloc_large_system_hash` table) is counted: `present − calc_memmap_size()` per
 * zone in `free_area_init_core()` (mm/page_alloc.c, 3.10 – 6.9), or the memblock free ranges in `calc_nr_kernel_pages()`
 * (mm/mm_init.c, ≥ 6.10). */
export type NrKernelPagesMethod = 'present-minus-memmap' | 'memblock-free';

/** Which zones `set_recommended_min_free_kbytes()` counts (mm/huge_memory.c ≤ 4.7, mm/khugepaged.c ≥ 4.8):
 * every populated zone up to 4.14, only zones ≤ `gfp_zone(GFP_USER)` from 4.19. */
export type ThpZoneCounting = 'all-populated' | 'up-to-normal';

/** The per-series constants and switches of the boot-time TCP memory model, each with its evidence. */
export interface SeriesFacts {
  /** The series the facts were chosen for (`6.1`). */
  readonly series: string;
  /** tcp_mem divisor D: `nr_free_buffer_pages() / D` (8 up to 4.1, 16 from 4.2). */
  readonly tcpMemDivisor: 8 | 16;
  /** SK_MEM_QUANTUM for tcp_rmem[0]/tcp_wmem[0]: PAGE_SIZE ≤ 4.9 and ≥ 6.1, fixed 4096 in 4.10 – 6.0. */
  readonly skMemQuantum: 'page-size' | 4096;
  /** tcp_rmem[1] and the floor of tcp_rmem[2]: 87380 up to 4.19, 131072 from 4.20. */
  readonly rmemDefault: number;
  /** The cap of tcp_rmem[2]: 6 MiB up to 6.15, 32 MiB from 6.16. */
  readonly rmemMax: number;
  /** tcp_wmem[1]: 16384 in every series. */
  readonly wmemDefault: number;
  /** The cap of tcp_wmem[2]: 4 MiB in every series. */
  readonly wmemMax: number;
  /** The floor of tcp_wmem[2]: 64 KiB in every series. */
  readonly wmemMaxFloor: number;
  /** sizeof(struct inet_ehash_bucket) on x86-64. */
  readonly ehashBucketBytes: number;
  /** Bytes per "TCP bind" bucket: 16 up to 6.0, 32 from 6.1 (bhash2 shares the allocation). */
  readonly bhashBucketBytes: 16 | 32;
  /** tcp_max_syn_backlog = max(128, ehash / divisor): 256 up to 5.3, 128 from 5.4. */
  readonly synBacklogDivisor: 128 | 256;
  /** net.core.somaxconn default: 128 up to 5.3, 4096 from 5.4. */
  readonly somaxconn: number;
  /** net.ipv4.tcp_limit_output_bytes default. */
  readonly tcpLimitOutputBytes: number;
  /** net.core.rmem_max / wmem_max default: 212992 up to 6.17, 4 MiB from 6.18. */
  readonly coreMemMax: number;
  /** net.core.rmem_default / wmem_default (SK_RMEM_DEFAULT, 256 × SKB_TRUESIZE(256) on x86-64). */
  readonly coreMemDefault: number;
  /** The upper clamp of the sqrt min_free_kbytes: 65536 up to 5.6, 262144 from 5.7. */
  readonly minFreeKbytesCap: number;
  /** `__setup_per_zone_wmarks`: `min-quarter-half` (≤ 4.5: low = min×5/4, high = min×3/2) or `scale-factor` (≥ 4.6). */
  readonly watermarkFormula: 'min-quarter-half' | 'scale-factor';
  /** vm.watermark_scale_factor default (10 from 4.6; undefined before). */
  readonly watermarkScaleFactor: number | undefined;
  readonly initcallRegime: InitcallRegime;
  readonly nrKernelPagesMethod: NrKernelPagesMethod;
  readonly thpZoneCounting: ThpZoneCounting;
  /** With THP disabled, `set_recommended_min_free_kbytes()` (still called by hugepage_init ≥ 512 MiB) recomputes
   * the sqrt value from nr_free_buffer_pages() with the watermarks already in place (6.1+). */
  readonly thpOffRecomputesMinFree: boolean;
  /** `alloc_large_system_hash` raises the scale for every ×4 of memory above 64 GiB when high_limit is 0 (≥ 4.13). */
  readonly adaptiveHashScale: boolean;
  /** x86 reserves the whole first MiB from 5.13 ("x86/setup: Always reserve the first 1M of RAM"). */
  readonly reservesFirstMegabyte: boolean;
  /** arm64 keeps 1/1024 of RAM more at tcp_init than its linear-map tables (measured on Debian 6.12.118 cloud-arm64
   * at 256 MiB, 1 GiB and 2 GiB: 195 and 258 pages more per 768 MiB and 1 GiB; absent on 6.1 and on the 2-node
   * 6.12 boot); cause not pinned. */
  readonly arm64RamProportionalReserve: boolean;
  /** tcp_max_tw_buckets/tcp_max_syn_backlog are per-netns (set in tcp_sk_init/tcp_set_hashinfo) from 4.12. */
  readonly perNetnsTwAndSynBacklog: boolean;
  /** tcp_rmem/tcp_wmem are per-netns from 4.15. */
  readonly perNetnsRmemWmem: boolean;
  /** net.ipv4.tcp_child_ehash_entries and tcp_ehash_entries exist (6.1+). */
  readonly hasChildEhash: boolean;
  /** The "tcp_listen_portaddr_hash" (lhash2) table exists (4.19+). */
  readonly hasLhash2: boolean;
  /** Uncertainties that apply to this version, stated instead of guessed silently. */
  readonly notes: readonly string[];
}

/** The series whose kernel trees the model was read from (docs/kernel-model.md, "The kernel trees read"). */
export const supportedSeries = [
  '3.10', '4.4', '4.9', '4.14', '4.19', '5.4', '5.10', '5.15', '6.1', '6.6', '6.12', '6.18', '7.1',
] as const;

const mib = 1024 * 1024;

/** What the series facts read of a release: its numbers, not its suffix. */
export type VersionNumbers = Pick<KernelVersion, 'major' | 'minor' | 'patch'>;

/** Picks the value of the last threshold the version has reached (`[[since, value], …]` in ascending order). */
function since<T>(version: VersionNumbers, first: T, steps: ReadonlyArray<readonly [string, T]>): T {
  let value = first;
  for (const [from, next] of steps) if (atLeast(version, from)) value = next;
  return value;
}

function initcallRegime(version: VersionNumbers): InitcallRegime {
  if (!atLeast(version, '3.12')) return 'none-then-recompute';
  if (!atLeast(version, '3.14')) return 'none';
  if (!atLeast(version, '4.6')) {
    // bc22af74f271 was backported to 4.4.y (4.4.178 has it): late 4.4 stables behave like 4.6.
    if (version.major === 4 && version.minor === 4 && (version.patch ?? 0) >= 178) return 'final';
    return 'thp-only';
  }
  return 'final';
}

function uncertainties(version: VersionNumbers): string[] {
  const notes: string[] = [];
  const series = seriesOf(version);
  if (series === '4.4') {
    notes.push(
      (version.patch ?? 0) >= 178
        ? '4.4: this sublevel is assumed to carry the bc22af74f271 backport (4.4.178 has it), so tcp_init sees the final watermarks; the exact 4.4.y that took it is not pinned.'
        : `4.4: ${version.patch === undefined ? 'no sublevel given; ' : ''}modelled as vanilla 4.4 (tcp_init before the sqrt watermarks). Stable 4.4.y kernels that carry the bc22af74f271 backport (4.4.178 has it) see the final watermarks instead; distribution "4.4.0-N" releases hide the real sublevel.`,
    );
  }
  if (series === '3.12' || series === '3.13')
    notes.push(`${series}: the move of tcp_mem from per-netns back to global (no device_initcall recompute) happened in 3.12 or 3.13 (not pinned); modelled as global.`);
  if (compareVersion(version, '4.11') >= 0 && compareVersion(version, '4.12') < 0)
    notes.push('4.11: whether tcp_max_tw_buckets/tcp_max_syn_backlog were already per-netns is not pinned (4.11 or 4.12); the values are the same either way.');
  if (compareVersion(version, '4.15') >= 0 && compareVersion(version, '4.19') < 0)
    notes.push(`${series}: the THP min_free_kbytes raise counts zones up to ZONE_NORMAL from 4.19 and all populated zones up to 4.14; ${series} is between and is modelled as counting all populated zones (differs only with ZONE_MOVABLE).`);
  if (compareVersion(version, '4.13') >= 0 && compareVersion(version, '4.14') < 0)
    notes.push('4.13: the adaptive hash scale (only for tables with high_limit 0, never TCP) is assumed present.');
  if (compareVersion(version, '5.12') >= 0 && compareVersion(version, '5.14') < 0)
    notes.push(`${series}: reserving the whole first MiB on x86 is modelled from 5.13 (a few hundred KiB of difference).`);
  if (compareVersion(version, '6.13') >= 0 && compareVersion(version, '6.18') < 0)
    notes.push(`${series}: net.core.rmem_max/wmem_max are modelled as 212992; the 4 MiB default ("net: set net.core.rmem_max and net.core.wmem_max to 4 MB", posted Aug 2025) is assumed to land in 6.18.`);
  if (compareVersion(version, '7.2') >= 0)
    notes.push(`${series}: newer than the newest tree read (7.1.5); modelled with the 7.1 facts.`);
  if (compareVersion(version, '3.10') < 0)
    notes.push(`${series}: older than the oldest tree read (3.10.108); modelled with the 3.10 facts.`);
  return notes;
}

/**
 * The facts that apply to a kernel version; any release maps to its regime by version comparison. They depend on
 * major, minor and patch only (not the release suffix): memo/model-memo.ts shares them between releases that way.
 */
export function seriesFactsFor(version: VersionNumbers): SeriesFacts {
  return {
    series: seriesOf(version),
    // tcp_init_mem(): "tcp: halves tcp_mem[] limits" in 4.2 (S4.1=8, S4.2.8=16).
    tcpMemDivisor: since<8 | 16>(version, 8, [['4.2', 16]]),
    skMemQuantum: since<'page-size' | 4096>(version, 'page-size', [['4.10', 4096], ['6.1', 'page-size']]),
    // tcp_init(): a337531b942b "tcp: up initial rmem to 128KB and SYN rwin to around 64KB" (4.20).
    rmemDefault: since(version, 87380, [['4.20', 131072]]),
    // tcp_init(): 572be9bf9d0d "tcp: increase tcp_rmem[2] to 32 MB" (6.16).
    rmemMax: since(version, 6 * mib, [['6.16', 32 * mib]]),
    wmemDefault: 16384,
    wmemMax: 4 * mib,
    wmemMaxFloor: 64 * 1024,
    ehashBucketBytes: 8,
    bhashBucketBytes: since<16 | 32>(version, 16, [['6.1', 32]]),
    synBacklogDivisor: since<128 | 256>(version, 256, [['5.4', 128]]),
    somaxconn: since(version, 128, [['5.4', 4096]]),
    tcpLimitOutputBytes: since(version, 131072, [['4.2', 262144], ['5.0', 1048576], ['6.16', 4 * mib]]),
    coreMemMax: since(version, 212992, [['6.18', 4 * mib]]),
    coreMemDefault: 212992,
    // calculate_min_free_kbytes(): "mm/page_alloc: increase default min_free_kbytes bound" (5.7).
    minFreeKbytesCap: since(version, 65536, [['5.7', 262144]]),
    watermarkFormula: since<'min-quarter-half' | 'scale-factor'>(version, 'min-quarter-half', [['4.6', 'scale-factor']]),
    watermarkScaleFactor: atLeast(version, '4.6') ? 10 : undefined,
    initcallRegime: initcallRegime(version),
    // calc_nr_kernel_pages(): Baoquan He, mm tree → 6.10.
    nrKernelPagesMethod: since<NrKernelPagesMethod>(version, 'present-minus-memmap', [['6.10', 'memblock-free']]),
    thpZoneCounting: since<ThpZoneCounting>(version, 'all-populated', [['4.19', 'up-to-normal']]),
    // set_recommended_min_free_kbytes(): "if (!hugepage_flags_enabled()) calculate_min_free_kbytes()" (S6.1, S6.12).
    thpOffRecomputesMinFree: atLeast(version, '6.1'),
    adaptiveHashScale: atLeast(version, '4.13'),
    reservesFirstMegabyte: atLeast(version, '5.13'),
    arm64RamProportionalReserve: atLeast(version, '6.12'),
    perNetnsTwAndSynBacklog: atLeast(version, '4.12'),
    perNetnsRmemWmem: atLeast(version, '4.15'),
    hasChildEhash: atLeast(version, '6.1'),
    hasLhash2: atLeast(version, '4.19'),
    notes: uncertainties(version),
  };
}
