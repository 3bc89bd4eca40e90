import { checkWrite, getSysctl, isSysctlName, parseKernelRelease, vectorLength } from '@tcpmem/kernel-model';
import { pointerSegments, type Change, type HostPlan } from '@tcpmem/schema';

/** One live write: a registry sysctl, its /proc/sys path and the integers to write. */
export interface LiveWrite {
  readonly sysctl: string;
  readonly path: string;
  readonly values: readonly number[];
  /** The live value the plan saw (null: absent). */
  readonly before: readonly number[] | null;
  readonly action: Change['action'];
}

/**
 * What applying one host's plan means, decided before anything is contacted: which live values to write,
 * what tcpmem's file must hold afterwards, which settings the host does not have. Pure; every name comes from
 * the sysctl registry and every value is a safe integer of the right count, or `planHostWork` refuses the host.
 */
export interface HostWork {
  readonly host: string;
  /** Live writes, in plan order (sorted by name). Deletes write the kernel default. */
  readonly writes: readonly LiveWrite[];
  /** What tcpmem's file holds after the apply, sorted by name; empty: the file is removed. */
  readonly fileEntries: readonly (readonly [string, readonly number[]])[];
  /** Whether the file's entries differ from what the plan observed (else the file is left alone). */
  readonly fileChanged: boolean;
  /** Whether the file existed with entries when planned (decides write-or-remove when it must change). */
  readonly fileExisted: boolean;
  /** Settings the host does not have: not written, not persisted. */
  readonly unavailable: readonly { readonly sysctl: string; readonly reason: string }[];
  /** Another sysctl file that would override tcpmem's at boot, per sysctl. */
  readonly shadowed: readonly { readonly sysctl: string; readonly by: string }[];
  readonly changes: readonly Change[];
  /** True when there is nothing to do on the host. */
  readonly empty: boolean;
}

/** A host plan that cannot be turned into safe work: a name outside the registry, a value that is no integer. */
export class UnsafePlanError extends Error {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(`${host}: ${message}`);
    this.name = 'UnsafePlanError';
  }
}

/** The /proc/sys file of a registry sysctl. */
export function procPathOf(sysctl: string): string {
  if (!isSysctlName(sysctl)) throw new Error(`not a registry sysctl: ${sysctl}`);
  return getSysctl(sysctl).procPath;
}

/** Largest magnitude tcpmem writes: the kernel reads at most 21 characters per number (and ULONG_MAX < 2^64). */
const MAX_ABS = Number.MAX_SAFE_INTEGER;

function checkValues(host: string, sysctl: string, values: readonly number[] | null | undefined, what: string): readonly number[] | null {
  if (values === null || values === undefined) return null;
  if (!isSysctlName(sysctl)) throw new UnsafePlanError(host, `"${sysctl}" is not a sysctl tcpmem manages`);
  const length = vectorLength(getSysctl(sysctl));
  if (values.length !== length) throw new UnsafePlanError(host, `${sysctl}: ${what} has ${values.length} values, the kernel has ${length}`);
  for (const v of values) {
    if (!Number.isSafeInteger(v) || Math.abs(v) > MAX_ABS) throw new UnsafePlanError(host, `${sysctl}: ${what} ${String(v)} is not an integer tcpmem can write`);
  }
  return values;
}

const same = (a: readonly number[] | null, b: readonly number[] | null): boolean =>
  a === null || b === null ? a === b : a.length === b.length && a.every((v, i) => v === b[i]);

/** Parses "v v v" as the plan's `observed` holds it. */
export function parseValueText(text: string | undefined): number[] | null {
  if (text === undefined) return null;
  const values = text.trim().split(/\s+/).map(Number);
  return values.length > 0 && values.every(Number.isSafeInteger) ? values : null;
}

/**
 * Turns one host's plan into work. A change whose `before` is null on a host read live is a sysctl the host
 * does not have (a whole-host setting such as tcp_mem inside a network namespace): it is reported, not
 * applied. Throws UnsafePlanError when a name or value could not be written safely.
 */
