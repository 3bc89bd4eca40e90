import { blanksThenNumber, digitsValue, isBlank, skipBlanks, skipDigits } from './scan-line';

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

// The lines read, as patterns matched against one line of the text (split on `\n`). Lines that begin with one of
// their words after spaces and tabs (all of them in what a kernel prints) are read in place by `readLine`, the same way.
const headerLine = /^Node\s+(\d+),\s+zone\s+(\S+)/;
const pagesFreeLine = /^\s+pages free\s+(\d+)/;
const protectionLine = /^\s+protection:\s+\(([^)]*)\)/;
const counterLine = /^\s+(min|low|high|spanned|present|managed|boost|cma|start_pfn):?\s+(\d+)\s*$/;
const counters = ['min', 'low', 'high', 'spanned', 'present', 'managed', 'boost', 'cma', 'start_pfn'] as const;

/** Where a zone block keeps each value it reads (`free`: the pages free line), in `ZoneBlock.values`. */
const slotOf: ReadonlyMap<string, number> = new Map(['free', ...counters].map((name, slot) => [name, slot]));
const slot = (name: string): number => slotOf.get(name) as number;
const [freeSlot, minSlot, lowSlot, highSlot, spannedSlot, presentSlot, managedSlot, boostSlot, cmaSlot, startPfnSlot] = ['free', ...counters].map(slot) as [number, number, number, number, number, number, number, number, number, number];

/** A first word of the lines above, and where a block keeps what its line gives (-1: no value). */
interface FirstWord {
  readonly text: string;
  readonly slot: number;
}

/** The first words of the lines above, by the code of their first letter (all ASCII): an array, read once a line. */
const firstWords: (readonly FirstWord[] | undefined)[] = [];
for (const text of ['Node', 'pages free', 'protection', ...counters]) {
  const word: FirstWord = { text, slot: text === 'pages free' ? freeSlot : (slotOf.get(text) ?? -1) };
  firstWords[text.charCodeAt(0)] = [...(firstWords[text.charCodeAt(0)] ?? []), word];
}

