import type { Hardware } from '@tcpmem/schema';
import type { KernelBuild } from '../series/kernel-build';
import { parseKernelRelease, type KernelVersion } from '../series/kernel-version';
import { parseBootCmdline, type BootParams, type ThpMode } from './parse-boot-cmdline';
import { parseFactTexts, type FactTexts } from './fact-texts';
import type { HashTablesLine, LateFrees } from './parse-dmesg';
import { crashkernelAutoRanges, crashkernelRoundsUpRam } from './parse-crashkernel';
import { parseSize } from './parse-size';
import { physicalRamRanges } from '../zones/e820-layout';
import type { ZoneinfoZone } from './parse-zoneinfo';

/** The initramfs assumed when neither the hardware nor the boot log says: a minimal (busybox) one. */
export const defaultInitrdBytes = 1024 * 1024;

/** The physical memory map the firmware presents (see zones/e820-layout.ts). */
export type Platform = 'qemu-pc' | 'qemu-q35' | 'qemu-virt';

/**
 * Inputs the schema's `Hardware` cannot carry yet (see docs/kernel-model.md, "schema requests"). Every one has a
 * default that is stated in the result's notes when it was used.
 */
export interface BootAssumptions {
  /** Size of the initramfs the boot loader loaded; it stays reserved until after tcp_init. Default 0. */
  readonly initrdBytes?: number;
  /** Firmware memory map. Default `qemu-pc` (the i440FX layout; also right for most hosts below 3.5 GiB). */
  readonly platform?: Platform;
  /** The CPU has la57 and the kernel uses 5-level paging (≈1 MiB more of mem_section roots). Default false. */
  readonly fiveLevelPaging?: boolean;
  /** The boot log, if captured: exact initrd and kernel-image frees after tcp_init. */
  readonly dmesg?: string;
  /** The kernel build profile to use instead of the release's own (e.g. one learned by `calibrateBuild`). */
  readonly build?: KernelBuild;
  /**
   * `hardware.facts`' texts already parsed (`parseFactTexts`): when given, zoneinfo, meminfo, nodeMeminfo,
   * hashTablesLine and dmesg are read from here, not from `hardware.facts` (which may then leave them out), and
   * `dmesg` above is not read.
   */
  readonly factTexts?: FactTexts;
}

/** The parsed texts of the hardware's facts: as given in the assumptions, else parsed from the facts. */
export function factTextsOf(hardware: Hardware, assumptions: BootAssumptions): FactTexts {
  return assumptions.factTexts ?? parseFactTexts(hardware.facts, assumptions.dmesg ?? hardware.facts?.dmesg);
}

export interface MachineNode {
  readonly id: number;
  readonly memoryBytes: number;
}

/** Facts read from a live host, parsed. */
export interface MachineFacts {
  readonly zones: readonly ZoneinfoZone[] | undefined;
  readonly meminfo: Readonly<Record<string, number>> | undefined;
  readonly nodeMemTotalKiB: readonly number[] | undefined;
  readonly minFreeKbytes: number | undefined;
  readonly hashTables: HashTablesLine | undefined;
  readonly lateFrees: LateFrees | undefined;
}

/** The internal machine description every other part of the model works from. */
export interface Machine {
  readonly kernel: KernelVersion;
  readonly arch: 'x86_64' | 'aarch64';
  readonly pageSize: number;
  /** Memory per NUMA node as installed / given to the VM (empty when only facts describe memory). */
  readonly nodes: readonly MachineNode[];
  /** Possible CPUs (percpu areas are allocated for each). */
  readonly cpus: number;
  readonly boot: BootParams;
  /** The THP mode at boot, or `not-built` when the kernel has no CONFIG_TRANSPARENT_HUGEPAGE. */
  readonly thp: ThpMode | 'not-built';
  readonly platform: Platform;
  readonly initrdBytes: number;
  readonly fiveLevelPaging: boolean;
  /** The kernel rounds system RAM up to 128 MiB before matching `crashkernel=` ranges (5.17+, RHEL 8/9). */
  readonly crashkernelRoundsUpRam: boolean;
  /** What this kernel reads `crashkernel=auto` as (RHEL 8 ranges, RHEL 7's formula), or undefined where `auto` is refused. */
  readonly crashkernelAutoRanges: string | undefined;
  readonly facts: MachineFacts | undefined;
  /** What was assumed while normalizing. */
  readonly notes: readonly string[];
}

/** A hardware description the model cannot work from (the schema gate lets it through, the model cannot). */
export class HardwareInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'HardwareInputError';
  }
}

