import { checkWriteAtSomeSublevel, getSysctl, isSysctlName, parseKernelRelease, tripleStepsDown, vectorLength, type KernelVersion } from '@tcpmem/kernel-model';
import { printable, problem, type Change, type HostPlan, type Plan, type Problem } from '@tcpmem/schema';
import { fingerprint, sameValues, type PersistedEntry, type PersistedState } from '../observe/observation';
import { summarize } from '../plan-fleet';

/** What to do about every problem `checkSavedPlan` finds. */
export const savedPlanHint = 'Plan again (`tcpmem plan CONFIG --out FILE`) and apply that plan; a saved plan is not edited by hand.';

/**
 * The semantic gate of a saved plan (after the schema's): whether it holds only what `tcpmem plan` writes, so
 * that `apply` may carry it out without planning again. Every value a host is to get (each change's `after`) is
 * checked as the planner checks a desired value, on the kernel the plan names for the host (`kernel.release`):
 * a sysctl tcpmem manages and this kernel series has, a write the kernel accepts (kernel-model `checkWrite`, for
 * some stable sublevel of the release when the release string hides it), a triple in order. And what apply
 * trusts besides the values must agree with itself: the observation with its fingerprint (which is what the
 * hosts are compared with before anything is written), each change's `before` and `persistedBefore` with the
 * observation, a `no-op` with its values, a `delete` with the kernel default it restores, the summary with the
 * hosts, one entry per host and per sysctl. Each problem names the host and the JSON pointer of what is wrong,
 * in `file`. Pure.
 *
 * Not checked, for want of what the plan does not hold: a tcp_mem against the host's RAM, per-socket maxima
 * against a workload (the planner's TCPMEM_TCP_MEM_TOO_LARGE and TCPMEM_FLOWS_EXCEED_TCP_MEM), whether the
 * warnings are those of the values; and `kernel.release` is not compared with `observed.release` (a config's
 * `hardware.kernel` may name another release than the one the host runs; the host's kernel then refuses what it
 * does not accept, and the transaction rolls back); nor is `kernel.series`, which the model takes from the facts
 * when it has some (a host planned as `hardware.kernel: '3.19'` and read live on 6.18 says series 6.18).
 */
export function checkSavedPlan(plan: Plan, file: string): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, message: string, code = 'TCPMEM_UNSAFE_PLAN'): void => {
    problems.push(problem(code, message, { file, path }));
  };
  const writes: WriteChecks = new Map();
  const hostAt = new Map<string, number>();
  plan.hosts.forEach((host, h) => {
    const earlier = hostAt.get(host.name);
    if (earlier !== undefined) report(`/hosts/${h}/name`, `${shown(host.name)}: a second entry for the host (the first is /hosts/${earlier})`);
    else hostAt.set(host.name, h);
    checkHost(host, `/hosts/${h}`, report, writes);
  });
  const counted = summarize(plan.hosts);
  for (const key of Object.keys(counted) as (keyof typeof counted)[]) {
    if (plan.summary[key] !== counted[key]) report(`/summary/${key}`, `the summary says ${key} ${plan.summary[key]}, the hosts ${counted[key]}`);
  }
  return problems;
}

type Report = (path: string, message: string, code?: string) => void;
type WriteChecks = Map<string, ReturnType<typeof checkWriteAtSomeSublevel>>;

