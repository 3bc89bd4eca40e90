import type { FactsDocument, Problem, SourceDocument, TcpmemDocument } from '@tcpmem/schema';
import { keepPreparedFacts, prepareFactsBody, type FactsInterner, type PreparedFacts } from '../resolve/prepared-facts';
import { factsHeader, sha256, type FactsHeader, type PlainRead } from './read-plain';
import { readFiles, type LoadedSource } from './read-sources';

/** One file a fleet load read: what passed the schema gate (a facts file as the fleet keeps it), its problems, its bytes. */
export interface LoadedFile {
  readonly source: LoadedSource | undefined;
  readonly problems: Problem[];
  /** The bytes read, when something passed the gate (for the config digest). */
  readonly bytes: Uint8Array | undefined;
}

/** Reads one file on this thread, as a fleet keeps it (`walked` as for `readFiles`). */
export function readLoaded(file: string, walked: boolean, interner: FactsInterner): LoadedFile {
  let bytes: Uint8Array | undefined;
  const { sources, problems } = readFiles([file], {
    walked,
    onBytes: (_file, read) => {
      bytes = read;
    },
  });
  const first = sources[0];
  if (first === undefined) return { source: undefined, problems, bytes };
  if (first.value.kind !== 'facts') return { source: first, problems, bytes };
  return { source: readAgainWhenUsed(file, factsHeader(first.value), prepareFactsBody(first.value.facts), interner), problems, bytes };
}

/**
 * A file read elsewhere (a read worker: `readPlain`) as a fleet keeps it. Its document reads the file again when
 * asked where something is (`locate`); a file changed in between is an error asking to plan again.
 */
export function loadedFromPlain(read: PlainRead, interner: FactsInterner): LoadedFile {
  const { file, problems, source, bytes } = read;
  if (source === undefined) return { source: undefined, problems, bytes };
  if (source.kind === 'facts') return { source: readAgainWhenUsed(file, source.header, source.prepared, interner), problems, bytes };
  return { source: { file, document: documentReadAgain(file, source.value, source.sha256), value: source.value }, problems, bytes };
}

/** The thrown error when a file is not the one loaded. */
function changedError(file: string, when: string): Error {
  return new Error(`${file} changed while tcpmem was planning (it is read when loading, and again ${when}); plan again`);
}

/**
 * A document whose value was read elsewhere: `locate` reads and parses the file once more on first use (a file
 * with other bytes than `sha256` is an error asking to plan again) and keeps that parse.
 */
function documentReadAgain(file: string, value: TcpmemDocument, digest: string): SourceDocument {
  let again: SourceDocument | undefined;
  return {
    file,
    value,
    locate: (pointer, options) => {
      if (again === undefined) {
        let bytes: Uint8Array | undefined;
        const [source] = readFiles([file], {
          onBytes: (_file, read) => {
            bytes = read;
          },
        }).sources;
        if (source === undefined || bytes === undefined || sha256(bytes) !== digest) throw changedError(file, 'to locate a problem in it');
        again = source.document;
      }
      return again.locate(pointer, options);
    },
  };
}

/**
 * A facts file as the fleet keeps it: what matching it to its host needs (`host`, `capturedAt`), and its body
 * prepared from the one read (`prepareFactsBody`: the facts without their texts, the texts parsed), which is all an
 * offline plan reads of it. A discovered host's facts are tens of kilobytes of text, no two alike: a fleet of
 * 100,000 keeps none of them. Whoever needs the whole body (a live plan merging it with what it read, calibration
 * from a boot log: one host per release) gets it as `facts`, read again through the same schema gate; a file
 * changed between the two reads is an error asking to plan again. The document locates problems the same way.
 */
function readAgainWhenUsed(file: string, first: FactsHeader, body: PreparedFacts, interner: FactsInterner): LoadedSource {
  // The closures below see only these: none of them may hold the texts this is meant to drop.
  const { host, capturedAt } = first;
  const again = (): LoadedSource & { value: FactsDocument } => {
    const [source] = readFiles([file]).sources;
    if (source?.value.kind !== 'facts' || source.value.host !== host || source.value.capturedAt !== capturedAt) {
      throw changedError(file, 'for a live plan or a build profile from its boot log');
    }
    return source as LoadedSource & { value: FactsDocument };
  };
  const header = { kind: first.kind, ...(first.version === undefined ? {} : { version: first.version }), host, capturedAt };
  const value: FactsDocument = Object.defineProperty(header, 'facts', { enumerable: true, get: () => again().value.facts }) as FactsDocument;
  keepPreparedFacts(value, body, interner);
  const document: SourceDocument = {
    file,
    get value() {
      return again().value;
    },
    locate: (pointer, options) => again().document.locate(pointer, options),
  };
  return { file, document, value };
}
