/** One zone block of /proc/zoneinfo, with the counters the model uses (pages). */
export interface ZoneinfoZone {
  readonly node: number;
  readonly zone: string;
  readonly free: number;
  readonly min: number;
  readonly low: number;
  readonly high: number;
  readonly spanned: number;
  readonly present: number;
  readonly managed: number;
  readonly boost: number | undefined;
  readonly cma: number | undefined;
  readonly startPfn: number | undefined;
  /** `protection: (a, b, …)`: lowmem_reserve[] of the zone. */
  readonly protection: readonly number[];
}

const headerPattern = /^Node\s+(\d+),\s+zone\s+(\S+)/;

/** Parses /proc/zoneinfo (every version since 2.6: `Node N, zone NAME` blocks). Unknown lines are skipped. */
export function parseZoneinfo(text: string): ZoneinfoZone[] {
  const zones: ZoneinfoZone[] = [];
  let current: Record<string, number> | undefined;
  let header: { node: number; zone: string } | undefined;
  let protection: number[] = [];
  const flush = (): void => {
    if (header === undefined || current === undefined) return;
    zones.push({
      node: header.node,
      zone: header.zone,
      free: current['free'] ?? 0,
      min: current['min'] ?? 0,
      low: current['low'] ?? 0,
      high: current['high'] ?? 0,
      spanned: current['spanned'] ?? 0,
      present: current['present'] ?? 0,
      managed: current['managed'] ?? 0,
      boost: current['boost'],
      cma: current['cma'],
      startPfn: current['start_pfn'],
      protection,
    });
  };
  for (const line of text.split('\n')) {
    const head = headerPattern.exec(line);
    if (head !== null) {
      flush();
      header = { node: Number(head[1]), zone: head[2] ?? '' };
      current = {};
      protection = [];
      continue;
    }
    if (current === undefined) continue;
    const pagesFree = /^\s+pages free\s+(\d+)/.exec(line);
    if (pagesFree !== null) {
      current['free'] = Number(pagesFree[1]);
      continue;
    }
    const prot = /^\s+protection:\s+\(([^)]*)\)/.exec(line);
    if (prot !== null) {
      protection = (prot[1] ?? '').split(',').map((v) => Number(v.trim()));
      continue;
    }
    // Only the first occurrence counts: "high:" also appears in the per-cpu pagesets.
    const field = /^\s+(min|low|high|spanned|present|managed|boost|cma|start_pfn):?\s+(\d+)\s*$/.exec(line);
    if (field !== null && field[1] !== undefined && !(field[1] in current)) current[field[1]] = Number(field[2]);
  }
  flush();
  return zones;
}
