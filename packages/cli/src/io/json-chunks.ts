/**
 * The text of `JSON.stringify(value, null, indent)`, in pieces: the top two levels of objects and arrays are
 * walked, one piece per member; each member of the second level (a host of a plan) is one piece. A plan of
 * 100,000 hosts is hundreds of MiB of JSON, more than one string can hold (V8 caps a string at 2^29 − 24
 * characters); written piece by piece it never is one. Values are JSON data without cycles (a `toJSON` method is
 * called as JSON.stringify calls it) that do not change while the pieces are taken, as every document tcpmem
 * prints is.
 */
export function* jsonChunks(value: unknown, indent?: number): Generator<string> {
  yield* new JsonText(indent).chunks(value, 0);
}

/** The levels `jsonChunks` walks: the document, its members, and theirs (a host), each a piece at most. */
const walkedLevels = 3;

/**
 * Below this length a value's text is not remembered: stringifying it again costs less than keeping it. Above it,
 * a value met a second time (the same object: a plan's hosts share their kernel's record, observation and
 * changes) is stringified once more and then remembered, so unique values (a discovered host's observation)
 * never are.
 */
export const sharedTextMinLength = 128;

/** The text of one document: the walk of its top levels, and the text of each value below them. */
class JsonText {
  /** The indentation of one level, as `JSON.stringify` takes a number: at most 10 spaces. */
  private readonly gap: string;
  /** What comes before and after a value at the first unwalked level when it is stringified nested that deep. */
  private readonly nestedPrefix: number;
  private readonly nestedSuffix: number;
  /** Values below the walked levels met once with a long text, and the texts of those met again. */
  private readonly seen = new WeakSet<object>();
  private readonly texts = new WeakMap<object, string>();

  constructor(indent: number | undefined) {
    this.gap = indent === undefined ? '' : ' '.repeat(Math.min(10, Math.max(0, Math.trunc(indent))));
    // JSON.stringify([[[v]]], null, gap) is v indented as three levels deep, between these (no pass over its text).
    const nest = nested(null);
    const text = this.gap === '' ? '' : JSON.stringify(nest, null, this.gap);
    this.nestedPrefix = this.gap === '' ? 0 : text.indexOf('null');
    this.nestedSuffix = this.gap === '' ? 0 : text.length - this.nestedPrefix - 'null'.length;
  }

  /** The pieces of a value at `depth`: a walked container member by member, anything else as one piece. */
  *chunks(value: unknown, depth: number): Generator<string> {
    if (depth === 0) value = asJson(value, '');
    if (depth >= walkedLevels - 1 || typeof value !== 'object' || value === null) {
      yield this.text(value, depth);
      return;
    }
    const inner = this.gap === '' ? '' : `\n${this.gap.repeat(depth + 1)}`;
    const outer = this.gap === '' ? '' : `\n${this.gap.repeat(depth)}`;
    if (Array.isArray(value)) {
      if (value.length === 0) {
        yield '[]';
        return;
      }
      yield '[';
      for (let i = 0; i < value.length; i++) {
        yield `${i === 0 ? '' : ','}${inner}`;
        yield* this.chunks(arrayElement(asJson(value[i], String(i))), depth + 1);
      }
      yield `${outer}]`;
      return;
    }
    let first = true;
    for (const key of Object.keys(value)) {
      const member = asJson((value as Record<string, unknown>)[key], key);
      if (!isWritten(member)) continue;
      yield `${first ? '{' : ','}${inner}${JSON.stringify(key)}${this.gap === '' ? ':' : ': '}`;
      first = false;
      yield* this.chunks(member, depth + 1);
    }
    yield first ? '{}' : `${outer}}`;
  }

  /** The text of a value at `depth`: the last walked level member by member, deeper values whole. */
  private text(value: unknown, depth: number): string {
    if (typeof value !== 'object' || value === null) return isWritten(value) ? JSON.stringify(value) : 'null';
    if (depth >= walkedLevels) return this.whole(value);
    const inner = this.gap === '' ? '' : `\n${this.gap.repeat(depth + 1)}`;
    const outer = this.gap === '' ? '' : `\n${this.gap.repeat(depth)}`;
    let text = '';
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) text += `${i === 0 ? '[' : ','}${inner}${this.text(arrayElement(asJson(value[i], String(i))), depth + 1)}`;
      return text === '' ? '[]' : `${text}${outer}]`;
    }
    const colon = this.gap === '' ? ':' : ': ';
    for (const key of Object.keys(value)) {
      const member = asJson((value as Record<string, unknown>)[key], key);
      if (!isWritten(member)) continue;
      text += `${text === '' ? '{' : ','}${inner}${JSON.stringify(key)}${colon}${this.text(member, depth + 1)}`;
    }
    return text === '' ? '{}' : `${text}${outer}}`;
  }

  /** The text of an object or array below the walked levels, remembered when it is long and met again. */
  private whole(value: object): string {
    const known = this.texts.get(value);
    if (known !== undefined) return known;
    const text = this.gap === '' ? JSON.stringify(value) : JSON.stringify(nested(value), null, this.gap).slice(this.nestedPrefix, -this.nestedSuffix);
    if (this.seen.has(value)) this.texts.set(value, text);
    else if (text.length >= sharedTextMinLength) this.seen.add(value);
    return text;
  }
}

/** A value as deep as the first level below the walked ones. */
const nested = (value: unknown): unknown => [[[value]]];

/** A value as JSON.stringify sees it: what its `toJSON(key)` returns, if it has one (a Date: its ISO text). */
function asJson(value: unknown, key: string): unknown {
  const toJSON = typeof value === 'object' && value !== null ? (value as { toJSON?: unknown }).toJSON : undefined;
  return typeof toJSON === 'function' ? (toJSON as (key: string) => unknown).call(value, key) : value;
}

/** Whether an object member is written at all (JSON.stringify leaves out undefined, functions and symbols). */
const isWritten = (member: unknown): boolean => member !== undefined && typeof member !== 'function' && typeof member !== 'symbol';

/** An array element as JSON.stringify writes it: what an object would leave out is null. */
const arrayElement = (element: unknown): unknown => (isWritten(element) ? element : null);

/** Groups small pieces into writes of about `size` characters. */
export function* batched(pieces: Iterable<string>, size = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    parts.push(piece);
    length += piece.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield parts.join('');
}

/** A JSON document and its final newline, in writes of about 1 MiB: what `--json` prints and `--out` saves. */
export function* jsonDocument(value: unknown, indent?: number): Generator<string> {
  yield* batched((function* () {
    yield* jsonChunks(value, indent);
    yield '\n';
  })());
}

/**
 * Writes the pieces to a stream, waiting for `drain` whenever its buffer is full: a slow reader (`| jq`, a pipe to
 * another host) holds the writer back instead of the whole document piling up in memory. A reader that goes away
 * (EPIPE: `| head`) ends the writing quietly.
 */
export async function writeDrained(stream: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  const reader = { gone: false };
  const onError = (): void => {
    reader.gone = true;
  };
  stream.on('error', onError);
  try {
    for (const piece of pieces) {
      if (reader.gone) return;
      if (!stream.write(piece)) await new Promise<void>((resolve) => {
        const done = (): void => {
          stream.off('drain', done);
          stream.off('error', done);
          resolve();
        };
        stream.on('drain', done);
        stream.on('error', done);
      });
    }
  } finally {
    stream.off('error', onError);
  }
}
