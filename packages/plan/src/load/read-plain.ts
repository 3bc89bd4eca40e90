import type { FactsDocument, Problem, SourcePositions, TcpmemDocument } from '@tcpmem/schema';
import { prepareFactsBody, type PreparedFacts } from '../resolve/prepared-facts';
import { readFiles, type LoadedSource } from './read-sources';

/** A facts document's header: what a loaded fleet keeps of it besides its prepared body. */
export type FactsHeader = Omit<FactsDocument, 'facts'>;

/**
 * One file read through the schema gate (`readFiles`), as plain data that crosses threads (structured clone):
 * what a read worker hands back. A `SourceDocument`'s `locate` is a closure, so no document is in it: the thread
 * that takes it makes it again from its plain `positions` (`loadedFromPlain`).
 */
export interface PlainRead {
  readonly file: string;
  /** The file's problems, located (line and column) where it was parsed. */
  readonly problems: Problem[];
  /** What passed the gate, if anything did. */
  readonly source?: PlainSource;
  /** The file's bytes when something passed the gate (the config digest is made from them). */
  readonly bytes?: Uint8Array;
}

export type PlainSource =
  /** A facts file: its header and its body prepared (`prepareFactsBody`); the texts are left behind. */
  | { readonly kind: 'facts'; readonly header: FactsHeader; readonly prepared: PreparedFacts }
  /** Any other document, whole, with where its values are (`SourceDocument.positions`: `sourceDocumentFrom`). */
  | { readonly kind: 'document'; readonly value: TcpmemDocument; readonly positions: SourcePositions };

/** Reads one file as `readFiles` does (`walked` as there) and gives it as plain data, a facts file prepared. */
export function readPlain(file: string, walked: boolean): PlainRead {
  const { first, problems, bytes } = readOneFile(file, walked);
  if (first === undefined || bytes === undefined) return { file, problems };
  if (first.value.kind === 'facts') return { file, problems, bytes, source: { kind: 'facts', header: factsHeader(first.value), prepared: prepareFactsBody(first.value.facts) } };
  // A document without positions locates from its text, parsed again when a problem needs a place.
  const positions = first.document.positions ?? textOf(bytes);
  return { file, problems, bytes, source: { kind: 'document', value: first.value, positions } };
}

/** The header of a facts document, its fields in a fixed order. */
export function factsHeader(document: FactsDocument): FactsHeader {
  const { kind, version, host, capturedAt } = document;
  return { kind, ...(version === undefined ? {} : { version }), host, capturedAt };
}

/** The text `readFiles` parsed from these bytes (UTF-8, without a byte order mark). */
function textOf(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Reads one file through `readFiles` (`walked` as there): what passed the gate, its problems and the bytes read. */
export function readOneFile(file: string, walked: boolean): { readonly first: LoadedSource | undefined; readonly problems: Problem[]; readonly bytes: Uint8Array | undefined } {
  let bytes: Uint8Array | undefined;
  const { sources, problems } = readFiles([file], {
    walked,
    onBytes: (_file, read) => {
      bytes = read;
    },
  });
  return { first: sources[0], problems, bytes };
}
