import { load, type EventType, type State } from 'js-yaml';
import { yamlCoreSchema } from './yaml-core-schema';

/**
 * Reads YAML with js-yaml — about ten times faster than the `yaml` library — or returns undefined to leave the text
 * to `yaml`, so that the value is always the one `yaml` would read (YAML 1.2, core schema). It leaves to `yaml`:
 * text js-yaml refuses or warns about; text matching `leftToYaml`; and text where js-yaml, reading, turns out to
 * be laxer than `yaml` or to build another value (`differsFromYaml`). Each case was found by reading the same texts
 * with both parsers (random and mutated ones); fast-parse.test.ts keeps an example of each.
 *
 * Line breaks are LF or CRLF here (parseSource makes each lone CR a LF).
 */
export function fastParse(file: string, text: string): { value: unknown } | undefined {
  if (leftToYaml.test(text)) return undefined;
  const opened: number[] = []; // where each node being read began
  const listener = (event: EventType, state: State): void => {
    if (event === 'open') {
      opened.push(state.position);
      return;
    }
    const node = opened.pop();
    if (node !== undefined && differsFromYaml(state, node, opened)) throw new LeftToYaml();
  };
  try {
    const value = load(text, {
      schema: yamlCoreSchema,
      filename: file,
      listener,
      onWarning: (warning) => {
        throw warning;
      },
    });
    return { value: value === undefined ? null : value }; // no document at all: yaml reads null
  } catch {
    return undefined;
  }
}

/**
 * Text js-yaml reads otherwise than `yaml`, accepts where `yaml` refuses it, or (anchors and aliases) does not
 * bound the expansion of.
 */
const leftToYaml = new RegExp(
  [
    String.raw`(?:^|[\s[{,:-])[&*][^\s,\]}]`, // an anchor or an alias
    String.raw`\t`, // a tab: yaml says where one is not allowed
    String.raw`\uFEFF`, // a byte order mark inside the text: yaml skips it, js-yaml keeps it as text
    String.raw`^%`, // a directive: after `%YAML 1.1`, yaml reads `yes` as true
    String.raw`^---[^\r\n]`, // text after a document start marker: js-yaml drops some of it
    String.raw`(?:^|[\s[{,])[?!]`, // a tag, or an explicit key (js-yaml names a collection as a key otherwise)
    String.raw`[\]}] *:`, // a flow collection as an implicit key (js-yaml names it otherwise)
    String.raw`["'\]}[{,:]#`, // a comment right after a value or an indicator: yaml refuses it
    String.raw`(?:^|[ ])-[ ]*(?:#.*)?\r?$`, // an empty sequence item: js-yaml may add the next line's item to it
  ].join('|'),
  'm',
);

class LeftToYaml extends Error {}

/**
 * Whether js-yaml, having just read a node, may read the text otherwise than `yaml`: `state` is js-yaml's state
 * after the node; `node` is where the node began and `ancestors` where the nodes it is in began (before the
 * spaces, line breaks and comments that precede them).
 */
function differsFromYaml(state: State, node: number, ancestors: readonly number[]): boolean {
  const kind = state.kind as 'scalar' | 'mapping' | 'sequence' | null; // null: an empty node (@types/js-yaml says string)
  if (kind === null) return false;
  // A key that reads as null: js-yaml names it "null", yaml "". A mapping in a flow sequence (`[a: 1]`) has no
  // event of its own: its sequence checks it.
  if (kind === 'mapping' ? hasNullKey(state.result) : kind === 'sequence' && (state.result as unknown[]).some(hasNullKey)) return true;
  const { input } = state;
  const content = contentStart(input, node);
  const first = input.charCodeAt(content);
  const flowCollection = first === openBrace || first === openBracket;
  if (kind !== 'scalar' && !flowCollection) return false; // a block collection
  // A block scalar: js-yaml does not check some of its rules (more-indented first lines, indentation indicators).
  if (first === pipe || first === greaterThan) return true;
  if (kind === 'scalar') {
    // A scalar over several lines: js-yaml does not check that its lines are indented more than the block it is
    // in. (In a flow collection js-yaml reads on past the spaces and line breaks after a scalar.)
    const end = previousNonSpace(input, state.position) + 1;
    for (let at = content; at < end; at += 1) if (input.charCodeAt(at) === lineFeed) return true;
    // An implicit key whose `:` is over 1024 characters from its start: yaml refuses it, as the YAML spec says.
    let after = end;
    while (input.charCodeAt(after) === space) after += 1;
    return input.charCodeAt(after) === colon && after - content > 1024;
  }
  // A flow collection over several lines (it began before the line js-yaml is on) in a block collection: js-yaml
  // does not check that its lines are indented more than the block.
  if (content < state.lineStart && isBlock(enclosing(input, content, ancestors))) return true;
  // A flow collection as a key of a flow mapping (`{[a]: 1}`, `{a, [b]}`): js-yaml names it otherwise.
  const before = input.charCodeAt(previousNonSpace(input, content));
  return before === openBrace || (before === comma && enclosing(input, content, ancestors) === openBrace);
}

/**
 * The first character of the collection a node starting at `content` is in (NaN at the top of the document).
 * js-yaml sometimes reads a node twice, once as a possible key: the node it is then in starts at the same place.
 */
function enclosing(input: string, content: number, ancestors: readonly number[]): number {
  for (let i = ancestors.length - 1; i >= 0; i -= 1) {
    const start = contentStart(input, ancestors[i]!);
    if (start !== content) return input.charCodeAt(start);
  }
  return NaN;
}

function isBlock(collectionStart: number): boolean {
  return !Number.isNaN(collectionStart) && collectionStart !== openBrace && collectionStart !== openBracket;
}

const space = 0x20;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const hash = 0x23; // #
const comma = 0x2c;
const colon = 0x3a;
const openBrace = 0x7b; // {
const openBracket = 0x5b; // [
const pipe = 0x7c; // |
const greaterThan = 0x3e; // >

function hasNullKey(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, 'null');
}

/** Where a node's content starts: after the spaces, line breaks and comments before it. */
function contentStart(input: string, position: number): number {
  let at = position;
  for (;;) {
    const char = input.charCodeAt(at);
    if (char === space || char === lineFeed || char === carriageReturn) at += 1;
    else if (char === hash) {
      while (at < input.length && input.charCodeAt(at) !== lineFeed) at += 1;
    } else return at;
  }
}

/** The position of the last character before `position` that is not a space or a line break (-1 if none). */
function previousNonSpace(input: string, position: number): number {
  let at = position - 1;
  for (let char = input.charCodeAt(at); char === space || char === lineFeed || char === carriageReturn; char = input.charCodeAt(at)) at -= 1;
  return at;
}
