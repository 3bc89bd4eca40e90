import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type Scalar, type YAMLError, type YAMLMap } from 'yaml';
import { errorsWithDuplicateKeys, keyCollisions } from './duplicate-keys';
import { fastParse } from './fast-parse';
import type { Problem } from './generated/types';
import { problem } from './problem';

/** A place in a source file, 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * A parsed YAML or JSON file that remembers where every value came from, so a problem found in the value can
 * name its line and column. Parsing is pure: the caller reads the file.
 */
export interface SourceDocument {
  readonly file: string;
  readonly value: unknown;
  /** Where the value at a JSON pointer starts (or its key, with `key: true`); the nearest existing parent if absent. */
  locate(pointer: string, options?: { key?: boolean }): SourcePosition | undefined;
}

/** Splits a JSON pointer (`/hosts/web-1/sysctls`) into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * Parses YAML (JSON is accepted too, being YAML) into a located document, or returns located syntax problems.
 * Duplicate keys, tabs for indentation and other YAML errors are problems, never exceptions.
 *
 * The document is YAML 1.2 (core schema) as the `yaml` library reads it. js-yaml reads it first when it can, about
 * ten times faster (the `yaml` library's located Document is built only when a problem needs a position); text
 * that js-yaml would read otherwise, or accept where `yaml` refuses it, is left to `yaml` (see `fastParse`).
 */
export function parseSource(file: string, text: string): { ok: true; document: SourceDocument } | { ok: false; problems: Problem[] } {
  // YAML 1.2 makes a lone CR a line break (spec 5.4), as js-yaml does; the `yaml` library reads it as text, and
  // means to keep doing so (eemeli/yaml#595). Both parsers read the text with each lone CR made a LF, which keeps
  // every offset. Positions still count lines as the rest of tcpmem does (file problems, the bad-input test): by
  // LF, so a file with CR line ends is one line.
  const crLineEnds = /\r(?!\n)/.test(text);
  const source = crLineEnds ? text.replace(/\r(?!\n)/g, '\n') : text;
  const lines = crLineEnds ? lineFeedsOf(text) : undefined;
  const fast = fastParse(file, source);
  if (fast === undefined) return parseYaml(file, source, lines);
  let located: SourceDocument | undefined;
  const locate = (pointer: string, options?: { key?: boolean }): SourcePosition | undefined => {
    if (located === undefined) {
      const parsed = parseYaml(file, source, lines);
      if (!parsed.ok) return { line: 1, column: 1 };
      located = parsed.document;
    }
    return located.locate(pointer, options);
  };
  return { ok: true, document: { file, value: fast.value, locate } };
}

/** A key as it is written (`1`, `"1"`), for messages. */
function keySource(text: string, key: Scalar): string {
  const written = key.range === undefined || key.range === null ? '' : text.slice(key.range[0], key.range[1]).trim();
  return written === '' ? JSON.stringify(key.value) : written;
}

/** Where the lines of a text start, counting LF as the only line break. */
function lineFeedsOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
  return lines;
}