export function planHostWork(host: HostPlan): HostWork {
  const writes: LiveWrite[] = [];
  const entries: [string, readonly number[]][] = [];
  const unavailable: { sysctl: string; reason: string }[] = [];
  const shadowed: { sysctl: string; by: string }[] = [];
  const live = host.source === 'live';
  for (const change of host.changes) {
    const name = change.sysctl;
    if (!isSysctlName(name) || !getSysctl(name).managed || !getSysctl(name).writable) throw new UnsafePlanError(host.name, `"${name}" is not a sysctl tcpmem manages`);
    const before = checkValues(host.name, name, change.before, 'before');
    const after = checkValues(host.name, name, change.after, 'after');
    checkValues(host.name, name, change.persistedBefore, 'persistedBefore');
    const missing = live && before === null && host.observed !== undefined && host.observed.sysctls[name] === undefined;
    if (missing && change.action !== 'delete') {
      unavailable.push({ sysctl: name, reason: unavailableReason(name, after, host.observed?.release ?? host.kernel?.release) });
      continue;
    }
    if (change.shadowedBy !== undefined && change.action !== 'delete') shadowed.push({ sysctl: name, by: change.shadowedBy });
    if (change.action === 'delete') {
      if (after !== null && !missing && !same(before, after)) writes.push({ sysctl: name, path: procPathOf(name), values: after, before, action: change.action });
      continue;
    }
    if (after === null) throw new UnsafePlanError(host.name, `${name}: ${change.action === 'update' ? 'an' : 'a'} ${change.action} without a value`);
    entries.push([name, after]);
    if (change.action !== 'no-op' && !same(before, after)) writes.push({ sysctl: name, path: procPathOf(name), values: after, before, action: change.action });
  }
  // the planner leaves out a desired sysctl the host does not have, with a warning that says so
  for (const p of host.problems) {
    if (p.code !== 'TCPMEM_SYSCTL_NOT_ON_HOST' || p.path === undefined) continue;
    const name = pointerSegments(p.path).pop() ?? '';
    if (isSysctlName(name) && !unavailable.some((u) => u.sysctl === name)) unavailable.push({ sysctl: name, reason: `${p.message}${p.hint === undefined ? '' : ` (${p.hint})`}` });
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const observedFile = new Map(Object.entries(host.observed?.persisted ?? {}).map(([k, v]) => [k, parseValueText(v)]));
  const fileChanged = entries.length !== observedFile.size || entries.some(([name, values]) => !same(observedFile.get(name) ?? null, values));
  return {
    host: host.name,
    writes,
    fileEntries: entries,
    fileChanged,
    fileExisted: observedFile.size > 0,
    unavailable,
    shadowed,
    changes: host.changes,
    empty: writes.length === 0 && !fileChanged,
  };
}

function unavailableReason(sysctl: string, values: readonly number[] | null, release: string | undefined): string {
  const version = release === undefined ? undefined : parseKernelRelease(release);
  if (isSysctlName(sysctl) && version !== undefined) {
    // kernel-model knows which sysctls a child network namespace lacks (the whole-host ones)
    const check = checkWrite(sysctl, values ?? [0], version, { namespace: 'child' });
    if (!check.accepted && check.cause === 'absent') {
      return `the host does not have ${sysctl}: ${check.reason}; this host looks like a network namespace or container, so set it on the machine that runs it`;
    }
  }
  return `the host does not have ${sysctl} (no /proc/sys entry)`;
}

/**
 * The text of tcpmem's file: a header, then one `name = v v v` line per managed sysctl. A function of the host's
 * name, its entries and tcpmem's version only — no plan digest, no clock — so that `tcpmem render` prints, byte
 * for byte, the file `tcpmem apply` writes for the same settings (and an image built twice holds the same file).
 * When and from which plan a host was applied is the apply report's to say; the file's mtime is the write's time.
 */
export function fileText(entries: HostWork['fileEntries'], header: FileHeader): string {
  const lines = [
    '# Managed by tcpmem: do not edit. `tcpmem apply` rewrites this file, and drops a setting once it leaves the config.',
    `# host ${header.host}, tcpmem ${header.tcpmemVersion}`,
    ...entries.map(([name, values]) => `${name} = ${values.join(' ')}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** What the header of tcpmem's file names: the host (as the config names it) and the tcpmem that wrote it. */
export interface FileHeader {
  readonly host: string;
  readonly tcpmemVersion: string;
}

/** The file a host's work persists (what apply writes when `fileChanged` and the entries are not empty). */
export function hostFileText(work: HostWork, tcpmemVersion: string): string {
  return fileText(work.fileEntries, { host: work.host, tcpmemVersion });
}
