import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Alias, type Document, type DocumentOptions, type Node, type ParseOptions, type Scalar, type SchemaOptions, type YAMLError, type YAMLMap } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * How deep collections may nest: config files nest a few levels; yaml's composer recurses once per level and runs
 * out of stack somewhere past 500 — a place that moves with the stack left.
 */
export const maxDepth = 100;

/** What the checks after parsing need to know of a document, found in one walk. */
export interface DocumentShape {
  /** Every mapping, those in keys included (in no particular order); all of them only when nothing is too deep. */
  readonly maps: readonly YAMLMap[];
  /** The first collection (in document order) nested in more than `maxDepth` others, if any. */
  readonly tooDeep: Node | undefined;
  /** The first alias (in document order), if any. */
  readonly firstAlias: Alias | undefined;
}

/** Walks a document once, without recursion (a document may nest thousands deep), keys before values. */
export function documentShape(doc: Document): DocumentShape {
  const maps: YAMLMap[] = [];
  let firstAlias: Alias | undefined;
  const pending: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    if (isAlias(node)) firstAlias ??= node;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > maxDepth) return { maps, tooDeep: node, firstAlias };
    if (isMap(node)) maps.push(node);
    for (let i = node.items.length - 1; i >= 0; i -= 1) {
      const item: unknown = node.items[i];
      if (isPair(item)) pending.push({ node: item.value, depth: depth + 1 }, { node: item.key, depth: depth + 1 });
      else pending.push({ node: item, depth: depth + 1 });
    }
  }
  return { maps, tooDeep: undefined, firstAlias };
}

/**
 * The errors of a document parsed with `uniqueKeys: false`, and an error for each key that repeats an earlier key
 * of its mapping: the list `parseDocument(text, { ...options, uniqueKeys: true }).errors` gives — same codes,
 * messages, positions and order — in linear time instead of quadratic.
 *
 * yaml's own check compares each new key with every earlier key of its mapping (`mapIncludes`,
 * yaml/dist/compose/util-map-includes.js): seconds for a fleet of 20,000 hosts. Here a Set per mapping finds the
 * repeats. Keys are equal as there: scalars with `===` values (`1` and `"1"` differ, `0x10` and `16` do not,
 * `.nan` never repeats); other keys only as the same node. When a key repeats (rarely: that is an error), the
 * text is parsed again with a `uniqueKeys` function that ends yaml's search at the first key it compares, so
 * that yaml reports every key, each where and when its check would, and only the reports of repeats are kept.
 */
export function repeatedKeyErrors(text: string, doc: Document, maps: readonly YAMLMap[], options: Options): YAMLError[] {
  let repeats = 0;
  for (const map of maps) {
    const seen = new Set<unknown>();
    for (const pair of map.items) if (!addKey(seen, pair.key)) repeats += 1;
  }
  if (repeats === 0) return doc.errors;
  // yaml calls the function once for each key but the first of a mapping (returning true ends its search), with
  // the mapping's first key, which stands for the mapping here, and the new key.
  const seenIn = new WeakMap<object, Set<unknown>>();
  const isRepeat: boolean[] = [];
  const again = parseDocument(text, {
    ...options,
    uniqueKeys: (first, added) => {
      let seen = seenIn.get(first);
      if (seen === undefined) {
        seen = new Set();
        addKey(seen, first);
        seenIn.set(first, seen);
      }
      isRepeat.push(!addKey(seen, added));
      return true;
    },
  });
  const reports = again.errors.filter((error) => error.code === 'DUPLICATE_KEY').length;
  if (reports !== isRepeat.length || isRepeat.filter(Boolean).length !== repeats) {
    // A later yaml compares keys otherwise: its own (quadratic) check is still right.
    return parseDocument(text, { ...options, uniqueKeys: true }).errors;
  }
  let report = 0;
  return again.errors.filter((error) => error.code !== 'DUPLICATE_KEY' || isRepeat[report++] === true);
}

/**
 * Keys that are different to YAML but the same name once read: `1` and `"1"`, `true` and `"true"`, `null` and
 * `""`. yaml's check finds them different, and the value keeps only the later one, so a host or a setting would
 * vanish without a word. Each later key of such a pair, with the earlier one, in document order.
 */
export function keyCollisions(maps: readonly YAMLMap[]): { readonly key: Scalar; readonly earlier: Scalar }[] {
  const collisions: { key: Scalar; earlier: Scalar }[] = [];
  for (const map of maps) {
    const byName = new Map<string, Scalar>();
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const name = nameOf(pair.key.value);
      if (name === undefined) continue;
      const earlier = byName.get(name);
      if (earlier === undefined) byName.set(name, pair.key);
      else collisions.push({ key: pair.key, earlier });
    }
  }
  return collisions.sort((a, b) => (a.key.range?.[0] ?? 0) - (b.key.range?.[0] ?? 0));
}

/** The property name a scalar key becomes once read (as yaml's toJS names it); undefined for other values. */
function nameOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** Adds a key to those seen in its mapping; false when it repeats one (as yaml compares keys: see above). */
function addKey(seen: Set<unknown>, key: unknown): boolean {
  if (!isScalar(key) || Number.isNaN(key.value)) return true; // a Set finds NaN equal to NaN, `===` does not
  if (seen.has(key.value)) return false;
  seen.add(key.value);
  return true;
}