/** `text.startsWith(word, at)` for a `word` whose first letter is there already, compared in place (no call out). */
function startsWithAt(text: string, word: string, at: number): boolean {
  for (let i = 1; i < word.length; i++) if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * A zone block being read: its header, and what its lines gave so far (`free` and the counters, by `slotOf`; NaN
 * for none yet: a value read is digits, never NaN).
 */
interface ZoneBlock {
  readonly node: number;
  readonly zone: string;
  readonly values: number[];
  protection: number[];
}

const newBlock = (node: number, zone: string): ZoneBlock => ({ node, zone, values: [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN], protection: [] });

/** `a, b, …` of a `protection: (…)` line, from `start` to `end`: each as `Number(item.trim())` reads it (digits in place). */
function protectionValues(text: string, start: number, end: number): number[] {
  const values: number[] = [];
  for (let item = start; ; ) {
    const comma = text.indexOf(',', item);
    const itemEnd = comma < 0 || comma >= end ? end : comma;
    const digits = skipBlanks(text, item, itemEnd);
    const afterDigits = skipDigits(text, digits, itemEnd);
    values.push(afterDigits > digits && skipBlanks(text, afterDigits, itemEnd) === itemEnd ? digitsValue(text, digits, afterDigits) : Number(text.slice(item, itemEnd).trim()));
    if (itemEnd === end) return values;
    item = itemEnd + 1;
  }
}

/** What follows `Node` in a header line, in place: `\s+(\d+),\s+zone\s+(\S+)`; the block it begins. */
function readHeader(text: string, at: number, end: number): ZoneBlock | undefined {
  const node = blanksThenNumber(text, at, end);
  if (node === undefined || text.charCodeAt(node.end) !== 44 /* , */) return undefined;
  const zoneWord = skipBlanks(text, node.end + 1, end);
  if (zoneWord === node.end + 1 || !text.startsWith('zone', zoneWord)) return undefined;
  const name = skipBlanks(text, zoneWord + 4, end);
  let nameEnd = name;
  while (nameEnd < end && !isBlank(text.charCodeAt(nameEnd))) nameEnd++;
  return name === zoneWord + 4 || nameEnd === name ? undefined : newBlock(node.value, text.slice(name, nameEnd));
}

/** Reads a line into the current block with the patterns themselves; a header line gives the next block. */
function matchLine(line: string, block: ZoneBlock | undefined): ZoneBlock | undefined {
  const head = headerLine.exec(line);
  if (head !== null) return newBlock(Number(head[1]), head[2] ?? '');
  if (block === undefined) return undefined;
  const pagesFree = pagesFreeLine.exec(line);
  const prot = pagesFree === null ? protectionLine.exec(line) : null;
  const counter = pagesFree === null && prot === null ? counterLine.exec(line) : null;
  if (pagesFree !== null) block.values[freeSlot] = Number(pagesFree[1]);
  else if (prot !== null) block.protection = protectionValues(prot[1] ?? '', 0, (prot[1] ?? '').length);
  else if (counter?.[1] !== undefined && Number.isNaN(block.values[slot(counter[1])])) block.values[slot(counter[1])] = Number(counter[2]);
  return undefined;
}

/**
 * Reads the line from `start` to `end` into the current block as `matchLine` does, in place where it begins with one
 * of the patterns' words after spaces and tabs (always, in what a kernel prints); a header line gives the next block.
 */
function readLine(text: string, start: number, end: number, block: ZoneBlock | undefined): ZoneBlock | undefined {
  let at = start;
  let code = text.charCodeAt(at);
  while (code === 32 || code === 9) code = text.charCodeAt(++at);
  // Most lines (nr_*, numa_*, pagesets) begin with no word read: one array read says so.
  const words = code < 128 ? firstWords[code] : undefined;
  let found: FirstWord | undefined;
  if (words !== undefined) for (let i = 0; i < words.length; i++) if (startsWithAt(text, (words[i] as FirstWord).text, at)) found = words[i];
  if (found === undefined) return at < end && isBlank(code) ? matchLine(text.slice(start, end), block) : undefined;
  const word = found.text;
  if (word === 'Node') return at === start ? readHeader(text, at + word.length, end) : undefined;
  if (block === undefined || at === start) return undefined;
  if (word === 'protection') {
    // `:\s+\(([^)]*)\)`
    const colon = at + word.length;
    const open = skipBlanks(text, colon + 1, end);
    const close = text.indexOf(')', open);
    if (text.charCodeAt(colon) === 58 && open > colon + 1 && text.charCodeAt(open) === 40 && close >= 0 && close < end) block.protection = protectionValues(text, open + 1, close);
    return undefined;
  }
  const afterWord = at + word.length;
  // The last pages free line counts, the first line of each counter (as the patterns read them).
  if (word === 'pages free') {
    const free = blanksThenNumber(text, afterWord, end);
    if (free !== undefined) block.values[freeSlot] = free.value;
    return undefined;
  }
  const counter = found.slot;
  if (!Number.isNaN(block.values[counter])) return undefined;
  const value = blanksThenNumber(text, text.charCodeAt(afterWord) === 58 /* : */ ? afterWord + 1 : afterWord, end);
  if (value !== undefined && skipBlanks(text, value.end, end) === end) block.values[counter] = value.value;
  return undefined;
}

/** A value read, or `absent` for none. */
const valueOr = <T>(value: number | undefined, absent: T): number | T => (value === undefined || Number.isNaN(value) ? absent : value);

function zoneOf(block: ZoneBlock): ZoneinfoZone {
  const v = block.values;
  return {
    node: block.node,
    zone: block.zone,
    free: valueOr(v[freeSlot], 0),
    min: valueOr(v[minSlot], 0),
    low: valueOr(v[lowSlot], 0),
    high: valueOr(v[highSlot], 0),
    spanned: valueOr(v[spannedSlot], 0),
    present: valueOr(v[presentSlot], 0),
    managed: valueOr(v[managedSlot], 0),
    boost: valueOr(v[boostSlot], undefined),
    cma: valueOr(v[cmaSlot], undefined),
    startPfn: valueOr(v[startPfnSlot], undefined),
    protection: block.protection,
  };
}

/** Parses /proc/zoneinfo (every version since 2.6: `Node N, zone NAME` blocks). Unknown lines are skipped. */
export function parseZoneinfo(text: string): ZoneinfoZone[] {
  const zones: ZoneinfoZone[] = [];
  let block: ZoneBlock | undefined;
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const next = readLine(text, start, end, block);
    if (next !== undefined) {
      if (block !== undefined) zones.push(zoneOf(block));
      block = next;
    }
    start = end + 1;
  }
  if (block !== undefined) zones.push(zoneOf(block));
  return zones;
}
