/**
 * The text of `JSON.stringify(value, null, indent)`, in pieces: the top two levels of objects and arrays are
 * walked, everything below them is stringified whole. A plan of 100,000 hosts is hundreds of MiB of JSON, more
 * than one string can hold (V8 caps a string at 2^29 − 24 characters); written piece by piece it never is one.
 * Values are plain JSON data (no toJSON, no cycles), as every document tcpmem prints is.
 */
export function* jsonChunks(value: unknown, indent?: number, depth = 0): Generator<string> {
  const step = indent ?? 0;
  if (depth >= 2 || typeof value !== 'object' || value === null) {
    const text = JSON.stringify(value, null, indent) as string | undefined;
    // Nested below the walked levels, every line after the first is indented by the depth (strings escape \n).
    yield text === undefined ? 'null' : step > 0 && depth > 0 ? text.replace(/\n/g, `\n${' '.repeat(step * depth)}`) : text;
    return;
  }
  const inner = step > 0 ? `\n${' '.repeat(step * (depth + 1))}` : '';
  const outer = step > 0 ? `\n${' '.repeat(step * depth)}` : '';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (const [i, element] of value.entries()) {
      yield `${i === 0 ? '' : ','}${inner}`;
      yield* jsonChunks(typeof element === 'function' || typeof element === 'symbol' ? null : element, indent, depth + 1);
    }
    yield `${outer}]`;
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (const [i, [key, v]] of entries.entries()) {
    yield `${i === 0 ? '' : ','}${inner}${JSON.stringify(key)}${step > 0 ? ': ' : ':'}`;
    yield* jsonChunks(v, indent, depth + 1);
  }
  yield `${outer}}`;
}

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
