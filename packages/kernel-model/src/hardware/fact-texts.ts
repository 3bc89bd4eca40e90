import type { HostFacts } from '@tcpmem/schema';
import { findFrom, parseHashTablesLine, parseLateFrees, type HashTablesLine, type LateFrees } from './parse-dmesg';
import { parseBootCmdline } from './parse-boot-cmdline';
import { meminfoValue } from './parse-meminfo';
import { parseZoneinfo, type ZoneinfoZone } from './parse-zoneinfo';

/**
 * What the model reads of discovered facts' texts (zoneinfo, meminfo, each node's meminfo, the boot log and its
 * hash tables line), parsed. `normalizeHardware` parses them from `hardware.facts` unless given these
 * (`BootAssumptions.factTexts`): a planner parses each host's texts once, keeps this instead of tens of kilobytes
 * of text, and shares one kernel between hosts whose `factTextsKey` is the same.
 */
export interface FactTexts {
  /** /proc/zoneinfo parsed; undefined without one (empty when it held no zone). */
  readonly zones: readonly ZoneinfoZone[] | undefined;
  /** What the model reads of /proc/meminfo (kB): MemTotal, when it has that line; undefined without a meminfo. */
  readonly meminfo: { readonly MemTotal?: number } | undefined;
  /** MemTotal (kB) of each node's meminfo, in node order; undefined without them. */
  readonly nodeMemTotalKiB: readonly number[] | undefined;
  /** The `Hash tables configured` line, from `hashTablesLine` or else the boot log. */
  readonly hashTables: HashTablesLine | undefined;
  /** What the boot log says, when there is one. */
  readonly bootLog: BootLogFacts | undefined;
}

/** The boot log's lines the model reads. */
export interface BootLogFacts {
  /** Memory freed after tcp_init (initrd, init sections) and the RAMDISK line. */
  readonly lateFrees: LateFrees;
  /** `Memory: …K/TOTALK available`: TOTAL (KiB), the usable RAM; undefined without that line. */
  readonly availableKiB: number | undefined;
}

function memTotalOf(meminfo: string): { readonly MemTotal?: number } {
  const memTotal = meminfoValue(meminfo, 'MemTotal');
  return memTotal === undefined ? {} : { MemTotal: memTotal };
}

/** `Memory: …K/TOTALK available` (mem_init_print_info, every version). */
const memoryPattern = /Memory: \d+K\/(\d+)K available/y;

/** Parses the texts of a host's facts (and a boot log given apart from them, which wins over `facts.dmesg`). */
export function parseFactTexts(facts: HostFacts | undefined, dmesg: string | undefined = facts?.dmesg): FactTexts {
  const memoryLine = dmesg === undefined ? null : findFrom(dmesg, 'Memory: ', memoryPattern);
  return {
    zones: facts?.zoneinfo === undefined ? undefined : parseZoneinfo(facts.zoneinfo),
    meminfo: facts?.meminfo === undefined ? undefined : memTotalOf(facts.meminfo),
    nodeMemTotalKiB: facts?.nodeMeminfo?.map((text) => meminfoValue(text, 'MemTotal') ?? 0),
    hashTables: parseHashTablesLine(facts?.hashTablesLine ?? dmesg ?? ''),
    bootLog: dmesg === undefined ? undefined : { lateFrees: parseLateFrees(dmesg), availableKiB: memoryLine?.[1] === undefined ? undefined : Number(memoryLine[1]) },
  };
}

/**
 * A key naming everything the model reads of parsed texts: two hosts with the same key (and the same other facts
 * and hardware) get the same boot defaults. It leaves out what moves on a running host and the model never reads:
 * each zone's free pages and watermarks (min, low, high and boost: the model recomputes the watermarks from the
 * managed pages, as boot set them, while the live ones rise with a watermark boost or a runtime min_free_kbytes),
 * and every meminfo line but MemTotal.
 */
export function factTextsKey(texts: FactTexts): string {
  const zones = texts.zones?.map((z) => [z.node, z.zone, z.spanned, z.present, z.managed, z.cma, z.startPfn, z.protection]);
  const memTotal = texts.meminfo === undefined ? undefined : (texts.meminfo['MemTotal'] ?? null);
  return JSON.stringify([zones ?? null, memTotal ?? null, texts.meminfo === undefined ? 0 : 1, texts.nodeMemTotalKiB ?? null, texts.hashTables ?? null, texts.bootLog ?? null]);
}

/**
 * Of a host's facts, the fields besides the texts that the model (and a planner's kernel: `version` for the
 * stable sublevel) reads, in a fixed order: with the texts' key, all a host's facts decide of its kernel.
 */
export function modelFacts(facts: HostFacts): HostFacts {
  const { release, version, cmdline, cpus, pageSize, thpEnabled, minFreeKbytes } = facts;
  // Set one by one in that order (no spread of a small object a field): one object, once a host.
  const fields: { -readonly [K in keyof HostFacts]: HostFacts[K] } = {};
  if (release !== undefined) fields.release = release;
  if (version !== undefined) fields.version = version;
  if (cmdline !== undefined) fields.cmdline = cmdline;
  if (cpus !== undefined) fields.cpus = cpus;
  if (pageSize !== undefined) fields.pageSize = pageSize;
  if (thpEnabled !== undefined) fields.thpEnabled = thpEnabled;
  if (minFreeKbytes !== undefined) fields.minFreeKbytes = minFreeKbytes;
  return fields;
}

/**
 * A key naming what the model reads of `modelFacts`' fields: each field as it is, but the command line by the boot
 * parameters it sets (`parseBootCmdline`, the only reading of it), not by its text. Hosts of one machine type boot
 * with command lines that differ in what the model never reads (`root=UUID=…`, `ip=`, a hostname): keyed by their
 * text, a real discovered fleet would compute one kernel a host. Two fields with the same key give the same kernel.
 */
export function modelFactsKey(fields: HostFacts): string {
  if (fields.cmdline === undefined) return JSON.stringify(fields);
  // In the fields' order, the command line where it was.
  const keyed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) keyed[name] = name === 'cmdline' ? parseBootCmdline(value as string) : value;
  return JSON.stringify(keyed);
}
