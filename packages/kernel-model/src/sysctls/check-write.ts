import { seriesOf, type KernelVersion } from '../series/kernel-version';
import { compareSeries, kernelChange, listKernelChanges, whyUnknown, type KernelChangeId } from './kernel-changes';
import { procBehaviour, type ProcBehaviour } from './proc-behaviour';
import { ULONG_MAX } from './proc-get-long';
import { simulateProcWrite, type ElementAfterWrite, type ProcProfile, type ProcWrite, type WriteFailureCause } from './proc-write';
import { getSysctl, isAvailable, MODEL_FLOOR, vectorLength } from './registry';
import { stableSublevelOf } from './stable-sublevel';
import type { Bound, ProcHandler, SysctlDefinition, SysctlName } from './sysctl-definition';
import { candidatesOf, consistent, mapVersioned, mergeAssumptions, type Assumption, type Candidate, type Versioned } from './versioned';

/** Where and on what the write happens, beyond the kernel version. */
export interface WriteContext {
  /**
   * The real stable sublevel when the release string hides it: Debian's `6.1.0-26-amd64` is a 6.1.y kernel whose
   * y is in /proc/version ("Debian 6.1.112-1" → 112). Without it, rules that stable backports changed stay open.
   */
  readonly stableSublevel?: number;
  /** The initial network namespace (the default) or another one, e.g. a container's. */
  readonly namespace?: 'initial' | 'child';
}

interface WriteCheckCommon {
  /**
   * False when the outcome depends on something the version does not settle (a backport at an unknown stable
   * sublevel, an unchecked series, the build's sizeof(struct sk_buff)); the result is then the stricter outcome.
   */
  readonly certain: boolean;
  /** What the outcome depends on when not certain: kernel change ids (kernel-changes.ts) or `sizeof(struct sk_buff)`. */
  readonly dependsOn: readonly string[];
  /** What each element holds after the write, in kernel order. */
  readonly elements: readonly ElementAfterWrite[];
}

export interface WriteAccepted extends WriteCheckCommon {
  readonly accepted: true;
  /** Text after the last value the kernel used, which it ignores (reported as a short write by the int and unsigned-long handlers). */
  readonly ignoredText: string;
  /** Effects worth telling an operator: elements left alone, stored differently than asked, values ignored. */
  readonly notes: readonly string[];
}

export interface WriteRejected extends WriteCheckCommon {
  readonly accepted: false;
  readonly errno: 'EINVAL' | 'EACCES' | 'ENOENT';
  readonly cause: WriteFailureCause;
  /** The element the kernel was reading when it failed; undefined when the file is missing or read-only. */
  readonly elementIndex: number | undefined;
  readonly reason: string;
  /** Values the kernel had already stored when it failed (a partial update), in element order; see `elements`. */
  readonly appliedBeforeFailure: readonly bigint[];
}

export type WriteCheck = WriteAccepted | WriteRejected;

/** The text tcpmem writes for a list of values: separated by single spaces, ending in a newline (like `sysctl -w`). */
export function toWriteText(values: readonly (bigint | number)[]): string {
  return `${values.map((v) => String(v)).join(' ')}\n`;
}

/**
 * Whether the kernel accepts writing these values to the sysctl, and what each element holds afterwards, exactly
 * as one write(2) of `toWriteText(values)` behaves (kernel/sysctl.c of the version's series). Pure; see
 * `checkWriteText` for arbitrary text.
 */
export function checkWrite(name: SysctlName, values: readonly (bigint | number)[], version: KernelVersion, context: WriteContext = {}, profiles: WriteProfiles = writeProfiles): WriteCheck {
  const check = checkWriteText(name, toWriteText(values), version, context, profiles);
  if (!check.accepted) return check;
  return { ...check, notes: [...valueNotes(getSysctl(name), values, check), ...check.notes] };
}

/**
 * Like `checkWrite`, for the exact text of one write(2) (what `echo … >` or systemd-sysctl would write).
 * `profiles` is `writeProfiles` or the same function memoised (memo/model-memo.ts).
 */