/** Parses with the `yaml` library; `lines`, when given, are where positions count the lines to start. */
function parseYaml(file: string, text: string, lines?: LineCounter): { ok: true; document: SourceDocument } | { ok: false; problems: Problem[] } {
  const lineCounter = new LineCounter();
  // Repeated keys are found by errorsWithDuplicateKeys: yaml's own check (`uniqueKeys: true`) is quadratic.
  // logLevel: yaml would print its warnings (a collection as a key, an unknown tag) on stderr; they are not errors.
  const options = { prettyErrors: false, uniqueKeys: false, strict: true, logLevel: 'error' } as const;
  let doc: ReturnType<typeof parseDocument>;
  let errors: YAMLError[];
  try {
    doc = parseDocument(text, { ...options, lineCounter });
    errors = errorsWithDuplicateKeys(text, doc, options);
  } catch (error) {
    // The parser recurses once per nesting level: a document nested thousands deep exhausts the stack.
    return { ok: false, problems: [problem('TCPMEM_SYNTAX', `cannot parse: ${(error as Error).message}`, { file, line: 1, column: 1, hint: 'Config files nest a few levels deep; this one is nested too deeply (or is not a config file).' })] };
  }
  const position = (offset: number): SourcePosition => {
    const { line, col } = (lines ?? lineCounter).linePos(offset);
    return { line, column: col };
  };
  const deep = firstTooDeep(doc);
  const exhausted = errors.find((error) => error.code === 'RESOURCE_EXHAUSTION');
  if (deep !== undefined || exhausted !== undefined) {
    // Whether yaml runs out of stack first (and where) depends on the stack left, so that only this is reported.
    const at = deep?.range?.[0] ?? exhausted?.pos[0] ?? 0;
    return { ok: false, problems: [problem('TCPMEM_SYNTAX', `nested more than ${maxDepth} collections deep`, { file, ...position(at), hint: 'Config files nest a few levels deep; this one is nested too deeply (or is not a config file).' })] };
  }
  if (errors.length > 0) {
    return {
      ok: false,
      problems: errors.map((error) => {
        const at = position(error.pos[0]);
        return problem('TCPMEM_SYNTAX', error.message.split('\n')[0] ?? error.message, {
          file,
          ...at,
          hint: 'Fix the YAML/JSON syntax at this place; `tcpmem validate` reports every syntax error it can find.',
        });
      }),
    };
  }
  const collisions = keyCollisions(doc);
  if (collisions.length > 0) {
    return {
      ok: false,
      problems: collisions.map(({ key, earlier }) =>
        problem('TCPMEM_SYNTAX', `key ${keySource(text, key)} is the same name as the earlier key ${keySource(text, earlier)} of this mapping: it would silently replace it`, {
          file,
          ...position(key.range?.[0] ?? 0),
          hint: 'Give each key once; a number, true/false or null as a key is the same name as its quoted text.',
        }),
      ),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // toJS() refuses an alias to an anchor that does not exist, and more alias expansion than maxAliasCount.
    const alias = /(^|[\s[{,:-])\*[^\s,\]}]/m.exec(text);
    const at = alias === null ? { line: 1, column: 1 } : position(alias.index + alias[1]!.length);
    return {
      ok: false,
      problems: [problem('TCPMEM_SYNTAX', (error as Error).message.split('\n')[0] ?? 'invalid YAML', { file, ...at, hint: 'tcpmem expands at most 100 YAML aliases, each to an anchor defined before it; write the values out, or use groups and presets to share settings.' })],
    };
  }
  if (containsItself(value)) {
    // yaml lets an alias name an ancestor of itself (`&x { atLeast: *x }`): a value that contains itself.
    const alias = /(^|[\s[{,:-])\*[^\s,\]}]/m.exec(text);
    const at = alias === null ? { line: 1, column: 1 } : position(alias.index + alias[1]!.length);
    return { ok: false, problems: [problem('TCPMEM_SYNTAX', 'an alias refers to a value that contains it', { file, ...at, hint: 'A YAML alias may only repeat a value defined before it, never one it is part of; write the value out.' })] };
  }

  const locate = (pointer: string, options: { key?: boolean } = {}): SourcePosition | undefined => {
    const segments = pointerSegments(pointer);
    let node: unknown = doc.contents;
    let found: Node | undefined = isNodeWithRange(node) ? node : undefined;
    for (const [index, segment] of segments.entries()) {
      const last = index === segments.length - 1;
      if (isMap(node)) {
        const pair = pairsByKey(node).get(segment);
        if (pair === undefined) break;
        if (last && options.key === true && isNodeWithRange(pair.key)) return nodePosition(pair.key);
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
      } else {
        break;
      }
      if (!isNodeWithRange(node)) break;
      found = node;
    }
    return found === undefined ? { line: 1, column: 1 } : nodePosition(found);
  };
  const nodePosition = (node: Node): SourcePosition => position(node.range?.[0] ?? 0);

  return { ok: true, document: { file, value, locate } };
}

/**
 * A mapping's pairs by key (the first pair of a key, the one a search from the start would find), built the first
 * time the mapping is searched: locating a problem on each of n hosts of one mapping is then O(n), not O(n²).
 */
const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = keyIndexes.get(map);
  if (index === undefined) {
    index = new Map();
    for (const item of map.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const key = String(item.key.value);
      if (!index.has(key)) index.set(key, item);
    }
    keyIndexes.set(map, index);
  }
  return index;
}

/**
 * How deep collections may nest: config files nest a few levels; yaml's composer recurses once per level and runs
 * out of stack somewhere past 500 — a place that moves with the stack left — and js-yaml stops at 100.
 */
const maxDepth = 100;

/** The first collection (in document order) nested in more than `maxDepth` others, if any. */
function firstTooDeep(doc: Document): Node | undefined {
  const pending: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > maxDepth) return node;
    const children = (node.items as unknown[]).flatMap((item) => (isPair(item) ? [item.key, item.value] : [item]));
    for (let i = children.length - 1; i >= 0; i -= 1) pending.push({ node: children[i], depth: depth + 1 });
  }
  return undefined;
}

function isNodeWithRange(node: unknown): node is Node {
  return typeof node === 'object' && node !== null && 'range' in node;
}

/** True when a parsed value contains itself (only YAML aliases can make one). */
function containsItself(root: unknown): boolean {
  try {
    return visitForCycles(root);
  } catch {
    return true; // nested deeper than the stack: refused like a cycle
  }
}

function visitForCycles(root: unknown): boolean {
  const ancestors = new Set<object>();
  const visit = (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null) return false;
    if (ancestors.has(value)) return true;
    ancestors.add(value);
    const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
    for (const child of children) if (visit(child)) return true;
    ancestors.delete(value);
    return false;
  };
  return visit(root);
}
