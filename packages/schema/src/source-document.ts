import { LineCounter, parseDocument, type Document, type Scalar, type YAMLError } from 'yaml';
import { documentShape, maxDepth, repeatedKeyErrors, type DocumentShape } from './document-shape';
import type { Problem } from './generated/types';
import { plainReading } from './plain-document';
import { withPlainEnv } from './plain-env';
import { problem } from './problem';
import { indexPositions, linePosition, startAt, type IndexedPositions, type SourcePositions } from './source-positions';

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
  /**
   * What `locate` answers from, as plain data: with the file and the value, all `sourceDocumentFrom` needs to make
   * this document again in another thread. Documents made otherwise (read again when used) may have none.
   */
  readonly positions?: SourcePositions;
}

/**
 * A document from what a parse gave, passed as plain data (`structuredClone`, a worker's message): the file, its
 * value, and its `positions`.
 */
export function sourceDocumentFrom(file: string, value: unknown, positions: SourcePositions): SourceDocument {
  const locate: SourceDocument['locate'] = typeof positions === 'string' ? locator(positions) : (pointer, options = {}) => locateIn(positions, pointer, options.key === true);
  return { file, value, positions, locate };
}

/** What parsing a file gives: a located document, or located syntax problems. */
export type ParsedSource = { ok: true; document: SourceDocument } | { ok: false; problems: Problem[] };

/** Splits a JSON pointer (`/hosts/web-1/sysctls`) into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Builds a JSON pointer from segments. A plan makes a few per host (its own, its `hardware`, …): a segment without
 * `~` or `/` (nearly all) is written as it is, without the two replacements.
 */
export function toPointer(segments: readonly (string | number)[]): string {
  let pointer = '';
  for (const segment of segments) {
    const text = String(segment);
    pointer += text.includes('~') || text.includes('/') ? `/${text.replace(/~/g, '~0').replace(/\//g, '~1')}` : `/${text}`;
  }
  return pointer;
}

/**
 * Parses a file into a located document, or returns located syntax problems; bad syntax is never an exception.
 *
 * A `.json` file is JSON, read with `JSON.parse`. Anything else is YAML 1.2 (core schema) as the `yaml` library
 * reads it; duplicate keys, keys that read as one name (`1` and `"1"`), nesting over 100 deep and aliases that
 * expand too much or contain themselves are problems too. Positions come from the `yaml` library (JSON is YAML):
 * a YAML file's are indexed during its parse (`SourcePositions`), so no parse tree outlives its parse and no file
 * is parsed twice; a JSON file's are worked out again from the text when a problem first needs one.
 */
export function parseSource(file: string, text: string): ParsedSource {
  const parsed = file.endsWith('.json') ? parseJson(file, text) : parseYaml(file, text);
  return parsed.ok ? parsed : (conflictProblem(file, text) ?? parsed);
}

/** A line git writes where a merge left a conflict (`<<<<<<< HEAD`), at the start of a line. */
const conflictMarker = /^<{7}(?: |$)/m;

/**
 * A text that does not parse because a merge left a conflict in it (config repos live in git): one problem at
 * the first `<<<<<<<` line, instead of the parser's many about what it makes of the markers.
 */
function conflictProblem(file: string, text: string): ParsedSource | undefined {
  const marker = conflictMarker.exec(text);
  if (marker === null) return undefined;
  return {
    ok: false,
    problems: [
      problem('TCPMEM_SYNTAX', 'an unresolved merge conflict: a `<<<<<<<` line that git left here', {
        file,
        ...positionsIn(text)(marker.index),
        hint: 'Resolve the conflict: keep one side and delete the marker lines (<<<<<<<, =======, >>>>>>>). A facts file can also be written again: `tcpmem discover` the host.',
      }),
    ],
  };
}

// prettyErrors: messages without a code excerpt. uniqueKeys: yaml's own check is quadratic (repeatedKeyErrors
// gives the same errors in linear time). logLevel: yaml would print its warnings (a collection as a key, an
// unknown tag) on stderr; they are not errors.
const yamlOptions = { prettyErrors: false, uniqueKeys: false, strict: true, logLevel: 'error' } as const;

