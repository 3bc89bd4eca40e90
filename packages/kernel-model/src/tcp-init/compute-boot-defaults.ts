import type { Hardware } from '@tcpmem/schema';
import { normalizeHardware, type BootAssumptions, type Machine } from '../hardware/normalize-hardware';
import { buildKindOf, kernelBuildFor, type BuildEstimate, type BuildProfileKind, type KernelBuild } from '../series/kernel-build';
import type { KernelVersion } from '../series/kernel-version';
import { seriesFactsFor, type SeriesFacts, type VersionNumbers } from '../series/series-facts';
import { bootMemoryFromZoneinfo, computeBootMemory, hardwareMemoryInputs, type BootMemory, type HardwareMemoryInputs } from '../zones/boot-memory';
import type { ZoneName } from '../zones/zone-names';
import type { SysctlValue } from './format-sysctl-value';
import { socketBuffers } from './socket-buffers';
import { fitRamToMemTotal, memTotalOnly, type MemTotalOnly } from './memory-from-meminfo';
import { ehashLimits, tcpHashTables } from './tcp-hash-tables';
import { tcpMem, udpMem } from './tcp-mem';

/** One step a reader can follow: which kernel function, which series rule, which inputs, which result. */
export interface ExplainStep {
  readonly step: string;
  readonly kernelFunction: string;
  readonly rule: string;
  readonly inputs: Readonly<Record<string, number | string | boolean>>;
  readonly result: string;
}

/** A zone as tcp_init() saw it (pages). */
export interface BootDefaultsZone {
  readonly node: number;
  readonly zone: ZoneName;
  readonly spanned: number;
  readonly present: number;
  readonly managed: number;
  readonly min: number;
  readonly low: number;
  readonly high: number;
  /** max(0, managed − high) if the zone counts in nr_free_buffer_pages(), else 0. */
  readonly nr_free_buffer_pages: number;
}

/** What a kernel sets at boot for a machine. */
export interface BootDefaults {
  readonly kernel: {
    readonly release: string;
    readonly series: string;
    readonly version: { readonly major: number; readonly minor: number; readonly patch: number | undefined };
    /** The build profile whose fixed reservations were used. */
    readonly build: string;
    /** How that profile was obtained: measured here, calibrated from one host's boot log, or estimated. */
    readonly buildProfile: {
      readonly kind: BuildProfileKind;
      readonly id: string;
      readonly learnedFrom?: string;
      /** For a build nobody measured: how its fixed reservation was centred, from what, and the range considered. */
      readonly estimate?: { readonly centre: BuildEstimate['centre']; readonly from: string; readonly fixedPages: readonly [number, number] };
    };
    readonly notes: readonly string[];
  };
  /** Sysctl name → value in the kernel's unit (pages for *_mem, bytes for *_rmem/*_wmem). */
  readonly sysctls: Readonly<Record<string, SysctlValue>>;
  readonly hashTables: { readonly established: number; readonly bind: number };
  readonly memory: {
    readonly source: 'hardware' | 'zoneinfo';
    readonly pageSize: number;
    readonly nr_free_buffer_pages: number;
    readonly nr_kernel_pages: number;
    readonly nr_all_pages: number;
    readonly totalram_pages: number;
    readonly min_free_kbytes: number;
    /** Whether the THP recommendation raised min_free_kbytes. */
    readonly thp: boolean;
  };
  readonly zones: readonly BootDefaultsZone[];
  readonly explain: readonly ExplainStep[];
  /** Uncertainties and assumptions. */
  readonly notes: readonly string[];
}

function explainMemory(memory: BootMemory, machine: Machine): ExplainStep[] {
  const steps: ExplainStep[] = [];
  for (const r of memory.reservations) {
    steps.push({
      step: `reserved: ${r.what}`,
      kernelFunction: 'memblock_reserve / memblock_alloc',
      rule: r.beforeFreeAreaInit ? 'reserved before free_area_init()' : 'reserved after free_area_init(), before memblock_free_all()',
      inputs: Object.fromEntries(r.taken.map((t) => [`node ${t.node} ${t.zone}`, t.pages])),
      result: `${r.pages} pages`,
    });
  }
  for (const z of memory.zones) {
    if (z.present === 0) continue;
    steps.push({
      step: `node ${z.node} zone ${z.zone}`,
      kernelFunction: 'nr_free_zone_pages',
      rule: z.zone === 'Movable' ? 'ZONE_MOVABLE is above gfp_zone(GFP_USER): not counted' : 'counts max(0, managed − high_wmark_pages)',
      inputs: { spanned: z.spanned, present: z.present, managed: z.managed, min: z.min, low: z.low, high: z.high },
      result: `${z.nrFreeBufferPages} pages towards nr_free_buffer_pages()`,
    });
  }
  for (const line of memory.watermarks.steps) {
    steps.push({ step: 'min_free_kbytes', kernelFunction: line.split(':')[0] ?? '', rule: line, inputs: { thp: machine.thp }, result: `${memory.watermarks.minFreeKbytes} KiB final` });
  }
  return steps;
}

