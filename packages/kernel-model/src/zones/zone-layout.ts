import { memparse } from '../hardware/memparse';
import type { RamRange } from './e820-layout';
import { zoneLimitsFor, zoneNames, type Arch, type ZoneSpan } from './zone-names';

function presentIn(ranges: readonly RamRange[], start: number, end: number): number {
  return ranges.reduce((sum, r) => sum + Math.max(0, Math.min(r.endPfn, end) - Math.max(r.startPfn, start)), 0);
}

/** A layout plus what the model could not do exactly. */
export interface ZoneLayout {
  readonly zones: ZoneSpan[];
  readonly notes: string[];
}

/** Movable pages requested by `movablecore=`/`kernelcore=` (size or percentage), or undefined. */
function movablePages(totalPresent: number, movablecore: string | undefined, kernelcore: string | undefined): number | undefined {
  const amount = (text: string): number | undefined => {
    const percent = /^(\d+)%$/.exec(text);
    if (percent !== null) return Math.floor((totalPresent * Number(percent[1])) / 100);
    const parsed = memparse(text);
    return parsed === undefined ? undefined : Math.floor(parsed.bytes / 4096);
  };
  if (kernelcore !== undefined && kernelcore !== 'mirror') {
    const kernel = amount(kernelcore);
    if (kernel !== undefined) return Math.max(0, totalPresent - kernel);
  }
  return movablecore === undefined ? undefined : amount(movablecore);
}

/**
 * Zones per node as `free_area_init()` sizes them (mm/page_alloc.c ≤ 6.2, mm/mm_init.c later): each zone spans
 * the node's pfns within its limits, from the node's first to last present pfn; present = pages in memblock.memory.
 * `movablecore=`/`kernelcore=` are approximated: the Movable pages are taken evenly from the top of each node's
 * highest zone (the kernel's `find_zone_movable_pfns_for_nodes()` also balances kernelcore across nodes).
 */
export function zoneLayout(ranges: readonly RamRange[], options: { movablecore?: string | undefined; kernelcore?: string | undefined; arch?: Arch } = {}): ZoneLayout {
  const notes: string[] = [];
  const zoneLimits = zoneLimitsFor(options.arch ?? 'x86_64', Math.min(...ranges.map((r) => r.startPfn)));
  const nodes = [...new Set(ranges.map((r) => r.node))].sort((a, b) => a - b);
  const zones: ZoneSpan[] = [];
  for (const node of nodes) {
    const own = ranges.filter((r) => r.node === node);
    const nodeStart = Math.min(...own.map((r) => r.startPfn));
    const nodeEnd = Math.max(...own.map((r) => r.endPfn));
    for (const name of zoneNames) {
      if (name === 'Movable') {
        zones.push({ node, zone: name, startPfn: 0, spanned: 0, present: 0 });
        continue;
      }
      const [low, high] = zoneLimits[name];
      const start = Math.max(nodeStart, low);
      const end = Math.min(nodeEnd, high);
      const spanned = Math.max(0, end - start);
      zones.push({ node, zone: name, startPfn: spanned > 0 ? start : 0, spanned, present: spanned > 0 ? presentIn(own, start, end) : 0 });
    }
  }
  const totalPresent = zones.reduce((sum, z) => sum + z.present, 0);
  const movable = movablePages(totalPresent, options.movablecore, options.kernelcore);
  if (options.kernelcore === 'mirror') notes.push('kernelcore=mirror is not modelled (needs the firmware\'s mirrored ranges): no Movable zone assumed.');
  if (movable !== undefined && movable > 0) {
    notes.push('movablecore=/kernelcore= is approximated: Movable pages are taken evenly from the top of each node\'s highest zone; nr_free_buffer_pages() leaves them out.');
    const perNode = Math.floor(movable / nodes.length);
    for (const node of nodes) {
      const highest = [...zones].reverse().find((z) => z.node === node && z.zone !== 'Movable' && z.present > 0);
      const movableIndex = zones.findIndex((z) => z.node === node && z.zone === 'Movable');
      if (highest === undefined || movableIndex < 0) continue;
      const take = Math.min(perNode, highest.present);
      const index = zones.indexOf(highest);
      zones[index] = { ...highest, spanned: highest.spanned - take, present: highest.present - take };
      zones[movableIndex] = { node, zone: 'Movable', startPfn: highest.startPfn + highest.spanned - take, spanned: take, present: take };
    }
  }
  return { zones, notes };
}