const syntaxHint = 'Fix the YAML/JSON syntax at this place; `tcpmem validate` reports every syntax error it can find.';
const depthHint = 'Config files nest a few levels deep; this one is nested too deeply (or is not a config file).';

function parseYaml(file: string, text: string): ParsedSource {
  const source = withLineFeeds(text);
  const position = positionsIn(text);
  const at = (offset: number) => ({ file, ...position(offset) });
  let doc: Document;
  try {
    doc = withPlainEnv(() => parseDocument(source, yamlOptions));
  } catch (error) {
    // The parser recurses once per nesting level: a document nested thousands deep exhausts the stack.
    return cannotParse(file, error);
  }
  // Most files are plain: their value and positions in one walk, with nothing for the checks below to find.
  const plain = plainReading(doc, text);
  if (plain !== undefined) return { ok: true, document: sourceDocumentFrom(file, plain.value, plain.positions) };
  let shape: DocumentShape;
  let errors: YAMLError[];
  try {
    shape = documentShape(doc);
    errors = shape.tooDeep === undefined ? withPlainEnv(() => repeatedKeyErrors(source, doc, shape.repeatedKeys, yamlOptions)) : [];
  } catch (error) {
    return cannotParse(file, error);
  }
  const exhausted = doc.errors.find((error) => error.code === 'RESOURCE_EXHAUSTION');
  if (shape.tooDeep !== undefined || exhausted !== undefined) {
    // Whether yaml runs out of stack first (and where) depends on the stack left, so that only this is reported.
    const offset = shape.tooDeep?.range?.[0] ?? exhausted?.pos[0] ?? 0;
    return { ok: false, problems: [problem('TCPMEM_SYNTAX', `nested more than ${maxDepth} collections deep`, { ...at(offset), hint: depthHint })] };
  }
  if (errors.length > 0) {
    return { ok: false, problems: errors.map((error) => problem('TCPMEM_SYNTAX', error.message.split('\n')[0] ?? error.message, { ...at(error.pos[0]), hint: syntaxHint })) };
  }
  if (shape.collisions.length > 0) {
    return {
      ok: false,
      problems: shape.collisions.map(({ key, earlier }) =>
        problem('TCPMEM_SYNTAX', `key ${keySource(source, key)} is the same name as the earlier key ${keySource(source, earlier)} of this mapping: it would silently replace it`, {
          ...at(key.range?.[0] ?? 0),
          hint: 'Give each key once; a number, true/false or null as a key is the same name as its quoted text.',
        }),
      ),
    };
  }
  let value: unknown;
  const alias = shape.firstAlias?.range?.[0] ?? 0;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // toJS() refuses an alias to an anchor that does not exist, and more alias expansion than maxAliasCount.
    return {
      ok: false,
      problems: [problem('TCPMEM_SYNTAX', (error as Error).message.split('\n')[0] ?? 'invalid YAML', { ...at(alias), hint: 'tcpmem expands at most 100 YAML aliases, each to an anchor defined before it; write the values out, or use groups and presets to share settings.' })],
    };
  }
  if (shape.firstAlias !== undefined && containsItself(value)) {
    // yaml lets an alias name an ancestor of itself (`&x { atLeast: *x }`): a value that contains itself.
    return { ok: false, problems: [problem('TCPMEM_SYNTAX', 'an alias refers to a value that contains it', { ...at(alias), hint: 'A YAML alias may only repeat a value defined before it, never one it is part of; write the value out.' })] };
  }
  return { ok: true, document: sourceDocumentFrom(file, value, indexPositions(doc, text)) };
}

function cannotParse(file: string, error: unknown): ParsedSource {
  return { ok: false, problems: [problem('TCPMEM_SYNTAX', `cannot parse: ${(error as Error).message}`, { file, line: 1, column: 1, hint: depthHint })] };
}

/**
 * JSON.parse reads a `.json` file (many times faster than a YAML parser), but keeps the last of a repeated key
 * without a word and has no positions: the `yaml` library, which reads JSON as the same value, reports what
 * JSON.parse lets through (a repeated key, nesting over 100 deep) and the syntax errors it can place.
 */