/**
 * The two costly steps of `computeBootDefaults` that machines may share, as functions of exactly what they read:
 * the series facts of a version, and the boot memory of the hardware path. `pureBootSteps` computes them each
 * time; memo/model-memo.ts shares them between machines. Whatever they return is only read.
 */
export interface BootSteps {
  readonly seriesFacts: (version: VersionNumbers) => SeriesFacts;
  readonly bootMemory: (inputs: HardwareMemoryInputs) => BootMemory;
  /** `kernelBuildFor` (when the assumptions give no build), or the same function memoised; absent: computed each time. */
  readonly kernelBuild?: (version: KernelVersion, arch: Machine['arch']) => KernelBuild;
}

/** The steps computed each time. */
export const pureBootSteps: BootSteps = { seriesFacts: seriesFactsFor, bootMemory: (inputs) => computeBootMemory(inputs), kernelBuild: kernelBuildFor };

/**
 * A host described by /proc/meminfo alone: the RAM is the one whose modelled MemTotal (Σ managed at tcp_init, plus the
 * initrd and the build's init memory freed after it) equals the host's MemTotal.
 */
function bootDefaultsFromMemTotal(hardware: Hardware, only: MemTotalOnly, assumptions: BootAssumptions, steps: BootSteps): BootDefaults {
  const withRam = (bytes: number): Hardware => {
    if (only.nodeShares.length <= 1) return { ...hardware, memory: bytes };
    const [first = 0, ...rest] = only.nodeShares.map((share) => Math.floor((bytes * share) / 4096) * 4096);
    return { ...hardware, nodes: [first, ...rest] };
  };
  const probe = normalizeHardware(withRam(2 ** 30), assumptions);
  const build = assumptions.build ?? (steps.kernelBuild ?? kernelBuildFor)(probe.kernel, probe.arch);
  // freed after tcp_init in the host's pages (build profiles count 4 KiB ones); the fit counts 4 KiB pages, as
  // MemTotalOnly does, so the model's host pages are counted as that many 4 KiB ones
  const ratio = probe.pageSize / 4096;
  const freedAfterTcpInit = Math.ceil(probe.initrdBytes / probe.pageSize) + Math.ceil(build.freedAfterTcpInitPages / ratio);
  const fit = fitRamToMemTotal(only.memTotalPages, (bytes) => (computeBootDefaults(withRam(bytes), assumptions, steps).memory.totalram_pages + freedAfterTcpInit) * ratio);
  const result = computeBootDefaults(withRam(fit.ramBytes), assumptions, steps);
  const off = Math.round((fit.modelPages - only.memTotalPages) / ratio);
  const note =
    `Memory from MemTotal alone (${only.memTotalPages * 4} kB): ${(fit.ramBytes / 2 ** 20).toFixed(1)} MiB of RAM` +
    `${only.nodeShares.length > 1 ? ` over ${only.nodeShares.length} nodes` : ''} give that MemTotal${off === 0 ? '' : ` within ${Math.abs(off)} pages`} ` +
    `(Σ managed at tcp_init + ${freedAfterTcpInit} pages freed after it: initrd and init memory); the split between zones follows the modelled memory map.`;
  return { ...result, notes: [...result.notes, note] };
}

/**
 * Computes exactly what the kernel sets at boot for the machine: tcp_mem, tcp_rmem/wmem, udp_mem, the TCP hash
 * tables and the limits derived from them, min_free_kbytes — as `tcp_init()`/`udp_init()` compute them at
 * fs_initcall time. Captured `/proc/zoneinfo` facts, when given, replace the modelled zones. Pure; `steps` lets a
 * caller share the costly steps between machines (memo/model-memo.ts).
 */
