import { toPointer, type FactsDocument, type Group, type Host, type Preset, type Settings } from '@tcpmem/schema';

/** Where a value came from: a file and the JSON pointer inside it. Line and column are found only when needed. */
export interface Origin {
  readonly file: string;
  readonly pointer: string;
}

/** A named thing defined in a config file. */
export interface Defined<T> {
  readonly name: string;
  readonly value: T;
  readonly origin: Origin;
}

/**
 * A whole fleet as loaded from its files, before any host is resolved: plain data, in a deterministic order
 * (hosts, groups and presets sorted by name). The pure planner works from this; it never reads a file.
 */
export interface FleetModel {
  readonly name: string | undefined;
  readonly files: readonly string[];
  readonly defaults: Defined<Settings> | undefined;
  readonly presets: ReadonlyMap<string, Defined<Preset>>;
  readonly groups: ReadonlyMap<string, Defined<Group>>;
  readonly hosts: readonly Defined<Host>[];
  /** Facts documents (from `tcpmem discover`) by host name. */
  readonly facts: ReadonlyMap<string, Defined<FactsDocument>>;
}

/** Appends a segment to a JSON pointer. */
export function childPointer(pointer: string, ...segments: readonly (string | number)[]): string {
  return pointer + toPointer(segments);
}