function checkHost(host: HostPlan, at: string, report: Report, writes: WriteChecks): void {
  if (host.changes.length === 0) return;
  const name = shown(host.name);
  if (host.status === 'invalid') report(`${at}/status`, `${name}: an invalid host with changes (tcpmem plans nothing for an invalid host)`);
  const version = host.kernel === undefined ? undefined : parseKernelRelease(host.kernel.release);
  if (host.kernel === undefined || version === undefined) {
    report(`${at}/kernel${host.kernel === undefined ? '' : '/release'}`, `${name}: the plan does not say which kernel the host runs${host.kernel === undefined ? '' : ` (${JSON.stringify(host.kernel.release)} is not a kernel release)`}, so its values cannot be checked`);
  }
  const observed = host.observed === undefined ? undefined : observedValues(host.observed);
  if (host.observed !== undefined && observed !== undefined && fingerprint(observed.sysctls, observed.persisted) !== host.observed.fingerprint) {
    report(`${at}/observed`, `${name}: what the plan says it observed does not match its fingerprint (the hosts are checked against the fingerprint, the changes were planned from the rest)`);
  }
  const seen = new Map<string, number>();
  host.changes.forEach((change, i) => {
    const earlier = seen.get(change.sysctl);
    if (earlier !== undefined) report(`${at}/changes/${i}/sysctl`, `${name}: a second change of ${shown(change.sysctl)} (the first is ${at}/changes/${earlier})`);
    else seen.set(change.sysctl, i);
    checkChange(change, { host: name, at: `${at}/changes/${i}`, version, release: host.kernel?.release ?? '', observed, report, writes });
  });
}

/** What a host's `observed` record says, as numbers (the record holds texts: `valueText`). */
interface ObservedValues {
  readonly sysctls: ReadonlyMap<string, readonly number[]>;
  readonly persisted: PersistedState | undefined;
}

function observedValues(record: NonNullable<HostPlan['observed']>): ObservedValues {
  const sysctls = numbersOf(record.sysctls);
  if (record.persisted === undefined) return { sysctls, persisted: undefined };
  const entries = (texts: Readonly<Record<string, { readonly file: string; readonly value: string } | undefined>> | undefined): Map<string, PersistedEntry> => {
    const map = new Map<string, PersistedEntry>();
    for (const [n, e] of Object.entries(texts ?? {})) if (e !== undefined) map.set(n, { file: e.file, values: numbers(e.value) });
    return map;
  };
  return { sysctls, persisted: { file: record.persistedFile ?? '', own: numbersOf(record.persisted), overriding: entries(record.overriding), beneath: entries(record.beneath) } };
}

function numbersOf(texts: Readonly<Record<string, string | undefined>>): Map<string, readonly number[]> {
  const values = new Map<string, readonly number[]>();
  for (const [n, t] of Object.entries(texts)) if (t !== undefined) values.set(n, numbers(t));
  return values;
}

/** The numbers of a value's text as the plan records it (`valueText`: integers separated by one space). */
const numbers = (text: string): number[] => (text.trim() === '' ? [] : text.trim().split(/\s+/).map(Number));

interface ChangeContext {
  readonly host: string;
  readonly at: string;
  readonly version: KernelVersion | undefined;
  readonly release: string;
  readonly observed: ObservedValues | undefined;
  readonly report: Report;
  readonly writes: WriteChecks;
}