export function checkWriteText(name: SysctlName, text: string, version: KernelVersion, context: WriteContext = {}, profiles: WriteProfiles = writeProfiles): WriteCheck {
  const definition = getSysctl(name);
  const length = vectorLength(definition);
  if (!isAvailable(definition, version)) {
    return {
      accepted: false,
      errno: 'ENOENT',
      cause: 'absent',
      elementIndex: undefined,
      reason: `${name} does not exist before ${definition.availableFrom} (this kernel is ${seriesOf(version)})`,
      appliedBeforeFailure: [],
      elements: Array.from({ length }, () => ({ state: 'unchanged' }) as const),
      certain: true,
      dependsOn: [],
    };
  }
  const sublevel = stableSublevelOf(version, context.stableSublevel);
  const outcomes = profiles(definition, version, sublevel, context.namespace ?? 'initial').map((p) => ({ profile: p.value, assumptions: p.assumptions, write: simulateProcWrite(text, p.value) }));
  const keys = outcomes.map((o) => outcomeKey(o.write));
  const belowFloor = compareSeries(seriesOf(version), MODEL_FLOOR) < 0;
  const settled = keys.every((k) => k === keys[0]);
  const certain = settled && !belowFloor;
  const dependsOn = [
    ...(settled ? [] : decidingAssumptions(outcomes.map((o, i) => ({ assumptions: o.assumptions, key: keys[i] ?? '' })))),
    ...(belowFloor ? [`series older than ${MODEL_FLOOR}`] : []),
  ];
  const chosen = outcomes.find((o) => !o.write.ok) ?? outcomes[0];
  if (chosen === undefined) throw new Error(`no kernel profile for ${name}`);
  const write = chosen.write;
  if (write.ok) {
    return {
      accepted: true,
      elements: write.elements,
      ignoredText: ignoredText(chosen.profile.handler, text, write),
      notes: certain ? [] : [uncertainty(dependsOn, 'the outcome', version, sublevel)],
      certain,
      dependsOn,
    };
  }
  const reason = describeFailure(definition, text, write, chosen.profile, version);
  return {
    accepted: false,
    errno: write.errno,
    cause: write.cause,
    elementIndex: write.elementIndex,
    reason: certain ? reason : `${reason}; ${uncertainty(dependsOn, 'whether this kernel refuses it', version, sublevel)}`,
    appliedBeforeFailure: write.elements.flatMap((e) => (e.state === 'written' ? [e.value] : [])),
    elements: write.elements,
    certain,
    dependsOn,
  };
}

/**
 * Every kernel the version may be, for one sysctl: one profile when the version settles everything. They depend
 * only on the sysctl, the series (`presenceOf` reads major.minor), the stable sublevel and the namespace: not on the
 * release suffix or the release's own patch (that reaches them only through `sublevel`), so Debian's 6.1.0-26-amd64
 * and 6.1.0-28-cloud-amd64 may share them (memo/model-memo.ts does).
 */
export function writeProfiles(
  definition: SysctlDefinition,
  version: Pick<KernelVersion, 'major' | 'minor'>,
  sublevel: number | undefined,
  namespace: NonNullable<WriteContext['namespace']>,
): readonly Candidate<ProcProfile>[] {
  const of = <T>(fact: Versioned<T>): Candidate<T>[] => candidatesOf(fact, version, sublevel);
  const access = definition.writable
    ? namespace === 'child'
      ? of(mapVersioned(definition.scope, (s) => s.inChildNetns))
      : [{ value: 'writable' as const, assumptions: [] }]
    : [{ value: 'read-only' as const, assumptions: [] }];
  const behaviourKeys = Object.keys(procBehaviour) as (keyof ProcBehaviour)[];

  type Parts = {
    access: ProcProfile['access'];
    handler: ProcHandler;
    min: ConcreteBound | undefined;
    max: ConcreteBound | undefined;
  } & ProcBehaviour;
  let combos: Candidate<Partial<Parts>>[] = [{ value: {}, assumptions: [] }];
  const add = <K extends keyof Parts>(key: K, candidates: readonly Candidate<Parts[K]>[]): void => {
    combos = combos.flatMap((combo) =>
      candidates
        .filter((c) => consistent(combo.assumptions, c.assumptions))
        .map((c) => ({ value: { ...combo.value, [key]: c.value }, assumptions: mergeAssumptions(combo.assumptions, c.assumptions) })),
    );
  };
  add('access', access);
  add('handler', of(definition.write.handler));
  add('min', of(definition.write.min).flatMap(concreteBounds));
  add('max', of(definition.write.max).flatMap(concreteBounds));
  for (const key of behaviourKeys) add(key, of(procBehaviour[key]));

  return combos.map(({ value: v, assumptions }) => {
    if (v.access === undefined || v.handler === undefined) throw new Error(`incomplete kernel profile for ${definition.name}`);
    const behaviour = Object.fromEntries(behaviourKeys.map((k) => [k, v[k] === true])) as unknown as ProcBehaviour;
    return {
      value: {
        access: v.access,
        handler: v.handler,
        length: vectorLength(definition),
        min: v.min?.value,
        max: v.max?.value,
        minName: v.min?.kernelName,
        maxName: v.max?.kernelName,
        behaviour,
      },
      assumptions,
    };
  });
}

