import { createHash } from 'node:crypto';
import type { FactsDocument, Problem, TcpmemDocument } from '@tcpmem/schema';
import { prepareFactsBody, type PreparedFacts } from '../resolve/prepared-facts';
import { readFiles } from './read-sources';

/** A facts document's header: what a loaded fleet keeps of it besides its prepared body. */
export type FactsHeader = Omit<FactsDocument, 'facts'>;

/**
 * One file read through the schema gate (`readFiles`), as plain data that crosses threads (structured clone):
 * what a read worker hands back. A `SourceDocument`'s `locate` is a closure, so no document is in it: the thread
 * that takes it makes one that reads the file again when first asked (`loadedFromPlain`).
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
  /** Any other document, whole, and the sha256 of its bytes (a second read for `locate` must find the same). */
  | { readonly kind: 'document'; readonly value: TcpmemDocument; readonly sha256: string };

/** Reads one file as `readFiles` does (`walked` as there) and gives it as plain data, a facts file prepared. */
export function readPlain(file: string, walked: boolean): PlainRead {
  let bytes: Uint8Array | undefined;
  const { sources, problems } = readFiles([file], {
    walked,
    onBytes: (_file, read) => {
      bytes = read;
    },
  });
  const first = sources[0];
  if (first === undefined || bytes === undefined) return { file, problems };
  if (first.value.kind === 'facts') return { file, problems, bytes, source: { kind: 'facts', header: factsHeader(first.value), prepared: prepareFactsBody(first.value.facts) } };
  return { file, problems, bytes, source: { kind: 'document', value: first.value, sha256: sha256(bytes) } };
}

/** The header of a facts document, its fields in a fixed order. */
export function factsHeader(document: FactsDocument): FactsHeader {
  const { kind, version, host, capturedAt } = document;
  return { kind, ...(version === undefined ? {} : { version }), host, capturedAt };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
