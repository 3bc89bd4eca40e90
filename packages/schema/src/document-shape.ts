import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Alias, type Document, type DocumentOptions, type Node, type ParseOptions, type Scalar, type SchemaOptions, type YAMLError, type YAMLMap } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * How deep collections may nest: config files nest a few levels; yaml's composer recurses once per level and runs
 * out of stack somewhere past 500 — a place that moves with the stack left.
 */
export const maxDepth = 100;

/** What the checks after parsing need to know of a document, found in one walk. */
export interface DocumentShape {
  /** The first collection (in document order) nested in more than `maxDepth` others, if any (the walk ends there). */
  readonly tooDeep: Node | undefined;
  /** The first alias (in document order), if any. */
  readonly firstAlias: Alias | undefined;
  /** How many keys repeat an earlier key of their mapping, as yaml's `uniqueKeys` check compares keys. */
  readonly repeatedKeys: number;
  /**
   * Keys that are different to YAML but the same name once read: `1` and `"1"`, `true` and `"true"`, `null` and
   * `""`. yaml's check finds them different, and the value keeps only the later one, so a host or a setting would
   * vanish without a word. Each later key of such a pair, with the earlier one, in document order.
   */
  readonly collisions: readonly KeyCollision[];
}

/** A key that is the same name as an earlier key of its mapping once read. */
export interface KeyCollision {
  readonly key: Scalar;
  readonly earlier: Scalar;
}

/** Walks a document once, without recursion (a document may nest thousands deep), keys before values. */
export function documentShape(doc: Document): DocumentShape {
  const shape: { -readonly [K in keyof DocumentShape]: DocumentShape[K] } & { collisions: KeyCollision[] } = { tooDeep: undefined, firstAlias: undefined, repeatedKeys: 0, collisions: [] };
  const nodes: unknown[] = [doc.contents];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (isAlias(node)) shape.firstAlias ??= node;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > maxDepth) {
      shape.tooDeep = node;
      break;
    }
    if (isMap(node)) checkKeys(node, shape);
    for (let i = node.items.length - 1; i >= 0; i -= 1) {
      const item: unknown = node.items[i];
      if (isPair(item)) {
        nodes.push(item.value, item.key);
        depths.push(depth + 1, depth + 1);
      } else {
        nodes.push(item);
        depths.push(depth + 1);
      }
    }
  }
  shape.collisions.sort((a, b) => (a.key.range?.[0] ?? 0) - (b.key.range?.[0] ?? 0));
  return shape;
}

/** Counts the keys of a mapping that repeat an earlier one (see addKey), and finds those that are another key's name. */
function checkKeys(map: YAMLMap, shape: { repeatedKeys: number; collisions: KeyCollision[] }): void {
  const values = new Set<unknown>();
  const names = new Map<string, Scalar>();
  for (const { key } of map.items) {
    if (!addKey(values, key)) {
      shape.repeatedKeys += 1;
      continue;
    }
    if (!isScalar(key)) continue;
    const name = nameOf(key.value);
    if (name === undefined) continue;
    const earlier = names.get(name);
    if (earlier === undefined) names.set(name, key);
    else shape.collisions.push({ key, earlier });
  }
}

/**
 * The errors of a document parsed with `uniqueKeys: false`, and an error for each key that repeats an earlier key
 * of its mapping: the list `parseDocument(text, { ...options, uniqueKeys: true }).errors` gives — same codes,
 * messages, positions and order — in linear time instead of quadratic.
 *
 * yaml's own check compares each new key with every earlier key of its mapping (`mapIncludes`,
 * yaml/dist/compose/util-map-includes.js): seconds for a fleet of 20,000 hosts. `repeats` is the count
 * documentShape found with a Set per mapping. When a key repeats (rarely: that is an error), the
 * text is parsed again with a `uniqueKeys` function that ends yaml's search at the first key it compares, so
 * that yaml reports every key, each where and when its check would, and only the reports of repeats are kept.
 */
export function repeatedKeyErrors(text: string, doc: Document, repeats: number, options: Options): YAMLError[] {
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

/** The property name a scalar key becomes once read (as yaml's toJS names it); undefined for other values. */
function nameOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * Adds a key to those seen in its mapping; false when it repeats one. Keys are equal as in yaml's check: scalars with
 * `===` values (`1` and `"1"` differ, `0x10` and `16` do not, `.nan` never repeats); other keys only as the same node.
 */
function addKey(seen: Set<unknown>, key: unknown): boolean {
  if (!isScalar(key) || Number.isNaN(key.value)) return true; // a Set finds NaN equal to NaN, `===` does not
  if (seen.has(key.value)) return false;
  seen.add(key.value);
  return true;
}
