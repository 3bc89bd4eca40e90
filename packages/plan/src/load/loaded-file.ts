import { sourceDocumentFrom, type FactsDocument, type Problem, type SourceDocument } from '@tcpmem/schema';
import { keepPreparedFacts, prepareFactsBody, type FactsInterner, type PreparedFacts } from '../resolve/prepared-facts';
import { factsHeader, readOneFile, type FactsHeader, type PlainRead } from './read-plain';
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
  const { first, problems, bytes } = readOneFile(file, walked);
  if (first === undefined) return { source: undefined, problems, bytes };
  if (first.value.kind !== 'facts') return { source: first, problems, bytes };
  return { source: readAgainWhenUsed(file, factsHeader(first.value), prepareFactsBody(first.value.facts), interner), problems, bytes };
}

/**
 * A file read elsewhere (a read worker: `readPlain`) as a fleet keeps it: a document made again from its plain
 * positions; a facts file as one read here (`readAgainWhenUsed`).
 */
export function loadedFromPlain(read: PlainRead, interner: FactsInterner): LoadedFile {
  const { file, problems, source, bytes } = read;
  if (source === undefined) return { source: undefined, problems, bytes };
  if (source.kind === 'facts') return { source: readAgainWhenUsed(file, source.header, source.prepared, interner), problems, bytes };
  return { source: { file, document: sourceDocumentFrom(file, source.value, source.positions), value: source.value }, problems, bytes };
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
      throw new Error(`${file} changed while tcpmem was planning (it is read when loading, and again for a live plan or a build profile from its boot log); plan again`);
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
