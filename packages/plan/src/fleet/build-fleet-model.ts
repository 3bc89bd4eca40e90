import type { FactsDocument, Fleet, Group, Host, Preset, Settings } from '@tcpmem/schema';
import { childPointer, type Defined, type FleetModel } from './fleet-model';

/** Natural order of names (web-2 before web-10), the same on every machine. */
const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/** Compares two names in natural order (web-2 before web-10): the order of hosts, groups and presets everywhere. */
export const compareNames = (a: string, b: string): number => naturalOrder.compare(a, b);

/** The parts of a fleet, in any order. */
export interface FleetParts {
  readonly name?: string | undefined;
  readonly files: readonly string[];
  readonly defaults?: Defined<Settings> | undefined;
  readonly presets?: Iterable<Defined<Preset>>;
  readonly groups?: Iterable<Defined<Group>>;
  readonly hosts: Iterable<Defined<Host>>;
  readonly facts?: ReadonlyMap<string, Defined<FactsDocument>>;
}

/**
 * The one way a FleetModel is made — from files (loadFleet), from a fleet object or from one host's inputs (the
 * Pulumi provider): hosts, groups and presets sorted by name in natural order, so every caller plans and lists
 * them alike. The facts map is kept as given (the loader adds named facts files to it afterwards).
 */
export function buildFleetModel(parts: FleetParts): FleetModel {
  const byName = <T>(entries: Iterable<Defined<T>>): Defined<T>[] => [...entries].sort((a, b) => compareNames(a.name, b.name));
  return {
    name: parts.name,
    files: parts.files,
    defaults: parts.defaults,
    presets: new Map(byName(parts.presets ?? []).map((d) => [d.name, d])),
    groups: new Map(byName(parts.groups ?? []).map((d) => [d.name, d])),
    hosts: byName(parts.hosts),
    facts: parts.facts ?? new Map(),
  };
}

/**
 * The named entries of a fleet document's `key` (`hosts`, `groups`, `presets`), each with its origin in `file`;
 * entries whose value is missing are left out.
 */
export function definedEntries<T>(file: string, key: string, entries: Record<string, T | undefined> | undefined): Defined<T>[] {
  return Object.entries(entries ?? {})
    .filter((entry): entry is [string, T] => entry[1] !== undefined)
    .map(([name, value]) => ({ name, value, origin: { file, pointer: childPointer('', key, name) } }));
}

/** The FleetModel of one fleet document (what loadFleet assembles from files), as if read from `file`. */
export function fleetOfDocument(doc: Fleet, file: string): FleetModel {
  return buildFleetModel({
    name: doc.name,
    files: [file],
    defaults: doc.defaults === undefined ? undefined : { name: 'defaults', value: doc.defaults, origin: { file, pointer: '/defaults' } },
    presets: definedEntries<Preset>(file, 'presets', doc.presets),
    groups: definedEntries<Group>(file, 'groups', doc.groups),
    hosts: definedEntries<Host>(file, 'hosts', doc.hosts),
  });
}