function checkChange(change: Change, c: ChangeContext): void {
  const { host, at, report } = c;
  const name = change.sysctl;
  if (!isSysctlName(name) || !getSysctl(name).managed || !getSysctl(name).writable) {
    report(`${at}/sysctl`, `${host}: ${JSON.stringify(name)} is not a sysctl tcpmem manages`);
    return;
  }
  const definition = getSysctl(name);
  const length = vectorLength(definition);
  let shaped = true;
  for (const field of ['before', 'after', 'persistedBefore', 'kernelDefault'] as const) {
    const values = change[field];
    if (values === null || values === undefined) continue;
    if (values.length !== length || !values.every(Number.isSafeInteger)) {
      report(`${at}/${field}`, `${host}: ${name} ${field} ${values.join(' ')} is not ${length === 1 ? 'one integer' : `${length} integers`}`);
      shaped = false;
    }
  }
  if (!shaped) return;
  const { before, after } = change;
  const persistedBefore = change.persistedBefore ?? null;

  // what the plan observed is what the hosts are checked against: the change must start from it
  if (c.observed !== undefined) {
    const live = c.observed.sysctls.get(name) ?? null;
    if (!sameOrNull(before, live)) report(`${at}/before`, `${host}: ${name} before ${text(before)} is not the value the plan observed (${text(live)})`);
    const own = c.observed.persisted?.own;
    if (own !== undefined && !sameOrNull(persistedBefore, own.get(name) ?? null)) {
      report(`${at}/persistedBefore`, `${host}: ${name} persistedBefore ${text(persistedBefore)} is not what the plan observed in tcpmem's file (${text(own.get(name) ?? null)})`);
    }
  }
  switch (change.action) {
    case 'no-op':
      // a no-op writes nothing live, but its value goes into tcpmem's file
      if (after === null || !sameOrNull(before, after) || !sameOrNull(persistedBefore, after)) {
        report(`${at}/after`, `${host}: ${name} is a no-op to ${text(after)}, but the host has ${text(before)} live and ${text(persistedBefore)} in tcpmem's file`);
      }
      break;
    case 'create':
    case 'update':
      if (after === null) report(`${at}/after`, `${host}: ${name}: a ${change.action} without a value`);
      break;
    case 'delete': {
      // A delete restores what the host gets at boot without tcpmem's line — another sysctl.d file's value (the
      // plan's observed `beneath`), else the kernel default — and drops the line: any other value would stay unmanaged.
      const beneath = c.observed?.persisted?.beneath.get(name);
      const restores = beneath?.values ?? change.kernelDefault;
      if (after !== null && (restores === undefined || !sameValues(after, restores))) {
        const what = beneath === undefined ? 'the kernel default it restores' : `what ${shown(beneath.file)} sets at boot, which it restores`;
        report(`${at}/after`, `${host}: ${name} is deleted to ${text(after)}, which is not ${what} (${text(restores ?? null)})`);
      }
      break;
    }
  }
  if (after !== null) checkValue(name, after, c, change.kernelDefault ?? undefined);
}

/** The value a host is to get, as the planner checks a desired value (check-desired.ts). */
function checkValue(name: string, after: readonly number[], c: ChangeContext, kernelDefault: readonly number[] | undefined): void {
  if (!isSysctlName(name)) return;
  const definition = getSysctl(name);
  const shown = after.join(' ');
  if (c.version !== undefined) {
    const key = `${c.release}\u0000${name}\u0000${shown}`;
    let check = c.writes.get(key);
    if (check === undefined) {
      check = checkWriteAtSomeSublevel(name, after, c.version);
      c.writes.set(key, check);
    }
    if (!check.accepted && check.cause === 'absent') {
      c.report(`${c.at}/sysctl`, `${c.host}: ${name} does not exist on kernel ${c.release}: ${check.reason}`, 'TCPMEM_SYSCTL_UNAVAILABLE');
      return;
    }
    if (!check.accepted) {
      const field = definition.fields.length > 1 && check.elementIndex !== undefined ? `${definition.fields[check.elementIndex] ?? 'a field'} (${after[check.elementIndex] ?? '?'})` : 'it';
      c.report(`${c.at}/after`, `${c.host}: ${name} ${shown}: kernel ${c.release} would reject ${field}: ${check.reason}`, 'TCPMEM_KERNEL_REJECTS');
    }
  }
  if (definition.fields.length === 3 && tripleStepsDown(after, kernelDefault).length > 0) {
    c.report(`${c.at}/after`, `${c.host}: ${name} ${shown} is not non-decreasing (${definition.fields.join(' ≤ ')})`, 'TCPMEM_TRIPLE_ORDER');
  }
}

// what JSON.stringify leaves as it is: DEL, C1, the line and bidi controls
const unicodeControls = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A name from the plan as a message shows it: as it is, or as a JSON string, every control character escaped,
 * when it holds one that `printable` would escape (a crafted host name must not drive the terminal or forge a line of the error).
 */
const shown = (name: string): string =>
  printable(name) !== name ? JSON.stringify(name).replace(unicodeControls, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : name;

const sameOrNull = (a: readonly number[] | null, b: readonly number[] | null): boolean => (a === null || b === null ? a === b : sameValues(a, b));
const text = (values: readonly number[] | null): string => (values === null ? 'nothing' : values.join(' '));
