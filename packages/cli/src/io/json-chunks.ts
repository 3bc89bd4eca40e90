/**
 * The text of `JSON.stringify(value, null, indent)`, in pieces: the top two levels of objects and arrays are
 * walked, one piece per member; each member of the second level (a host of a plan) is one piece. A plan of
 * 100,000 hosts is hundreds of MiB of JSON, more than one string can hold (V8 caps a string at 2^29 − 24
 * characters); written piece by piece it never is one. Values are JSON data without cycles (a `toJSON` method is
 * called as JSON.stringify calls it) that do not change while the pieces are taken, as every document tcpmem
 * prints is.
 */
export function* jsonChunks(value: unknown, indent?: number): Generator<string> {
  for (const piece of new JsonText(indent, false).chunks(value, 0)) yield piece as string;
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

/**
 * A piece of a document's text: a string, or, when the text is written as bytes (`jsonBytes`), the UTF-8 of a long
 * value's text met again, encoded once and copied each time after (a plan's hosts share their kernel record,
 * observation and changes: 21.6 of the 25 MB of the synthetic 10,000-host plan).
 */
type Piece = string | Buffer;

/** The text of one document: the walk of its top levels, and the text of each value below them. */
class JsonText {
  /** The indentation of one level, as `JSON.stringify` takes a number: at most 10 spaces. */
  private readonly gap: string;
  /** What comes before and after a value at the first unwalked level when it is stringified nested that deep. */
  private readonly nestedPrefix: number;
  private readonly nestedSuffix: number;
  /** Values below the walked levels met once with a long text, and the texts of those met again. */
  private readonly seen = new WeakSet<object>();
  private readonly texts = new WeakMap<object, Piece>();
  private readonly keyTexts = new Map<string, string>();

  /** `encode`: remembered texts are kept as their UTF-8 bytes, and a host's text comes as strings and those bytes. */
  constructor(
    indent: number | undefined,
    private readonly encode: boolean,
  ) {
    this.gap = indent === undefined ? '' : ' '.repeat(Math.min(10, Math.max(0, Math.trunc(indent))));
    // JSON.stringify([[[v]]], null, gap) is v indented as three levels deep, between these (no pass over its text).
    const nest = nested(null);
    const text = this.gap === '' ? '' : JSON.stringify(nest, null, this.gap);
    this.nestedPrefix = this.gap === '' ? 0 : text.indexOf('null');
    this.nestedSuffix = this.gap === '' ? 0 : text.length - this.nestedPrefix - 'null'.length;
  }

  /**
   * The pieces of a value at `depth`: a walked container member by member, anything else as one piece (when
   * encoding, as the strings and bytes of one text).
   */
  *chunks(value: unknown, depth: number): Generator<Piece> {
    if (depth === 0) value = asJson(value, '');
    if (depth >= walkedLevels - 1 || typeof value !== 'object' || value === null) {
      const text = new TextRun();
      this.text(value, depth, text);
      yield* text.end();
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

  /** Adds the text of a value at `depth` to `out`: the last walked level member by member, deeper values whole. */
  private text(value: unknown, depth: number, out: TextRun): void {
    if (typeof value !== 'object' || value === null) {
      out.add(isWritten(value) ? JSON.stringify(value) : 'null');
      return;
    }
    if (depth >= walkedLevels) {
      out.add(this.whole(value));
      return;
    }
    const inner = this.gap === '' ? '' : `\n${this.gap.repeat(depth + 1)}`;
    const outer = this.gap === '' ? '' : `\n${this.gap.repeat(depth)}`;
    let empty = true;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        out.add(`${empty ? '[' : ','}${inner}`);
        empty = false;
        this.text(arrayElement(asJson(value[i], String(i))), depth + 1, out);
      }
      out.add(empty ? '[]' : `${outer}]`);
      return;
    }
    for (const key of Object.keys(value)) {
      const member = asJson((value as Record<string, unknown>)[key], key);
      if (!isWritten(member)) continue;
      out.add(`${empty ? '{' : ','}${inner}${this.keyText(key)}`);
      empty = false;
      this.text(member, depth + 1, out);
    }
    out.add(empty ? '{}' : `${outer}}`);
  }

  /**
   * A member's name as written, with its colon: a plan's hosts repeat the same dozen names (made once each). The
   * names of one document's walked levels are few (a host's members), and the table ends with the document.
   */
  private keyText(key: string): string {
    let text = this.keyTexts.get(key);
    if (text === undefined) this.keyTexts.set(key, (text = `${JSON.stringify(key)}${this.gap === '' ? ':' : ': '}`));
    return text;
  }

  /** The text of an object or array below the walked levels, remembered when it is long and met again. */
  private whole(value: object): Piece {
    const known = this.texts.get(value);
    if (known !== undefined) return known;
    const text = this.gap === '' ? JSON.stringify(value) : JSON.stringify(nested(value), null, this.gap).slice(this.nestedPrefix, -this.nestedSuffix);
    if (this.seen.has(value)) this.texts.set(value, this.encode ? Buffer.from(text, 'utf8') : text);
    else if (text.length >= sharedTextMinLength) this.seen.add(value);
    return text;
  }
}

/** One text made of strings (joined as they come) and encoded pieces. */
class TextRun {
  private readonly pieces: Piece[] = [];
  private run = '';

  add(piece: Piece): void {
    if (typeof piece === 'string') {
      this.run += piece;
      return;
    }
    if (this.run !== '') this.pieces.push(this.run);
    this.run = '';
    this.pieces.push(piece);
  }

  /** The pieces: one string when nothing was encoded. */
  end(): Piece[] {
    if (this.run !== '' || this.pieces.length === 0) this.pieces.push(this.run);
    return this.pieces;
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

/** A JSON document and its final newline, in writes of about 1 MiB: what `--out` saves. */
export function* jsonDocument(value: unknown, indent?: number): Generator<string> {
  yield* batched((function* () {
    yield* jsonChunks(value, indent);
    yield '\n';
  })());
}

/**
 * The UTF-8 bytes of `jsonDocument(value, indent)`, in writes of about `size` bytes: what `--json` prints. The
 * long texts hosts share are encoded once and copied after (see `Piece`), and the rest is encoded straight into
 * each write: no string of the whole write is made, and nothing is encoded twice.
 */
export function* jsonBytes(value: unknown, indent?: number, size = 1 << 20): Generator<Buffer> {
  // Room for a piece of up to a quarter of `size` after a write that is nearly full (a string takes at most 3 bytes
  // a UTF-16 unit); a longer piece goes alone.
  const capacity = size + (size >> 2);
  let write = Buffer.allocUnsafe(capacity);
  let at = 0;
  const pieces = (function* (): Generator<Piece> {
    yield* new JsonText(indent, true).chunks(value, 0);
    yield '\n';
  })();
  for (const piece of pieces) {
    const most = typeof piece === 'string' ? piece.length * 3 : piece.length;
    if (at + most > capacity && at > 0) {
      yield write.subarray(0, at);
      write = Buffer.allocUnsafe(capacity);
      at = 0;
    }
    if (most > capacity) {
      yield typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      continue;
    }
    at += typeof piece === 'string' ? write.write(piece, at, 'utf8') : piece.copy(write, at);
    if (at >= size) {
      yield write.subarray(0, at);
      write = Buffer.allocUnsafe(capacity);
      at = 0;
    }
  }
  if (at > 0) yield write.subarray(0, at);
}

/**
 * Writes the pieces to a stream, waiting for `drain` whenever its buffer is full: a slow reader (`| jq`, a pipe to
 * another host) holds the writer back instead of the whole document piling up in memory. A reader that goes away
 * (EPIPE: `| head`) ends the writing quietly.
 */
export async function writeDrained(stream: NodeJS.WritableStream, pieces: Iterable<string | Uint8Array>): Promise<void> {
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
