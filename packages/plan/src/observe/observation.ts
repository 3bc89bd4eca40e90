import { createHash } from 'node:crypto';
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
 * fingerprint no longer matches. Without overriding files the digest is the one earlier versions made, so their
 * saved plans stay valid.
 */
export function fingerprint(sysctls: ReadonlyMap<string, readonly number[]>, persisted: PersistedState | undefined): string {
  const overriding = persisted === undefined ? [] : [...persisted.overriding.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, e]) => [name, e.file, e.values]);
  const canonical = JSON.stringify({
    sysctls: [...sysctls.entries()].sort(([a], [b]) => a.localeCompare(b)),
    own: persisted === undefined ? null : [...persisted.own.entries()].sort(([a], [b]) => a.localeCompare(b)),
    ...(overriding.length === 0 ? {} : { overriding }),
  });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** Canonical text of a value, as sysctl.d files hold it: integers separated by one space. */
export const valueText = (values: readonly number[]): string => values.join(' ');

/** Canonical equality: same integers in the same order. */
export function sameValues(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