export function computeBootDefaults(hardware: Hardware, assumptions: BootAssumptions = {}, steps: BootSteps = pureBootSteps): BootDefaults {
  const memTotal = memTotalOnly(hardware, assumptions);
  if (memTotal !== undefined) return bootDefaultsFromMemTotal(hardware, memTotal, assumptions, steps);
  const machine = normalizeHardware(hardware, assumptions);
  const series: SeriesFacts = steps.seriesFacts(machine.kernel);
  const build = assumptions.build ?? (steps.kernelBuild ?? kernelBuildFor)(machine.kernel, machine.arch);
  // The result below is built from new objects, so a caller never holds what `steps` may share between machines.
  const memory = machine.facts?.zones !== undefined ? bootMemoryFromZoneinfo(machine, series, build) : steps.bootMemory(hardwareMemoryInputs(machine, series, build));
  const notes = [...series.notes, ...machine.notes, ...memory.notes];
  if (build.kind === 'calibrated') {
    const learned = build.id.replace(/^calibrated:/, '');
    notes.push(
      learned === machine.kernel.release
        ? `Build profile learned from ${build.learnedFrom ?? 'a boot log'} (same release): the kernel image and fixed reservations are exact.`
        : `Build profile learned from ${build.learnedFrom ?? 'a boot log'} running ${learned}, not ${machine.kernel.release}: exact only if both are the same build.`,
    );
  }
  const pageShift = Math.log2(machine.pageSize);

  const thash = machine.boot.thashEntries;
  if (thash !== undefined && !thash.parse.ok) notes.push(`thash_entries=${thash.raw}: kstrtoul fails (${thash.parse.error}), so the kernel ignores it and sizes ehash automatically.`);
  const hashes = tcpHashTables(thash?.parse, { nrKernelPages: memory.nrKernelPages, nrAllPages: memory.nrAllPages }, series, pageShift);
  let established = hashes.established.entries;
  let bind = hashes.bind.entries;
  const observed = machine.facts?.hashTables;
  if (observed !== undefined) {
    if (observed.established !== established || observed.bind !== bind)
      notes.push(`The boot log says established ${observed.established} bind ${observed.bind}; the model computed ${established}/${bind}. The logged sizes are used.`);
    established = observed.established;
    bind = observed.bind;
  }
  const limits = ehashLimits(established, series);
  const nfbp = memory.nrFreeBufferPages;
  const tcp_mem = tcpMem(memory.nrFreeBufferPagesForTcpMem, series.tcpMemDivisor);
  const udp_mem = udpMem(nfbp);
  const buffers = socketBuffers(nfbp, series, machine.pageSize);

  const sysctls: Record<string, SysctlValue> = {
    'net.ipv4.tcp_mem': tcp_mem,
    'net.ipv4.tcp_rmem': buffers.tcp_rmem,
    'net.ipv4.tcp_wmem': buffers.tcp_wmem,
    'net.ipv4.udp_mem': udp_mem,
    'net.ipv4.tcp_max_tw_buckets': limits.tcp_max_tw_buckets,
    'net.ipv4.tcp_max_orphans': limits.tcp_max_orphans,
    'net.ipv4.tcp_max_syn_backlog': limits.tcp_max_syn_backlog,
    'net.core.somaxconn': series.somaxconn,
    'net.ipv4.tcp_limit_output_bytes': series.tcpLimitOutputBytes,
    'net.core.rmem_max': series.coreMemMax,
    'net.core.wmem_max': series.coreMemMax,
    'net.core.rmem_default': series.coreMemDefault,
    'net.core.wmem_default': series.coreMemDefault,
    'vm.min_free_kbytes': memory.watermarks.minFreeKbytes,
  };
  if (series.watermarkScaleFactor !== undefined) sysctls['vm.watermark_scale_factor'] = series.watermarkScaleFactor;
  if (series.hasChildEhash) {
    sysctls['net.ipv4.tcp_child_ehash_entries'] = 0;
    sysctls['net.ipv4.tcp_ehash_entries'] = established;
  }

  const facts = machine.facts?.minFreeKbytes;
  if (facts !== undefined && facts !== memory.watermarks.minFreeKbytes)
    notes.push(`The host now has min_free_kbytes ${facts}; the boot value is modelled as ${memory.watermarks.minFreeKbytes} (a later change does not move tcp_mem).`);

  // The derivation is read by `tcpmem model --explain` only: a plan asks hundreds of machines and reads none of it.
  const explain = (): ExplainStep[] => [
    ...explainMemory(memory, machine),
    {
      step: 'nr_free_buffer_pages',
      kernelFunction: 'nr_free_buffer_pages',
      rule: `Σ max(0, managed − high) over DMA/DMA32/Normal of every node, with the watermarks in force at fs_initcall (${series.initcallRegime})`,
      inputs: { zones: memory.zones.filter((z) => z.present > 0).length },
      result: String(nfbp),
    },
    {
      step: 'TCP established hash',
      kernelFunction: 'alloc_large_system_hash',
      rule: hashes.thashEntries !== 0 ? `thash_entries=${hashes.thashEntries}, high_limit 0 (cap 1/16 of memory)` : 'scale 17 (one bucket per 128 KiB), high_limit 512K',
      inputs: { nr_kernel_pages: memory.nrKernelPages, nr_all_pages: memory.nrAllPages, bucket_bytes: series.ehashBucketBytes },
      result: `${established} (${hashes.established.steps.join('; ')})`,
    },
    { step: 'TCP bind hash', kernelFunction: 'alloc_large_system_hash', rule: 'numentries = ehash size, high_limit 64K', inputs: { ehash: established, bucket_bytes: series.bhashBucketBytes }, result: String(bind) },
    { step: 'tcp_max_tw_buckets, tcp_max_orphans', kernelFunction: series.hasChildEhash ? 'tcp_set_hashinfo / tcp_init' : series.perNetnsTwAndSynBacklog ? 'tcp_sk_init / tcp_init' : 'tcp_init', rule: 'ehash / 2', inputs: { ehash: established }, result: `${limits.tcp_max_tw_buckets}, ${limits.tcp_max_orphans}` },
    { step: 'tcp_max_syn_backlog', kernelFunction: series.hasChildEhash ? 'tcp_set_hashinfo' : series.perNetnsTwAndSynBacklog ? 'tcp_sk_init' : 'tcp_init', rule: `max(128, ehash / ${series.synBacklogDivisor})`, inputs: { ehash: established }, result: String(limits.tcp_max_syn_backlog) },
    {
      step: 'tcp_mem',
      kernelFunction: 'tcp_init_mem',
      rule: `limit = max(nr_free_buffer_pages / ${series.tcpMemDivisor}, 128); [limit/4×3, limit, limit/4×3×2]${series.initcallRegime === 'none-then-recompute' ? '; init_net recomputed at device_initcall with the final watermarks' : ''}`,
      inputs: { nr_free_buffer_pages: memory.nrFreeBufferPagesForTcpMem },
      result: tcp_mem.join(' '),
    },
    { step: 'udp_mem', kernelFunction: 'udp_init', rule: 'limit = max(nr_free_buffer_pages / 8, 128); [limit/4×3, limit, limit/4×3×2]', inputs: { nr_free_buffer_pages: nfbp }, result: udp_mem.join(' ') },
    {
      step: 'tcp_wmem, tcp_rmem',
      kernelFunction: 'tcp_init',
      rule: `cap = nr_free_buffer_pages << (PAGE_SHIFT − 7); wmem[2] = max(64K, min(4M, cap)); rmem[2] = max(${series.rmemDefault}, min(${series.rmemMax}, cap))`,
      inputs: { nr_free_buffer_pages: nfbp, cap: buffers.cap },
      result: `wmem ${buffers.tcp_wmem.join(' ')}; rmem ${buffers.tcp_rmem.join(' ')}`,
    },
  ];
  let explained: readonly ExplainStep[] | undefined;

  return {
    kernel: {
      release: machine.kernel.release,
      series: series.series,
      version: { major: machine.kernel.major, minor: machine.kernel.minor, patch: machine.kernel.patch },
      build: build.id,
      buildProfile: {
        kind: buildKindOf(build),
        id: build.id,
        ...(build.learnedFrom === undefined ? {} : { learnedFrom: build.learnedFrom }),
        ...(build.estimate === undefined ? {} : { estimate: { centre: build.estimate.centre, from: build.estimate.from, fixedPages: [build.estimate.fixed[0], build.estimate.fixed[1]] } }),
      },
      notes: [...series.notes],
    },
    sysctls,
    hashTables: { established, bind },
    memory: {
      source: memory.source,
      pageSize: machine.pageSize,
      nr_free_buffer_pages: nfbp,
      nr_kernel_pages: memory.nrKernelPages,
      nr_all_pages: memory.nrAllPages,
      totalram_pages: memory.totalramPages,
      min_free_kbytes: memory.watermarks.minFreeKbytes,
      thp: memory.watermarks.thpRaised,
    },
    zones: memory.zones.map((z) => ({ node: z.node, zone: z.zone, spanned: z.spanned, present: z.present, managed: z.managed, min: z.min, low: z.low, high: z.high, nr_free_buffer_pages: z.nrFreeBufferPages })),
    // Made when first read (an enumerable getter where the array was: the same keys, order and JSON), then kept.
    get explain(): readonly ExplainStep[] {
      return (explained ??= explain());
    },
    notes,
  };
}
