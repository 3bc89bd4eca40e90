import { parseHashTablesLine, parseLateFrees, type HashTablesLine, type LateFrees } from '../hardware/parse-dmesg';
import type { RamRange } from '../zones/e820-layout';
import type { Arch } from '../zones/zone-names';

/**
 * `Memory: A/B available (C kernel code, R rwdata, O rodata, I init, S bss, V reserved, M cma-reserved)`
 * (`mem_init_print_info()`, every version since 3.x; KiB). `total` is the RAM memblock knows (present pages);
 * `reserved` = total − totalram_pages() − CMA at the moment the line is printed.
 */
export interface MemoryLine {
  readonly availableKiB: number;
  readonly totalKiB: number;
  readonly codeKiB: number;
  readonly rwdataKiB: number;
  readonly rodataKiB: number;
  readonly initKiB: number;
  readonly bssKiB: number;
  readonly reservedKiB: number;
  readonly cmaKiB: number;
  /**
   * The line was printed before deferred struct-page init finished (6.1 prints it from `mm_init()`; 6.12 after
   * `page_alloc_init_late()`): then `available` and `reserved` cover only the memory initialised so far.
   */
  readonly beforeDeferredInit: boolean;
}

/** What the model reads from a boot log (`dmesg`), each field from one kind of line; undefined when absent. */
export interface BootLog {
  /** `Linux version RELEASE (…`. */
  readonly release: string | undefined;
  /** x86-64 (`BIOS-e820`, `x86/`) or arm64 (`Booting Linux on physical CPU`, `Machine model:`). */
  readonly arch: Arch | undefined;
  readonly memory: MemoryLine | undefined;
  /** `percpu: Embedded N pages/cpu`: the percpu first-chunk unit. */
  readonly percpuPagesPerCpu: number | undefined;
  /** Possible CPUs: `setup_percpu: … nr_cpu_ids:N` (x86), else the CPUs listed by `pcpu-alloc: [g] c …`. */
  readonly possibleCpus: number | undefined;
  /** `Early memory node ranges` / `node N: [mem A-B]`: memblock.memory per node, as free_area_init() sees it. */
  readonly nodeRanges: readonly RamRange[];
  /** `BIOS-e820: [mem A-B] usable` summed (bytes); x86 only. */
  readonly e820UsableBytes: number | undefined;
  /** `software IO TLB: mapped [mem …] (NMB)` (bytes). */
  readonly swiotlbBytes: number | undefined;
  /** `Kernel command line: …`. */
  readonly cmdline: string | undefined;
  /** `max_arch_pfn = 0x10000000000`: x86 5-level paging (52 physical bits). */
  readonly fiveLevelPaging: boolean;
  /** `cma: Reserved N MiB`. */
  readonly cmaBytes: number | undefined;
  /** `crashkernel reserved: …` / `Reserving N MB of memory at … for crashkernel` (bytes, every part). */
  readonly crashkernelBytes: number | undefined;
  readonly hashTables: HashTablesLine | undefined;
  readonly lateFrees: LateFrees;
  /** `Freeing SMP alternatives memory: NK` printed after the `Memory:` line (6.1 frees it later than 6.12). */
  readonly freedAfterMemoryLineKiB: number;
}

/**
 * The lines of a boot log the model reads, as patterns (without the `[ time]` prefix). `tcpmem discover` keeps only
 * lines matching one of these, so a stored boot log holds no device names, addresses of other things, or users.
 */