/** `writeProfiles`, or the same function memoised. */
export type WriteProfiles = typeof writeProfiles;

interface ConcreteBound {
  readonly kernelName: string;
  readonly value: bigint;
}

/** A bound that depends on the build becomes its two extremes, each resting on an assumption about the build. */
function concreteBounds(candidate: Candidate<Bound | undefined>): Candidate<ConcreteBound | undefined>[] {
  const bound = candidate.value;
  if (bound === undefined) return [{ value: undefined, assumptions: candidate.assumptions }];
  if (bound.low === bound.high) return [{ value: { kernelName: bound.kernelName, value: bound.low }, assumptions: candidate.assumptions }];
  const on = 'sizeof(struct sk_buff)';
  return [
    { value: { kernelName: bound.kernelName, value: bound.low }, assumptions: [...candidate.assumptions, { on, choice: 'smallest' }] },
    { value: { kernelName: bound.kernelName, value: bound.high }, assumptions: [...candidate.assumptions, { on, choice: 'largest' }] },
  ];
}

/** A comparable summary of one simulated write. */
function outcomeKey(write: ProcWrite): string {
  const elements = write.elements.map((e) => (e.state === 'written' ? e.value.toString() : e.state)).join(',');
  return write.ok ? `ok:${elements}:${write.consumed}` : `${write.errno}:${write.cause}:${write.elementIndex ?? '-'}:${elements}`;
}

/** The open assumptions that change the outcome on their own: two profiles differ only there and disagree. */
function decidingAssumptions(outcomes: readonly { assumptions: readonly Assumption[]; key: string }[]): string[] {
  const open = [...new Set(outcomes.flatMap((o) => o.assumptions.map((a) => a.on)))];
  return open.filter((on) =>
    outcomes.some((a) =>
      outcomes.some((b) => {
        const ca = a.assumptions.find((x) => x.on === on);
        const cb = b.assumptions.find((x) => x.on === on);
        if (ca === undefined || cb === undefined || ca.choice === cb.choice || a.key === b.key) return false;
        return consistent(
          a.assumptions.filter((x) => x.on !== on),
          b.assumptions.filter((x) => x.on !== on),
        );
      }),
    ),
  );
}

const knownChanges = new Set<string>(listKernelChanges().map((c) => c.id));

/** "… depends on X (why it is open) and Y …; tcpmem assumes the stricter outcome". */
function uncertainty(dependsOn: readonly string[], what: string, version: KernelVersion, sublevel: number | undefined): string {
  const parts = dependsOn.map((on) => {
    if (on.startsWith('series older than')) return `rules older than ${MODEL_FLOOR}, the oldest series read (${seriesOf(version)} gets ${MODEL_FLOOR}'s)`;
    if (!knownChanges.has(on)) return `the build's ${on}`;
    const id = on as KernelChangeId;
    return `"${kernelChange(id).title}" (${whyUnknown(id, version, sublevel)})`;
  });
  return `${what} depends on ${parts.join(' and on ')}; tcpmem assumes the stricter outcome`;
}

/** The part of the text the kernel did not use. */
function ignoredText(handler: ProcHandler, text: string, write: Extract<ProcWrite, { ok: true }>): string {
  if (handler === 'proc_douintvec_minmax') {
    // do_proc_douintvec_w() reports the whole input as written; what follows the first value is unread.
    const trimmed = text.trimStart();
    const firstToken = /^\S+/.exec(trimmed)?.[0] ?? '';
    return trimmed.slice(firstToken.length).trim();
  }
  return text.slice(write.consumed).trim();
}

const INT_MIN = -(1n << 31n);
const INT_MAX = (1n << 31n) - 1n;

function fieldOf(definition: SysctlDefinition, index: number | undefined): string {
  const short = definition.name.split('.').pop() ?? definition.name;
  if (definition.shape === 'scalar' || index === undefined) return short;
  return `${short} ${definition.fields[index] ?? `element ${index}`}`;
}

