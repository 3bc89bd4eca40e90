import type { Hardware } from '@tcpmem/schema';
import { HardwareInputError, minimumRamBytes, type BootAssumptions } from '../hardware/normalize-hardware';
import { parseMeminfo } from '../hardware/parse-meminfo';

/** The least MemTotal the model describes: about what 64 MiB of RAM leave after the kernel's own reservations. */
const minimumMemTotalKiB = 32 * 1024;

/** MemTotal of /proc/meminfo (and of each node's meminfo), in 4 KiB pages, for a host described by them alone. */
export interface MemTotalOnly {
  readonly memTotalPages: number;
  /** Each node's share of MemTotal, from the nodes' meminfo; one node when they are not given. */
  readonly nodeShares: readonly number[];
}

/**
 * Whether the hardware describes its memory by /proc/meminfo alone: no `memory`, no `nodes`, no zoneinfo and no
 * boot log `Memory:` line — only `facts.meminfo` with MemTotal (what a pasted `cat /proc/meminfo` gives).
 */
export function memTotalOnly(hardware: Hardware, assumptions: BootAssumptions = {}): MemTotalOnly | undefined {
  const facts = hardware.facts;
  if (hardware.memory !== undefined || hardware.nodes !== undefined) return undefined;
  const texts = assumptions.factTexts;
  let memTotalKiB: number | undefined;
  let nodes: readonly number[];
  if (texts !== undefined) {
    if (texts.meminfo === undefined || texts.zones !== undefined || texts.bootLog?.availableKiB !== undefined) return undefined;
    memTotalKiB = texts.meminfo['MemTotal'];
    nodes = texts.nodeMemTotalKiB ?? [];
  } else {
    if (facts?.meminfo === undefined) return undefined;
    if (facts.zoneinfo !== undefined || (facts.dmesg !== undefined && /Memory: \d+K\/\d+K available/.test(facts.dmesg))) return undefined;
    memTotalKiB = parseMeminfo(facts.meminfo)['MemTotal'];
    nodes = (facts.nodeMeminfo ?? []).map((text) => parseMeminfo(text)['MemTotal'] ?? 0);
  }
  if (memTotalKiB === undefined || memTotalKiB <= 0) return undefined;
  if (memTotalKiB < minimumMemTotalKiB)
    throw new HardwareInputError(
      '/facts/meminfo',
      `MemTotal is ${memTotalKiB} kB, less than any machine a Linux distribution kernel boots on has (a 128 MiB guest shows about 90,000 kB): give the whole /proc/meminfo of the host, whose MemTotal line is in kB.`,
    );
  const nodeTotal = nodes.reduce((s, n) => s + n, 0);
  return { memTotalPages: Math.floor(memTotalKiB / 4), nodeShares: nodes.length > 1 && nodeTotal > 0 ? nodes.map((n) => n / nodeTotal) : [1] };
}

/** How far the search for the RAM behind a MemTotal got. */
export interface MemTotalFit {
  /** RAM (bytes, whole pages) for which the model's MemTotal is closest to the host's. */
  readonly ramBytes: number;
  /** The model's MemTotal with that RAM, in pages. */
  readonly modelPages: number;
  readonly iterations: number;
}

/**
 * Finds the RAM whose modelled MemTotal equals the host's. MemTotal is totalram_pages after boot: Σ managed at
 * tcp_init plus what is freed after it (the initrd by populate_rootfs, init memory by free_initmem). One more page of
 * RAM is one more managed page except where a new 128 MiB memmap section or a hash table starts, so a step of
 * (target − model) pages converges in a few rounds; the closest fit found is kept.
 */
export function fitRamToMemTotal(memTotalPages: number, modelMemTotalPages: (ramBytes: number) => number): MemTotalFit {
  let ramPages = Math.ceil(memTotalPages * 1.02) + 16384; // a first guess a little above: reservations are 1–5 %
  let best: MemTotalFit | undefined;
  const tried = new Set<number>();
  for (let i = 1; i <= 24 && !tried.has(ramPages); i++) {
    tried.add(ramPages);
    const modelPages = modelMemTotalPages(ramPages * 4096);
    if (best === undefined || Math.abs(modelPages - memTotalPages) < Math.abs(best.modelPages - memTotalPages)) best = { ramBytes: ramPages * 4096, modelPages, iterations: i };
    if (modelPages === memTotalPages) break;
    ramPages = Math.max(minimumRamBytes / 4096, ramPages + memTotalPages - modelPages);
  }
  return best ?? { ramBytes: ramPages * 4096, modelPages: 0, iterations: 0 };
}