export const bootLogLinePatterns: readonly RegExp[] = [
  /Linux version \S+/,
  /BIOS-e820: \[mem [0-9a-fx-]+\] usable/,
  /Booting Linux on physical CPU/,
  /Memory: \d+K\/\d+K available/,
  /percpu: Embedded \d+ pages\/cpu/,
  /setup_percpu: .*nr_cpu_ids:\d+/,
  /pcpu-alloc: (?:\[\d+\] \d+ ?)+/,
  /Early memory node ranges/,
  /^\s*node\s+\d+: \[mem 0x[0-9a-f]+-0x[0-9a-f]+\]/,
  /software IO TLB: mapped \[mem/,
  /Kernel command line: /,
  /max_arch_pfn = 0x[0-9a-f]+/,
  /cma: Reserved \d+ MiB/,
  /crashkernel/,
  /deferred pages initialised/,
  /RAMDISK: \[mem/,
  /hash table entries: \d+/,
  /Hash tables configured/,
  /Freeing (?:initrd memory|unused kernel image[^:]*|unused decrypted memory|unused kernel memory|SMP alternatives memory): \d+K/,
];

/**
 * Fixed words, one of which is in every line `bootLogLinePatterns` keeps: `tcpmem discover` filters the kernel log
 * with them on the host (`grep -F`), so that only those lines cross the network, not the whole ring buffer (128 KiB
 * to several MiB on a machine up for long, for a few KiB kept), and keeps exactly `bootLogLines` of what arrives.
 * A superset of the patterns, checked on every boot log of the fixtures (test/calibration.test.ts).
 */
export const bootLogLineWords: readonly string[] = [
  'Linux version',
  'BIOS-e820',
  'Booting Linux on physical CPU',
  'Memory: ',
  'percpu: ',
  'pcpu-alloc: ',
  'Early memory node ranges',
  'node',
  'software IO TLB: mapped',
  'Kernel command line: ',
  'max_arch_pfn',
  'cma: Reserved',
  'crashkernel',
  'deferred pages initialised',
  'RAMDISK: ',
  'hash table entries',
  'Hash tables configured',
  'Freeing ',
];

const withoutTime = (line: string): string => line.replace(/^\[\s*\d+\.\d+\]\s?/, '');

/** Only the lines of `dmesg` the model reads (bootLogLinePatterns), in order, each with its timestamp. */
export function bootLogLines(dmesg: string): string {
  const kept = dmesg.split('\n').filter((line) => bootLogLinePatterns.some((p) => p.test(withoutTime(line))));
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`;
}

const hex = (text: string | undefined): number => parseInt(text ?? '0', 16);

/** Reads every line the model uses from a boot log. Lines it does not know are ignored. */
export function parseBootLog(dmesg: string): BootLog {
  const lines = dmesg.split('\n').map(withoutTime);
  let release: string | undefined;
  let arch: Arch | undefined;
  let memory: MemoryLine | undefined;
  let memoryLineIndex = -1;
  let lastDeferredIndex = -1;
  let percpuPagesPerCpu: number | undefined;
  let nrCpuIds: number | undefined;
  let pcpuCpus = 0;
  let inNodeRanges = false;
  const nodeRanges: RamRange[] = [];
  let e820Usable = 0;
  let sawE820 = false;
  let swiotlbBytes: number | undefined;
  let cmdline: string | undefined;
  let fiveLevelPaging = false;
  let cmaBytes: number | undefined;
  let crashkernelBytes: number | undefined;
  let alternatives: { index: number; kib: number } | undefined;
  for (const [index, line] of lines.entries()) {
    let m: RegExpExecArray | null;
    if (release === undefined && (m = /Linux version (\S+)/.exec(line)) !== null) release = m[1];
    if ((m = /BIOS-e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] usable/.exec(line)) !== null) {
      sawE820 = true;
      e820Usable += hex(m[2]) + 1 - hex(m[1]);
    }
    if (arch === undefined && /BIOS-e820|^x86\/|x86_64/.test(line)) arch = 'x86_64';
    if (arch === undefined && /Booting Linux on physical CPU|Machine model:|aarch64|arm64/.test(line)) arch = 'aarch64';
    m = /Memory: (\d+)K\/(\d+)K available \((\d+)K kernel code, (\d+)K rwdata, (\d+)K rodata, (\d+)K init, (\d+)K bss, (\d+)K reserved(?:, (\d+)K cma-reserved)?/.exec(line);
    if (m !== null) {
      memoryLineIndex = index;
      memory = {
        availableKiB: Number(m[1]), totalKiB: Number(m[2]), codeKiB: Number(m[3]), rwdataKiB: Number(m[4]), rodataKiB: Number(m[5]),
        initKiB: Number(m[6]), bssKiB: Number(m[7]), reservedKiB: Number(m[8]), cmaKiB: Number(m[9] ?? 0), beforeDeferredInit: false,
      };
    }
    if (/deferred pages initialised/.test(line)) lastDeferredIndex = index;
    if ((m = /Freeing SMP alternatives memory: (\d+)K/.exec(line)) !== null) alternatives = { index, kib: Number(m[1]) };
    if ((m = /percpu: Embedded (\d+) pages\/cpu/.exec(line)) !== null) percpuPagesPerCpu = Number(m[1]);
    if ((m = /setup_percpu: .*nr_cpu_ids:(\d+)/.exec(line)) !== null) nrCpuIds = Number(m[1]);
    if (/^pcpu-alloc: \[/.test(line)) pcpuCpus += (line.match(/\[\d+\]\s+\d+/g) ?? []).length;
    if (/Early memory node ranges/.test(line)) inNodeRanges = true;
    else if (inNodeRanges) {
      m = /^\s*node\s+(\d+): \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]/.exec(line);
      if (m !== null) nodeRanges.push({ node: Number(m[1]), startPfn: Math.ceil(hex(m[2]) / 4096), endPfn: Math.floor((hex(m[3]) + 1) / 4096) });
      else inNodeRanges = false;
    }
    if ((m = /software IO TLB: mapped \[mem [^\]]*\] \((\d+)MB\)/.exec(line)) !== null) swiotlbBytes = Number(m[1]) * 2 ** 20;
    if (cmdline === undefined && (m = /Kernel command line: (.*)$/.exec(line)) !== null) cmdline = (m[1] ?? '').trim();
    if (/max_arch_pfn = 0x10000000000\b/.test(line)) fiveLevelPaging = true;
    if ((m = /cma: Reserved (\d+) MiB/.exec(line)) !== null) cmaBytes = (cmaBytes ?? 0) + Number(m[1]) * 2 ** 20;
    if ((m = /Reserving (\d+)MB of (?:low )?memory at .* for crashkernel/.exec(line)) !== null) crashkernelBytes = (crashkernelBytes ?? 0) + Number(m[1]) * 2 ** 20;
    if ((m = /crashkernel (?:low )?reserved: (0x[0-9a-f]+) - (0x[0-9a-f]+) \((\d+) MB\)/.exec(line)) !== null) crashkernelBytes = (crashkernelBytes ?? 0) + Number(m[3]) * 2 ** 20;
  }
  if (memory !== undefined && lastDeferredIndex > memoryLineIndex) memory = { ...memory, beforeDeferredInit: true };
  return {
    release,
    arch,
    memory,
    percpuPagesPerCpu,
    possibleCpus: nrCpuIds ?? (pcpuCpus > 0 ? pcpuCpus : undefined),
    nodeRanges,
    e820UsableBytes: sawE820 ? e820Usable : undefined,
    swiotlbBytes,
    cmdline,
    fiveLevelPaging,
    cmaBytes,
    crashkernelBytes,
    hashTables: parseHashTablesLine(dmesg),
    lateFrees: parseLateFrees(dmesg),
    freedAfterMemoryLineKiB: alternatives !== undefined && alternatives.index > memoryLineIndex ? alternatives.kib : 0,
  };
}