function thpMode(hardware: Hardware, boot: BootParams, kernel: KernelVersion, notes: string[]): ThpMode | 'not-built' {
  // Debian's rt flavour is built without CONFIG_TRANSPARENT_HUGEPAGE (no hugepage_init at all).
  if (/rt-amd64$/.test(kernel.localVersion)) {
    notes.push('rt flavour: built without transparent hugepages, so khugepaged never touches min_free_kbytes.');
    return 'not-built';
  }
  if (boot.transparentHugepage !== undefined) return boot.transparentHugepage;
  const live = /\[(always|madvise|never)\]/.exec(hardware.facts?.thpEnabled ?? '')?.[1] as ThpMode | undefined;
  if (live !== undefined) return live;
  if (hardware.transparentHugepage !== undefined) return hardware.transparentHugepage;
  notes.push('THP mode not given: assumed enabled (always/madvise; Debian, Ubuntu and RHEL kernels build it in), so khugepaged may raise min_free_kbytes.');
  return 'always';
}

/**
 * The least RAM the model describes. Below it no distribution kernel boots (Debian's cloud build, the smallest, needs
 * about 60 MiB for its image, memmap and initramfs), so a smaller size is a typo such as `64` for `64GiB`.
 */
export const minimumRamBytes = 64 * 2 ** 20;

function nodesOf(hardware: Hardware): MachineNode[] {
  if (hardware.nodes !== undefined) {
    const nodes = hardware.nodes.map((node, id) => {
      const size = typeof node === 'object' ? node.memory : node;
      const bytes = parseSize(size);
      if (bytes === undefined) throw new HardwareInputError(`/nodes/${id}`, `not a size: ${JSON.stringify(size)}`);
      return { id, memoryBytes: bytes };
    });
    const total = nodes.reduce((sum, node) => sum + node.memoryBytes, 0);
    if (total < minimumRamBytes) throw new HardwareInputError('/nodes', tooLittleRam(total, 'the nodes hold'));
    return nodes;
  }
  if (hardware.memory !== undefined) {
    const bytes = parseSize(hardware.memory);
    if (bytes === undefined) throw new HardwareInputError('/memory', `not a size: ${JSON.stringify(hardware.memory)}`);
    if (bytes < minimumRamBytes) throw new HardwareInputError('/memory', tooLittleRam(bytes, 'memory is'));
    return [{ id: 0, memoryBytes: bytes }];
  }
  return [];
}

function tooLittleRam(bytes: number, what: string): string {
  return `${what} ${bytes} bytes (${(bytes / 2 ** 20).toFixed(2)} MiB), less than the 64 MiB a Linux distribution kernel needs to boot: give the host's RAM with its unit, e.g. 4GiB (a bare number is bytes).`;
}

function cpusOf(hardware: Hardware, notes: string[]): number {
  if (hardware.cpus !== undefined) return hardware.cpus;
  if (hardware.facts?.cpus !== undefined) return hardware.facts.cpus;
  const perNode = (hardware.nodes ?? []).reduce<number>((sum, n) => sum + (typeof n === 'object' ? (n.cpus ?? 0) : 0), 0);
  if (perNode > 0) return perNode;
  notes.push('CPU count not given: assumed 1 possible CPU (each further CPU reserves one percpu unit, ≈250 KiB).');
  return 1;
}

/**
 * Applies `usable` (or, from a boot log, the `Memory: …/TOTALK` line or the e820 `usable` ranges): real firmware and
 * hypervisors hold back more RAM than QEMU's map does, so the RAM the kernel sees is trimmed from the top of the last
 * node until the modelled map holds exactly that much. Without memory given, the usable RAM is the machine's memory.
 */
function usableNodes(nodes: MachineNode[], hardware: Hardware, availableKiB: number | undefined, platform: Platform, cmdline: string, notes: string[]): MachineNode[] {
  let usable = hardware.usable === undefined ? undefined : parseSize(hardware.usable);
  if (hardware.usable !== undefined && usable === undefined) throw new HardwareInputError('/usable', `not a size: ${JSON.stringify(hardware.usable)}`);
  let from = 'usable';
  if (usable === undefined && availableKiB !== undefined) {
    usable = availableKiB * 1024;
    from = 'the boot log\'s Memory: line';
  }
  if (usable === undefined) return nodes;
  if (nodes.length === 0) return [{ id: 0, memoryBytes: usable }];
  const boot = parseBootCmdline(cmdline);
  const mapped = physicalRamRanges({ nodes, platform, boot: { numaOff: boot.numaOff, mem: boot.mem } }).reduce((s, r) => s + (r.endPfn - r.startPfn) * 4096, 0);
  const excess = mapped - usable;
  if (excess <= 0) return nodes;
  const last = nodes[nodes.length - 1];
  if (last === undefined || excess >= last.memoryBytes) throw new HardwareInputError('/usable', `${usable} bytes usable cannot be reached by trimming the last node; give usable RAM (at most the installed memory).`);
  notes.push(`Usable RAM ${usable} bytes (from ${from}): ${Math.round(excess / 1024)} KiB less than ${platform}'s map of the given memory, taken from the top of node ${last.id}.`);
  return [...nodes.slice(0, -1), { id: last.id, memoryBytes: last.memoryBytes - Math.ceil(excess / 4096) * 4096 }];
}

