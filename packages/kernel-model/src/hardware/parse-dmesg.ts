/**
 * The first match of `pattern` (sticky, and starting with `literal`) in `text` from `from`: what an unanchored
 * search with the same pattern finds, tried only where indexOf finds `literal` instead of at every character.
 */
export function findFrom(text: string, literal: string, pattern: RegExp, from = 0): RegExpExecArray | null {
  for (let at = text.indexOf(literal, from); at >= 0; at = text.indexOf(literal, at + 1)) {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (match !== null) return match;
  }
  return null;
}

/** `TCP: Hash tables configured (established N bind M)` (tcp_init, every version). */
export interface HashTablesLine {
  readonly established: number;
  readonly bind: number;
}

const hashTablesPattern = /Hash tables configured \(established (\d+) bind (\d+)\)/y;

/** Finds the `Hash tables configured` line in a kernel log (or the line alone). */
export function parseHashTablesLine(text: string): HashTablesLine | undefined {
  const match = findFrom(text, 'Hash tables configured (', hashTablesPattern);
  return match === null ? undefined : { established: Number(match[1]), bind: Number(match[2]) };
}

/** One `alloc_large_system_hash` report: `NAME hash table entries: N (order: O, B bytes, KIND)`. */
export interface HashTableReport {
  readonly name: string;
  readonly entries: number;
  readonly order: number;
  readonly bytes: number;
  /** `linear`, `vmalloc`, `vmalloc hugepage` (6.1+); undefined before 5.x printed it. */
  readonly kind: string | undefined;
}

/** Every `… hash table entries: …` line of a kernel log, in order. */
export function parseHashTableReports(text: string): HashTableReport[] {
  const reports: HashTableReport[] = [];
  const pattern = /([\w -]+?) hash table entries: (\d+) \(order: (-?\d+), (\d+) bytes(?:, ([\w ]+))?\)/g;
  for (const match of text.matchAll(pattern)) {
    reports.push({
      name: (match[1] ?? '').replace(/^.*\]\s*/, '').trim(),
      entries: Number(match[2]),
      order: Number(match[3]),
      bytes: Number(match[4]),
      kind: match[5],
    });
  }
  return reports;
}

/** What a boot log says about memory that is freed after `tcp_init()` ran (KiB). */
export interface LateFrees {
  /** `Freeing initrd memory: NK` (populate_rootfs, rootfs_initcall — after fs_initcall). */
  readonly initrdKiB: number | undefined;
  /** initmem, text/rodata and rodata/data gaps, unused decrypted memory (free_initmem & co. in kernel_init). */
  readonly kernelImageKiB: number;
  /** `RAMDISK: [mem A-B]`: the initrd as the boot loader placed it (bytes, page-aligned end). */
  readonly ramdiskBytes: number | undefined;
}

const freeingPattern = /Freeing (initrd memory|unused kernel image[^:]*|unused decrypted memory|unused kernel memory): (\d+)K/y;
const ramdiskPattern = /RAMDISK: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]/y;

/** Sums the `Freeing …` lines printed after the TCP hash tables line, and reads the RAMDISK line. */
export function parseLateFrees(dmesg: string): LateFrees {
  let initrdKiB: number | undefined;
  let kernelImageKiB = 0;
  let from = Math.max(0, dmesg.indexOf('Hash tables configured'));
  for (let match = findFrom(dmesg, 'Freeing ', freeingPattern, from); match !== null; match = findFrom(dmesg, 'Freeing ', freeingPattern, from)) {
    if (match[1] === 'initrd memory') initrdKiB = (initrdKiB ?? 0) + Number(match[2]);
    else kernelImageKiB += Number(match[2]);
    from = match.index + match[0].length;
  }
  const ramdisk = findFrom(dmesg, 'RAMDISK: [mem ', ramdiskPattern);
  const ramdiskBytes = ramdisk === null ? undefined : parseInt(ramdisk[2] ?? '0', 16) + 1 - parseInt(ramdisk[1] ?? '0', 16);
  return { initrdKiB, kernelImageKiB, ramdiskBytes };
}
