import { isMap, isScalar, isSeq, type Document } from 'yaml';

/**
 * Where the values of a parsed file start, as plain data — numbers, strings and arrays, nothing else — so that it
 * survives `structuredClone` (a worker thread parses, the main thread locates). Either an index made during the one
 * parse, `[lineStarts, root]`, or the text itself, parsed again when a problem first needs a place (a JSON file,
 * which JSON.parse reads without positions).
 *
 * The index of a fleet file takes about 0.4 KB a host (heap after a full GC, the synthetic fleet: 4.0 MiB at
 * 10,000 hosts, 44 MiB at 100,000), half what the parsed value takes (82 MiB at 100,000), against 397 MiB for
 * yaml's Documents. It is not bounded: it grows with the input as the value does, and before it the first
 * problem located in a file parsed it again into a Document kept for good (1,579 warnings in the synthetic
 * fleet's 10 host files: all of them).
 */
export type SourcePositions = IndexedPositions | string;

/** Offsets of the lines' starts (LF ends a line), then where the document's root node starts. */
export type IndexedPositions = readonly [lineStarts: Uint32Array, root: NodePositions];

/**
 * One node: where it starts (a UTF-16 offset in the text; `absent` for a pair without a value node), or a
 * collection as one array — `['m', start, key, keyStart, value, key, keyStart, value, …]` for a mapping (its scalar
 * keys as read, the first of each name), `['s', start, item, item, …]` for a sequence. Aliases are where they are
 * written, not followed.
 */
export type NodePositions = number | readonly (string | number | NodePositions)[];

/** A node that is not there (a pair without a value, a sequence item that is a pair). */
export const absent = -1;

export const mapping = 'm';
export const sequence = 's';

/**
 * Indexes a parsed document, nested at most `maxDepth` deep (it recurses once per level). `text` is the file's
 * text, whose line ends are counted. A plain document's index is made by plainReading (plain-document.ts) in the
 * walk that reads its value; plain-document.test.ts holds the two to the same answers.
 */
export function indexPositions(doc: Document, text: string): IndexedPositions {
  return [lineStartsOf(text), nodePositions(doc.contents, new Map())];
}

/**
 * A node's positions. Key strings are shared within a file (`address`, `groups`, … once each, not once a host).
 */
function nodePositions(node: unknown, names: Map<string, string>): NodePositions {
  // Each array is made its final size (one grown by push keeps up to half again as many slots).
  if (isMap(node)) {
    const entries = new Array<string | number | NodePositions>(2 + 3 * node.items.length);
    entries[0] = mapping;
    entries[1] = startOf(node);
    const seen = new Set<string>();
    let at = 2;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const written = String(pair.key.value);
      if (seen.has(written)) continue; // the first pair of a name is the one a search from the start finds
      seen.add(written);
      let name = names.get(written);
      if (name === undefined) names.set(written, (name = written));
      entries[at] = name;
      entries[at + 1] = startOf(pair.key);
      entries[at + 2] = nodePositions(pair.value, names);
      at += 3;
    }
    entries.length = at;
    return entries;
  }
  if (isSeq(node)) {
    const entries = new Array<string | number | NodePositions>(2 + node.items.length);
    entries[0] = sequence;
    entries[1] = startOf(node);
    node.items.forEach((item, i) => (entries[2 + i] = nodePositions(item, names)));
    return entries;
  }
  return startOf(node);
}

/** Where a node starts; `absent` for what is not a node (a pair, a missing value). */
export function startOf(node: unknown): number {
  if (typeof node !== 'object' || node === null || !('range' in node)) return absent;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0] ?? 0;
}

/** The offsets where lines start, counting LF as the only line break (as the rest of tcpmem does). */
export function lineStartsOf(text: string): Uint32Array {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
  const starts = new Uint32Array(lines);
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts[line++] = at + 1;
  return starts;
}

/** Line and column (1-based) of an offset, as yaml's LineCounter gives them. */
export function linePosition(lineStarts: Uint32Array, offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lineStarts[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  if (lineStarts[low] === offset) return { line: low + 1, column: 1 };
  return { line: low, column: offset - lineStarts[low - 1]! + 1 };
}

/**
 * Where the value at a pointer's segments starts, or its key with `key`; the nearest existing parent's start when
 * the path is not there; undefined for an empty document. The same answers as walking yaml's Document.
 */
export function startAt(root: NodePositions, segments: readonly string[], key: boolean): number | undefined {
  let node = root;
  let found = root === absent ? undefined : startOfPositions(root);
  for (const [index, segment] of segments.entries()) {
    if (typeof node === 'number') break;
    if (node[0] === mapping) {
      const entry = entryOf(node, segment);
      if (entry === undefined) break;
      if (key && index === segments.length - 1) return node[entry + 1] as number;
      node = node[entry + 2] as NodePositions;
    } else {
      // As yaml's `items[Number(segment)]`: "1", "01" and "1e0" are item 1; "", "-0" item 0; others no item.
      const item = Number(segment);
      if (!Number.isInteger(item) || item < 0 || item >= node.length - 2) break;
      node = node[item + 2] as NodePositions;
    }
    if (node === absent) break;
    found = startOfPositions(node);
  }
  return found;
}

function startOfPositions(node: NodePositions): number {
  return typeof node === 'number' ? node : (node[1] as number);
}

/**
 * Where a key's entry is in a mapping's array. A mapping of more than a few keys (the hosts of a fleet) is searched
 * through a Map made the first time it is searched: locating a problem on each of n hosts is O(n), not O(n²).
 */
const entryIndexes = new WeakMap<object, Map<string, number>>();
const scanned = 8;

function entryOf(node: readonly unknown[], name: string): number | undefined {
  if (node.length <= 2 + 3 * scanned) {
    for (let at = 2; at < node.length; at += 3) if (node[at] === name) return at;
    return undefined;
  }
  let index = entryIndexes.get(node);
  if (index === undefined) {
    index = new Map();
    for (let at = 2; at < node.length; at += 3) index.set(node[at] as string, at);
    entryIndexes.set(node, index);
  }
  return index.get(name);
}