/** Normalizes the schema's `Hardware` (plus optional assumptions) into the model's machine description. */
export function normalizeHardware(hardware: Hardware, assumptions: BootAssumptions = {}): Machine {
  const notes: string[] = [];
  const release = hardware.facts?.release ?? hardware.kernel;
  const kernel = parseKernelRelease(release);
  if (kernel === undefined) throw new HardwareInputError('/kernel', `not a kernel release: ${JSON.stringify(release)}`);
  const givenPlatform = assumptions.platform ?? hardware.platform;
  // Unless given, the architecture the release names (`6.1.0-26-cloud-arm64`, `5.14.0-427.el9.aarch64`), as the
  // kernel build profile is picked (kernelBuildFor): an arm64 build on x86-64 zones was neither machine.
  // A page-size flavour names itself (Ubuntu `6.8.0-45-generic-64k`, RHEL `5.14.0-427.el9.aarch64+64k`, Fedora
  // Asahi `+16k`): arm64 builds with 64 or 16 KiB pages, where tcp_mem and every zone count those pages.
  const flavourPageKiB = /[-+](16|64)k$/.exec(release)?.[1];
  const arch = hardware.arch ?? (givenPlatform === 'qemu-virt' || (givenPlatform === undefined && (/arm64|aarch64/.test(release) || flavourPageKiB !== undefined)) ? 'aarch64' : 'x86_64');
  if (givenPlatform !== undefined && (arch === 'aarch64') !== (givenPlatform === 'qemu-virt'))
    throw new HardwareInputError('/platform', `${givenPlatform} is an ${givenPlatform === 'qemu-virt' ? 'aarch64' : 'x86_64'} memory map, but arch is ${arch}: give platform qemu-virt for aarch64, qemu-pc or qemu-q35 for x86_64.`);
  const platform: Platform = givenPlatform ?? (arch === 'aarch64' ? 'qemu-virt' : 'qemu-pc');
  if (arch === 'aarch64' && givenPlatform === undefined) notes.push('aarch64: RAM is laid out as on QEMU virt (from 1 GiB physical, ZONE_DMA up to 4 GiB, no ZONE_DMA32), which is also what most arm64 cloud instances show.');
  const pageSize = hardware.pageSize ?? hardware.facts?.pageSize ?? (flavourPageKiB === undefined || arch !== 'aarch64' ? 4096 : Number(flavourPageKiB) * 1024);
  const cmdline = hardware.cmdline ?? hardware.facts?.cmdline ?? '';
  const boot = parseBootCmdline(cmdline);
  if (boot.repeated.length > 0) notes.push(`Given more than once on the command line (the last one counts): ${boot.repeated.join(', ')}.`);

  const texts = factTextsOf(hardware, assumptions);
  const zones = texts.zones;
  const lateFrees = texts.bootLog?.lateFrees;
  const facts: MachineFacts | undefined =
    hardware.facts === undefined && texts.bootLog === undefined
      ? undefined
      : {
          zones: zones !== undefined && zones.length > 0 ? zones : undefined,
          meminfo: texts.meminfo,
          nodeMemTotalKiB: texts.nodeMemTotalKiB,
          minFreeKbytes: hardware.facts?.minFreeKbytes,
          hashTables: texts.hashTables,
          lateFrees,
        };

  const nodes = usableNodes(nodesOf(hardware), hardware, texts.bootLog?.availableKiB, assumptions.platform ?? hardware.platform ?? (arch === 'aarch64' ? 'qemu-virt' : 'qemu-pc'), cmdline, notes);
  if (nodes.length === 0 && facts?.zones === undefined)
    throw new HardwareInputError('/', 'give `memory`, `nodes`, or `facts.zoneinfo`: the model needs the machine\'s memory.');

  const givenInitrd = assumptions.initrdBytes ?? (hardware.initrd === undefined ? undefined : parseSize(hardware.initrd));
  let initrdBytes = givenInitrd ?? defaultInitrdBytes;
  if (lateFrees?.initrdKiB !== undefined) initrdBytes = lateFrees.initrdKiB * 1024;
  else if (givenInitrd === undefined)
    notes.push('initrd size unknown: assumed 1 MiB (a minimal initramfs). It stays reserved until after tcp_init, so each 64 KiB of it lowers tcp_mem[1] by one page; give hardware.initrd (a distribution initramfs is 30–80 MiB).');

  return {
    kernel,
    arch,
    pageSize,
    nodes,
    cpus: cpusOf(hardware, notes),
    boot,
    thp: thpMode(hardware, boot, kernel, notes),
    platform,
    initrdBytes,
    fiveLevelPaging: (assumptions.fiveLevelPaging ?? hardware.fiveLevelPaging ?? false) && !boot.no5lvl,
    crashkernelRoundsUpRam: crashkernelRoundsUpRam(kernel),
    crashkernelAutoRanges: crashkernelAutoRanges(kernel, arch),
    facts,
    notes,
  };
}
