import * as crypto from 'node:crypto';
import type { HostFacts } from '@tcpmem/schema';

/** tcpmem's own file in /etc/sysctl.d; `99-` and `t` sort it after Debian's 99-sysctl.conf, so it wins at boot. */
export const persistedFile = '/etc/sysctl.d/99-tcpmem.conf';

/** A value a sysctl file sets, and that file. */
export interface PersistedEntry {
  readonly values: readonly number[];
  readonly file: string;
}

/** What a host's sysctl files say. */
export interface PersistedState {
  readonly file: string;
  /** The entries of tcpmem's own file (absent file: empty). */
  readonly own: ReadonlyMap<string, readonly number[]>;
  /**
   * For each sysctl, the last assignment in a file that systemd-sysctl applies after tcpmem's own (so it would
   * override tcpmem's value at boot), if any.
   */
  readonly overriding: ReadonlyMap<string, PersistedEntry>;
  /**
   * For each sysctl tcpmem's own file sets, the last assignment in any other file (before or after tcpmem's), if
   * any: what the host's own files give it at boot without tcpmem's, and so what stopping managing it restores.
   */
  readonly beneath: ReadonlyMap<string, PersistedEntry>;
}

/** What tcpmem saw on a host: live values (and files) over SSH, or values from facts or the model. */
export interface Observation {
  readonly source: 'live' | 'facts' | 'model';
  readonly release: string | undefined;
  /** Live values of the sysctls the host has; a sysctl missing here does not exist on the host. */
  readonly sysctls: ReadonlyMap<string, readonly number[]>;
  /** Present when the host was read live. */
  readonly persisted: PersistedState | undefined;
  /** Hardware facts read with the values, for exact kernel defaults. */
  readonly facts: HostFacts | undefined;
  /**
   * Offline from facts: the sysctls the host was found not to have (`missingSysctls`, as discovered). Live, a
   * sysctl missing from `sysctls` is one the host does not have; from facts, `sysctls` holds kernel defaults
   * where the facts say nothing, so only this list says what the host lacks.
   */
  readonly absent?: ReadonlySet<string>;
}

/** A host that could not be read. */
export interface Unreachable {
  readonly unreachable: true;
  readonly reason: string;
  /** The SSH transport's code (`HOST_KEY_CHANGED`, `CONNECT_REFUSED`, …) when it was the transport that failed. */
  readonly code?: string;
}

export type HostObservation = Observation | Unreachable;

export const isUnreachable = (o: HostObservation | undefined): o is Unreachable => o !== undefined && 'unreachable' in o;

/**
 * A digest of what matters for a plan's validity: the live values, tcpmem's own file, and every assignment of a
 * managed sysctl in a sysctl.d file that systemd-sysctl applies after tcpmem's (which would override it at boot:
 * a file added after the plan makes it stale). `apply` reads the host again and refuses a saved plan whose
 * fingerprint no longer matches. Also every assignment another file makes of a sysctl tcpmem's own file sets (the value
 * a plan restores when it stops managing one: a change there makes such a plan stale). Without such files the digest
 * is the one earlier versions made, so their saved plans stay valid.
 *
 * What is hashed is, byte for byte, `JSON.stringify({ sysctls, own, overriding?, beneath? })` of the entries sorted by name
 * with `localeCompare` (`own` null without persisted state, `overriding` and `beneath` only when there are some), as since the
 * first version; it is written here without the intermediate arrays, and each list of names is sorted once.
 */
export function fingerprint(sysctls: ReadonlyMap<string, readonly number[]>, persisted: PersistedState | undefined): string {
  const overriding = persisted === undefined ? [] : [...persisted.overriding.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, e]) => [name, e.file, e.values]);
  // What another file sets beneath tcpmem's own entries: the value a plan restores when it stops managing one.
  const beneath = persisted === undefined ? [] : [...persisted.beneath.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, e]) => [name, e.file, e.values]);
  const own = persisted === undefined ? 'null' : entriesJson(persisted.own);
  const canonical = `{"sysctls":${entriesJson(sysctls)},"own":${own}${overriding.length === 0 ? '' : `,"overriding":${JSON.stringify(overriding)}`}${beneath.length === 0 ? '' : `,"beneath":${JSON.stringify(beneath)}`}}`;
  return `sha256:${sha256Hex(canonical)}`;
}

/**
 * The hex SHA-256 of a text's UTF-8: node's one-shot `crypto.hash` (20.12 and later; a Hash object per host cost
 * about as much as the rest of the fingerprint), else `createHash` as on older releases of node 20.
 */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** `JSON.stringify` of a map's entries sorted by name with `localeCompare`: `[["name",[1,2]],…]`. */
function entriesJson(values: ReadonlyMap<string, readonly number[]>): string {
  let json = '';
  for (const [name, nameJson] of sortedNames(values)) json += `${json === '' ? '[' : ','}[${nameJson},${numbersJson(values.get(name) ?? [])}]`;
  return json === '' ? '[]' : `${json}]`;
}

/**
 * `JSON.stringify` of a list of numbers (a number's JSON is its `String`, but `null` when it is not finite). Lists
 * are shared between hosts (a kernel's defaults, discovered texts read once), so their JSON is kept with them.
 */
function numbersJson(values: readonly number[]): string {
  let json = numbersJsonSeen.get(values);
  if (json === undefined) {
    json = values.every(Number.isFinite) ? `[${values.join(',')}]` : JSON.stringify(values);
    numbersJsonSeen.set(values, json);
  }
  return json;
}
const numbersJsonSeen = new WeakMap<readonly number[], string>();

/** Names sorted with `localeCompare`, each with its JSON. */
type SortedNames = readonly (readonly [name: string, json: string])[];

/**
 * Lists of names sorted before, by length, the latest first: the hosts of one kernel observe the same sysctls, so
 * a fingerprint finds its order here (every name of the list in the map, and as many) instead of sorting again.
 */
const sortedNamesSeen = new Map<number, SortedNames[]>();
/** How many lists of one length are kept, and how many lengths. */
const sortedNamesKept = 8;
const lengthsKept = 64;

function sortedNames(values: ReadonlyMap<string, unknown>): SortedNames {
  const seen = sortedNamesSeen.get(values.size) ?? [];
  const known = seen.find((names) => names.every(([name]) => values.has(name)));
  if (known !== undefined) return known;
  const names = [...values.keys()].sort((a, b) => a.localeCompare(b));
  const sorted = names.map((name) => [name, JSON.stringify(name)] as const);
  // Names that compare equal keep their map order (a stable sort), which another map may not share: not kept.
  if (names.every((name, i) => i === 0 || (names[i - 1] ?? '').localeCompare(name) !== 0)) {
    if (sortedNamesSeen.size >= lengthsKept && !sortedNamesSeen.has(values.size)) sortedNamesSeen.clear();
    sortedNamesSeen.set(values.size, [sorted, ...seen.slice(0, sortedNamesKept - 1)]);
  }
  return sorted;
}

/** Canonical text of a value, as sysctl.d files hold it: integers separated by one space. */
export const valueText = (values: readonly number[]): string => values.join(' ');

/** Canonical equality: same integers in the same order. */
export function sameValues(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
