import { isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { maxDepth } from './document-shape';
import { absent, lineStartsOf, mapping, sequence, startOf, type IndexedPositions, type NodePositions } from './source-positions';

/** A plain document's value and positions, read in one walk. */
export interface PlainReading {
  readonly value: unknown;
  readonly positions: IndexedPositions;
}

/**
 * The value (`doc.toJS({ maxAliasCount: 100 })`) and the positions (`indexPositions(doc, text)`) of a document
 * that parsed without errors and is plain — as config files are — read in one walk of it instead of three (the
 * shape check, `toJS`, the index): half their CPU. Undefined when the document is not plain, and then the
 * full checks must run and find what it has.
 *
 * Plain: nested at most `maxDepth` collections deep (this walk recurses once per level, and stops there); no
 * aliases; mappings and sequences of yaml's own classes (not `!!set`, `!!omap`, `!!pairs`), no `<<` merge keys;
 * each key a scalar whose value is a string, a number or a boolean (not null, which names `''` but is indexed as
 * `null`, nor a `!!timestamp`, `!!binary`), and no two keys of a mapping the same name. Such a document has
 * nothing for the checks to find: no alias to expand or refuse, no key that repeats or collides (keys equal as
 * yaml compares them, or as names, have the same `String`), nothing too deep. Its value is then what toJS makes,
 * built the way toJS builds it (yaml/dist/nodes/addPairToJSMap.js): a scalar is its `value` (toJS keeps values
 * as they are), a mapping an object whose keys are the keys' `String`, set as toJS sets them, a sequence an array.
 */
export function plainReading(doc: Document, text: string): PlainReading | undefined {
  if (doc.errors.length > 0 || mergesKeys(doc)) return undefined;
  const root: NodePositions[] = [absent];
  let value: unknown;
  try {
    value = read(doc.contents, 0, root, 0, new Map());
  } catch {
    // notPlain; or anything else (the stack running out): the full checks then read it as they always did.
    return undefined;
  }
  return { value, positions: [lineStartsOf(text), root[0]!] };
}

/** Thrown from deep in the walk when the document is not plain. */
const notPlain = new Error('not a plain document');

/** Whether the document's schema reads `<<` as a merge key (YAML 1.1, or the `merge` option), as toJS asks. */
function mergesKeys(doc: Document): boolean {
  return doc.schema.tags.some((tag) => tag.tag === 'tag:yaml.org,2002:merge' && tag.default !== undefined && tag.default !== false);
}

/**
 * A node's value; its positions go to `into[at]` (as nodePositions makes them). Key strings are shared within a
 * file, as nodePositions shares them.
 */
function read(node: unknown, depth: number, into: NodePositions[], at: number, names: Map<string, string>): unknown {
  if (isScalar(node)) {
    into[at] = startOf(node);
    return node.value;
  }
  if (node === null) {
    // A pair without a value (`? key`): toJS reads null, and no node has a start.
    into[at] = absent;
    return null;
  }
  if (depth > maxDepth) throw notPlain;
  if (isMap(node) && Object.getPrototypeOf(node) === YAMLMap.prototype) return readMap(node, depth, into, at, names);
  if (isSeq(node) && Object.getPrototypeOf(node) === YAMLSeq.prototype) return readSeq(node, depth, into, at, names);
  throw notPlain; // an alias, a pair in a sequence, a `!!set`, `!!omap` or `!!pairs`
}

/**
 * A mapping of more keys than this is named entries (the hosts of a fleet file): its keys are all different, and
 * each is shared with no other mapping's, so they are not looked up in the file's names (which only grows with them).
 */
const namedEntries = 64;

function readMap(map: YAMLMap, depth: number, into: NodePositions[], at: number, names: Map<string, string>): Record<string, unknown> {
  const items = map.items;
  // Each array is made its final size, as nodePositions makes it.
  const entries = new Array<string | number | NodePositions>(2 + 3 * items.length);
  entries[0] = mapping;
  entries[1] = startOf(map);
  into[at] = entries;
  const value: Record<string, unknown> = {};
  const shared = items.length <= namedEntries;
  let entry = 2;
  for (let i = 0; i < items.length; i += 1) {
    const { key, value: node } = items[i]!;
    if (!isScalar(key) || 'addToJSMap' in key) throw notPlain; // a collection or an alias as a key, a `!!merge` key
    const keyValue = key.value;
    if (typeof keyValue !== 'string' && typeof keyValue !== 'number' && typeof keyValue !== 'boolean') throw notPlain;
    const written = String(keyValue);
    let name = shared ? names.get(written) : written;
    if (name === undefined) names.set(written, (name = written));
    entries[entry] = name;
    entries[entry + 1] = startOf(key);
    if (name in value) {
      if (Object.hasOwn(value, name)) throw notPlain; // a repeated key, or two keys of one name
      // As toJS sets it: a name the object inherits (`__proto__`, `toString`) as an own property.
      Object.defineProperty(value, name, { value: read(node, depth + 1, entries as NodePositions[], entry + 2, names), writable: true, enumerable: true, configurable: true });
    } else {
      value[name] = read(node, depth + 1, entries as NodePositions[], entry + 2, names);
    }
    entry += 3;
  }
  return value;
}

function readSeq(seq: YAMLSeq, depth: number, into: NodePositions[], at: number, names: Map<string, string>): unknown[] {
  const entries = new Array<string | number | NodePositions>(2 + seq.items.length);
  entries[0] = sequence;
  entries[1] = startOf(seq);
  into[at] = entries;
  const value: unknown[] = [];
  for (let i = 0; i < seq.items.length; i += 1) value.push(read(seq.items[i], depth + 1, entries as NodePositions[], 2 + i, names));
  return value;
}
