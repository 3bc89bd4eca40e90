import { parseBootCmdline } from '../hardware/parse-boot-cmdline';
import { crashkernelAutoRanges, crashkernelRoundsUpRam } from '../hardware/parse-crashkernel';
import { parseMeminfo } from '../hardware/parse-meminfo';
import { parseZoneinfo } from '../hardware/parse-zoneinfo';
import type { KernelBuild } from '../series/kernel-build';
import { parseKernelRelease, type KernelVersion } from '../series/kernel-version';
import { seriesFactsFor } from '../series/series-facts';
import { bootReservations } from '../zones/memblock-reservations';
import { zoneLayout } from '../zones/zone-layout';
import type { Arch } from '../zones/zone-names';
import { parseBootLog, type BootLog } from './parse-boot-log';

/** What one host gives to learn its kernel build from: its boot log, and when available its zoneinfo/meminfo. */
export interface CalibrationInput {
  readonly dmesg: string;
  readonly zoneinfo?: string | undefined;
  readonly meminfo?: string | undefined;
  /** `uname -r`; the boot log's `Linux version` line is used when not given. */
  readonly release?: string | undefined;
  /** Where the facts came from (a host name or a file), recorded in the profile. */
  readonly source: string;
}

/** The input cannot teach the model a build profile: says which line or file is missing and what to give. */
export class CalibrationError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'CalibrationError';
  }
}

/**
 * Per-CPU pages a boot reserves beyond the `percpu: Embedded N pages/cpu` unit, and NODE_DATA with its bookkeeping
 * per further node. Neither can be seen on a one-CPU, one-node host; both were measured across this project's
 * Debian boots (docs/kernel-model.md): 6.12 reserves 3 pages per CPU more than its unit (6.1: none), and NODE_DATA
 * grew from 44 to 45 pages with 6.12's pglist_data.
 */
function seriesConstants(kernel: KernelVersion, arch: Arch): { readonly percpuExtra: number; readonly extraNodePages: number } {
  // arm64's pglist_data is 11 KiB (x86-64's 176 KiB holds MAX_NUMNODES=1024 zonelists); memblock packs it with other
  // early allocations, and a second node costs one page net on Debian 6.1 cloud-arm64 (fixture v61-cloud-arm64-2x2g-numa).
  if (arch === 'aarch64') return { percpuExtra: 0, extraNodePages: 1 };
  const atLeast612 = kernel.major > 6 || (kernel.major === 6 && kernel.minor >= 12);
  return atLeast612 ? { percpuExtra: 3, extraNodePages: 45 } : { percpuExtra: 0, extraNodePages: 44 };
}

/** The pages managed by the buddy allocator when tcp_init ran, from the best evidence the input has. */
function bootManagedPages(log: BootLog, input: CalibrationInput): { readonly pages: number; readonly from: string } {
  const lateKiB = log.lateFrees.kernelImageKiB + (log.lateFrees.initrdKiB ?? 0);
  if (input.zoneinfo !== undefined) {
    const zones = parseZoneinfo(input.zoneinfo);
    if (zones.length === 0) throw new CalibrationError(input.source, 'the zoneinfo has no `Node N, zone NAME` blocks; give the text of /proc/zoneinfo.');
    const managed = zones.reduce((s, z) => s + z.managed, 0);
    const memTotal = input.meminfo === undefined ? undefined : parseMeminfo(input.meminfo)['MemTotal'];
    // A lazily initialised zone lags behind MemTotal (non-mainline deferred_init=lazy); MemTotal is then the truth.
    const pages = memTotal !== undefined && memTotal / 4 > managed + 1024 ? Math.floor(memTotal / 4) : managed;
    return { pages: pages - lateKiB / 4, from: 'zoneinfo managed pages minus the `Freeing …` lines after tcp_init' };
  }
  if (input.meminfo !== undefined) {
    const memTotal = parseMeminfo(input.meminfo)['MemTotal'];
    if (memTotal === undefined) throw new CalibrationError(input.source, 'the meminfo has no MemTotal line; give the text of /proc/meminfo.');
    return { pages: Math.floor(memTotal / 4) - lateKiB / 4, from: 'MemTotal minus the `Freeing …` lines after tcp_init' };
  }
  const memory = log.memory;
  if (memory === undefined) throw new CalibrationError(input.source, 'the boot log has no `Memory: …K/…K available (…)` line; give the whole boot log, or --meminfo/--zoneinfo of the same boot.');
  if (memory.beforeDeferredInit)
    throw new CalibrationError(
      input.source,
      'this kernel printed `Memory:` before deferred struct-page init finished ("deferred pages initialised" comes later), so its reserved figure covers only part of RAM; give /proc/meminfo (--meminfo) or /proc/zoneinfo (--zoneinfo) of the same boot.',
    );
  // reserved = total − totalram − CMA; CMA joins the buddy allocator at core_initcall, before tcp_init.
  return { pages: (memory.totalKiB - memory.reservedKiB + log.freedAfterMemoryLineKiB) / 4, from: 'the `Memory:` line (total − reserved, plus SMP alternatives freed after it)' };
}