function parseJson(file: string, text: string): ParsedSource {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const yamlRead = parseYaml(file, text);
    if (!yamlRead.ok) return yamlRead;
    // YAML but not JSON: a comment, a trailing comma, a key without quotes, an empty file.
    const message = (error as Error).message;
    const offset = /at position (\d+)/.exec(message)?.[1] ?? (/end of JSON input/.test(message) ? text.length : 0);
    return {
      ok: false,
      problems: [problem('TCPMEM_SYNTAX', `not valid JSON: ${message}`, { file, ...positionsIn(text)(Number(offset)), hint: 'A .json file is strict JSON (no comments, trailing commas or unquoted keys): fix it here, or rename the file .yaml to write YAML.' })],
    };
  }
  const read = membersRead(value);
  if (read.tooDeep || read.members !== membersWritten(text)) {
    const yamlRead = parseYaml(file, text);
    if (!yamlRead.ok) return yamlRead;
  }
  return { ok: true, document: sourceDocumentFrom(file, value, text) };
}

/**
 * How many members the objects of a parsed JSON value have, and whether it nests over `maxDepth` deep (then the
 * count stops). Recursive (at most `maxDepth` + 1 calls deep), visiting only objects and arrays: a facts file's
 * hundred-odd strings cost no work item each.
 */
function membersRead(root: unknown): { members: number; tooDeep: boolean } {
  let members = 0;
  let tooDeep = false;
  const visit = (value: object, depth: number): void => {
    if (depth > maxDepth) {
      tooDeep = true;
      return;
    }
    const children: readonly unknown[] = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
    if (!Array.isArray(value)) members += children.length;
    for (const child of children) {
      if (typeof child !== 'object' || child === null) continue;
      visit(child, depth + 1);
      if (tooDeep) return;
    }
  };
  if (typeof root === 'object' && root !== null) visit(root, 0);
  return { members, tooDeep };
}

const quote = 0x22;
const backslash = 0x5c;
const colon = 0x3a;

/**
 * Where the string that opens at `open` closes, in a valid JSON text: the next `"` not escaped (an odd run of
 * backslashes before it). indexOf skips the body natively: facts files are mostly long strings (zoneinfo, dmesg).
 */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  for (;;) {
    if (at === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === backslash) backslashes += 1;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
}

/** How many members the objects of a valid JSON text are written with: one `:` outside a string each. */
function membersWritten(text: string): number {
  let members = 0;
  for (let at = 0; at < text.length; at += 1) {
    const char = text.charCodeAt(at);
    if (char === colon) members += 1;
    else if (char === quote) at = closingQuote(text, at);
  }
  return members;
}

/**
 * The text with each lone CR made a LF, which keeps every offset. YAML 1.2 makes a lone CR a line break (spec
 * 5.4); the `yaml` library reads it as text, and means to keep doing so (eemeli/yaml#595). Positions still count
 * lines as the rest of tcpmem does (file problems, the bad-input test): by LF, so a file with CR line ends is one
 * line.
 */
function withLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** Line and column of an offset in a text, counting LF as the only line break; the lines are found when first asked. */
function positionsIn(text: string): (offset: number) => SourcePosition {
  let lines: LineCounter | undefined;
  return (offset) => {
    if (lines === undefined) {
      lines = new LineCounter();
      lines.addNewLine(0);
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
    }
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
}

/** A key as it is written (`1`, `"1"`), for messages. */
function keySource(text: string, key: Scalar): string {
  const written = key.range === undefined || key.range === null ? '' : text.slice(key.range[0], key.range[1]).trim();
  return written === '' ? JSON.stringify(key.value) : written;
}

/**
 * `locate` for a text that parses and was not indexed: the `yaml` library parses it again the first time a problem
 * needs a place, and the index of that parse answers the problems after it (most files have none, and keep no index).
 */
function locator(text: string): SourceDocument['locate'] {
  let index: IndexedPositions | undefined;
  return (pointer, options = {}) => {
    index ??= indexPositions(withPlainEnv(() => parseDocument(withLineFeeds(text), yamlOptions)), text);
    return locateIn(index, pointer, options.key === true);
  };
}

function locateIn([lineStarts, root]: IndexedPositions, pointer: string, key: boolean): SourcePosition {
  const start = startAt(root, pointerSegments(pointer), key);
  return start === undefined ? { line: 1, column: 1 } : linePosition(lineStarts, start);
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