/** One sentence on why the kernel refused the write, naming the element, its text and the kernel rule. */
function describeFailure(
  definition: SysctlDefinition,
  text: string,
  write: Extract<ProcWrite, { ok: false }>,
  profile: ProcProfile,
  version: KernelVersion,
): string {
  const token = /^\S*/.exec(text.slice(write.position))?.[0] ?? '';
  const shown = token.length > 32 ? `${token.slice(0, 32)}…` : token;
  const field = fieldOf(definition, write.elementIndex);
  const stored = write.elements.filter((e) => e.state === 'written').length;
  const partial = stored === 0 ? '' : stored === 1 ? '; the value before it stays written' : `; the ${stored} values before it stay written`;
  const series = seriesOf(version);
  switch (write.cause) {
    case 'absent':
      return `${definition.name} is global on ${series}: network namespaces other than the initial one have no such file`;
    case 'read-only':
      return definition.writable
        ? `${definition.name} is read-only outside the initial network namespace on ${series} (the host's value, mode 0444)`
        : `${definition.name} is read-only (mode 0444)`;
    case 'no-value':
      return `nothing to write: the kernel needs at least one number for ${definition.name}`;
    case 'end-of-input':
      return `${definition.name} got ${write.elementIndex ?? 0} of ${definition.fields.length} values and then only whitespace, which kernels before 5.0 refuse for unsigned-long vectors${partial}`;
    case 'not-a-number':
      return `${field}: "${shown}" is not a number the kernel reads (decimal, 0x… hex or 0… octal, separated by spaces, tabs or newlines)${partial}`;
    case 'too-long':
      return `${field}: "${shown}" is longer than the 21 characters the kernel reads for one number${partial}`;
    case 'above-ulong':
      return `${field}: ${shown} is above ULONG_MAX (${ULONG_MAX.toString()})${partial}`;
    case 'negative':
      return `${field}: ${shown} is negative, which ${definition.cType} elements refuse${partial}`;
    case 'outside-int':
      return `${field}: ${shown} does not fit an int (${INT_MIN.toString()} … ${INT_MAX.toString()})${partial}`;
    case 'above-uint':
      return `${field}: ${shown} is above UINT_MAX (4294967295)${partial}`;
    case 'below-min':
      return `${field}: ${shown} is below the kernel's minimum ${profile.min?.toString() ?? '?'} (${profile.minName ?? 'extra1'})${partial}`;
    case 'above-max':
      return `${field}: ${shown} is above the kernel's maximum ${profile.max?.toString() ?? '?'} (${profile.maxName ?? 'extra2'})${partial}`;
  }
}

/** Notes on an accepted write of explicit values: what the kernel did differently from what was asked. */
function valueNotes(definition: SysctlDefinition, values: readonly (bigint | number)[], check: WriteAccepted): string[] {
  const notes: string[] = [];
  check.elements.forEach((element, i) => {
    const field = fieldOf(definition, i);
    const asked = values[i];
    if (element.state === 'unchanged' && asked === undefined) notes.push(`${field} was not given and keeps its current value`);
    if (element.state === 'skipped') notes.push(`${field}: the kernel skipped ${String(asked)} (a negative value) and left the element unchanged`);
    if (element.state === 'undefined')
      notes.push(`${field} was not given (or skipped) and ipv4_tcp_mem() stored an uninitialised value in it: always write all three`);
    const exact = typeof asked === 'bigint' ? asked : asked !== undefined && Number.isSafeInteger(asked) ? BigInt(asked) : undefined;
    if (element.state === 'written' && exact !== undefined && element.value !== exact)
      notes.push(`${field} is stored as ${element.value.toString()}, not ${String(asked)}: this kernel truncates values that do not fit an int`);
  });
  if (values.length > definition.fields.length)
    notes.push(`${values.length - definition.fields.length} value(s) past the ${definition.fields.length} element(s) of ${definition.name} are ignored`);
  return notes;
}

/**
 * The sysctl's values after a checked write, from its values before: written elements take the new value, the
 * others keep theirs; `undefined` where 3.10/3.11 ipv4_tcp_mem() stored an uninitialised word.
 */
export function valuesAfter(previous: readonly bigint[], check: WriteCheck): (bigint | undefined)[] {
  return check.elements.map((element, i) => {
    if (element.state === 'written') return element.value;
    if (element.state === 'undefined') return undefined;
    return previous[i];
  });
}