/**
 * Learns a kernel build's profile from one boot: every machine-dependent reservation of that boot (memmap, percpu,
 * NODE_DATA, early hashes, swiotlb, crashkernel, initrd) is computed from the boot's own memory map
 * (`Early memory node ranges`), CPUs and command line, exactly as the hardware path computes it, and what is left
 * between the present pages and the pages managed at tcp_init is the build's fixed part (kernel image, early
 * tables). Pure: the caller reads the files.
 */
export function calibrateBuild(input: CalibrationInput): KernelBuild {
  const log = parseBootLog(input.dmesg);
  const release = input.release ?? log.release;
  if (release === undefined) throw new CalibrationError(input.source, 'no `Linux version …` line in the boot log and no release given; give the release (uname -r).');
  const kernel = parseKernelRelease(release);
  if (kernel === undefined) throw new CalibrationError(input.source, `not a kernel release: ${JSON.stringify(release)}`);
  if (log.nodeRanges.length === 0)
    throw new CalibrationError(input.source, 'the boot log has no `Early memory node ranges` block (the `node N: [mem …]` lines printed by free_area_init); give the boot log from its first line.');
  if (log.percpuPagesPerCpu === undefined) throw new CalibrationError(input.source, 'the boot log has no `percpu: Embedded N pages/cpu` line; give the boot log from its first line.');
  if (log.possibleCpus === undefined) throw new CalibrationError(input.source, 'the boot log names no CPU count (`setup_percpu: … nr_cpu_ids:N` or `pcpu-alloc: [0] 0 …`); give the boot log from its first line.');

  const series = seriesFactsFor(kernel);
  const arch = log.arch ?? (/arm64|aarch64/.test(release) ? 'aarch64' : 'x86_64');
  const boot = parseBootCmdline(log.cmdline ?? '');
  const layout = zoneLayout(log.nodeRanges, { movablecore: boot.movablecore, kernelcore: boot.kernelcore, arch });
  const constants = seriesConstants(kernel, arch);
  const percpuPagesPerCpu = log.percpuPagesPerCpu + constants.percpuExtra;
  const managed = bootManagedPages(log, input);
  const machine = {
    cpus: log.possibleCpus,
    initrdBytes: (log.lateFrees.initrdKiB ?? 0) * 1024,
    fiveLevelPaging: log.fiveLevelPaging,
    crashkernelRoundsUpRam: crashkernelRoundsUpRam(kernel),
    crashkernelAutoRanges: crashkernelAutoRanges(kernel, arch),
    platform: arch === 'aarch64' ? ('qemu-virt' as const) : ('qemu-pc' as const),
    boot: { crashkernel: boot.crashkernel, crashkernelLow: boot.crashkernelLow, swiotlb: boot.swiotlb },
  };
  // The early hashes (and from 6.10 nr_kernel_pages) depend on the fixed part itself: iterate to the fixed point.
  let fixed = 0;
  for (let round = 0; round < 4; round++) {
    const build = { id: 'calibrating', fixedReservedPages: fixed, extraNodePages: constants.extraNodePages, percpuPagesPerCpu };
    const reserved = bootReservations(machine, log.nodeRanges, layout.zones, series, build);
    const modelled = reserved.zones.reduce((s, z) => s + z.managed, 0);
    const next = fixed + modelled - Math.round(managed.pages);
    if (next === fixed) break;
    fixed = next;
  }
  if (fixed <= 0) throw new CalibrationError(input.source, `the boot's managed pages (${Math.round(managed.pages)}) leave no room for a kernel image; are the boot log and the zoneinfo/meminfo from the same boot?`);

  const memory = log.memory;
  const image = memory === undefined ? undefined : { codeKiB: memory.codeKiB, rwdataKiB: memory.rwdataKiB, rodataKiB: memory.rodataKiB, initKiB: memory.initKiB, bssKiB: memory.bssKiB };
  return {
    id: `calibrated:${release}`,
    fixedReservedPages: fixed,
    percpuPagesPerCpu,
    extraNodePages: constants.extraNodePages,
    freedAfterTcpInitPages: Math.ceil(log.lateFrees.kernelImageKiB / 4),
    measured: true,
    kind: 'calibrated',
    learnedFrom: input.source,
    ...(image === undefined ? {} : { image }),
    evidence:
      `Learned from ${input.source} (${release}, ${log.possibleCpus} CPUs, ${new Set(log.nodeRanges.map((r) => r.node)).size} node(s)): ` +
      `boot-time managed pages from ${managed.from}; fixed part ${fixed} pages; percpu ${log.percpuPagesPerCpu} pages/cpu` +
      `${constants.percpuExtra > 0 ? ` (+${constants.percpuExtra})` : ''}; freed after tcp_init ${log.lateFrees.kernelImageKiB}K` +
      (image === undefined ? '.' : `; image ${image.codeKiB}K code, ${image.rwdataKiB}K rwdata, ${image.rodataKiB}K rodata, ${image.initKiB}K init, ${image.bssKiB}K bss.`),
  };
}
