import { hasErrors, problem, type Change, type Hardware, type HostFacts, type HostPlan, type Problem } from '@tcpmem/schema';
import { childPointer, type FleetModel, type Origin } from './fleet/fleet-model';
import { adviseChanges } from './diff/advise-changes';
import { diffHost } from './diff/diff-host';
import { fingerprint, isUnreachable, sameValues, valueText, type HostObservation, type Observation } from './observe/observation';
import { checkDesired, checkKeptValue } from './resolve/check-desired';
import { deriveWorkload } from './resolve/derive-workload';
import type { HostKernel, SysctlShape } from './resolve/host-kernel';
import { layerHost, type LayeredHost, type ShareLayers } from './resolve/layer-settings';
import { resolveSysctl, type DesiredValue } from './resolve/resolve-sysctl';
import { preparedFactsOf, type KernelFacts } from './resolve/prepared-facts';
import { hardwareBesideFacts } from './resolve/hardware-beside-facts';
import { checkWorkloadOverrides } from './resolve/workload-overrides';

/**
 * How the planner gets a host's kernel model: `kernelForHardware`, or the same shared by hardware (memo/kernel-lookup.ts).
 * `parsed`: the kernel facts of prepared facts (`hardware.facts` is then their fields, without texts).
 */
export type KernelLookup = (hardware: Hardware, parsed?: KernelFacts) => HostKernel | { readonly problem: Problem };

/** A host's desired values on its kernel, with the problems found resolving and checking them. */
export interface Resolution {
  readonly desired: ReadonlyMap<string, DesiredValue>;
  readonly problems: readonly Problem[];
}

/** The `kernel` record of a host plan. */
export type KernelInfo = NonNullable<HostPlan['kernel']>;

/** What a host planned offline without facts is compared with: its kernel's defaults, and the plan's record of them. */
export interface DefaultObservation {
  readonly observation: Observation;
  readonly record: NonNullable<HostPlan['observed']>;
}

/**
 * What `planHost` computes that other hosts of a plan may have in common. Each method gets a key and the function
 * that computes the value for it; `computeEach` calls the function, `createPlanMemo()` (memo/plan-memo.ts) shares
 * one result between the hosts with the same key. A key names everything its value depends on, so sharing never
 * changes a host's plan; a shared value is only read.
 */
export interface PlanMemo {
  /** Merged levels by group list, layered sysctls by the levels that set them. */
  readonly layers: ShareLayers;
  /** The resolution of the settings `settingsKey` names on this kernel. */
  resolution(kernel: HostKernel, settingsKey: string, resolve: () => Resolution): Resolution;
  /** What those settings plan on the kernel's own defaults (offline, no facts): the same for every such host. */
  onDefaults(kernel: HostKernel, settingsKey: string, plan: () => PlannedOnDefaults): PlannedOnDefaults;
  /** The kernel's default observation. */
  defaults(kernel: HostKernel, observe: () => DefaultObservation): DefaultObservation;
  /** The `kernel` record of a host plan. */
  kernelInfo(kernel: HostKernel, describe: () => KernelInfo): KernelInfo;
  /** The numbers of a discovered sysctl's text (`"4096 131072 6291456"`): most texts recur from host to host. */
  discoveredValues(text: string, read: (text: string) => readonly number[]): readonly number[];
}

/**
 * What a host planned offline without facts gets from its kernel and resolved settings alone (`planOnDefaults`):
 * the kernel's defaults as its current values, the changes to its desired values, and the problems found on them.
 */
export interface PlannedOnDefaults {
  readonly observed: DefaultObservation;
  readonly changes: Change[];
  /** The problems of values `{atLeast}` keeps higher than asked (the kernel default is): an error makes the host invalid. */
  readonly kept: readonly Problem[];
  /** tcpmem's advice on the changes; none when `kept` holds an error (the host is then invalid). */
  readonly advice: readonly Problem[];
}

/** Every host computes its own: no sharing, no state. */
export const computeEach: PlanMemo = {
  layers: { sysctls: (_key, layer) => layer(), groups: (_key, merge) => merge() },
  resolution: (_kernel, _settingsKey, resolve) => resolve(),
  onDefaults: (_kernel, _settingsKey, plan) => plan(),
  defaults: (_kernel, observe) => observe(),
  kernelInfo: (_kernel, describe) => describe(),
  discoveredValues: (text, read) => read(text),
};

/**
 * Plans one host: layer its settings, find its kernel defaults (from its hardware, with discovered or live facts
 * when there are some), resolve and check the desired values, then diff them against what was observed — the
 * live host, or, offline, its facts or the model. A host with errors is `invalid` and gets no changes.
 * Pure; hosts planned with one `memo` share what they have in common (see `PlanMemo`).
 */
export function planHost(fleet: FleetModel, index: number, observation: HostObservation | undefined, kernelFor: KernelLookup, memo: PlanMemo = computeEach): HostPlan {
  const problems: Problem[] = [];
  const layered = layerHost(fleet, index, problems, memo.layers);
  const factsDocument = fleet.facts.get(layered.name);
  const liveFacts = observation !== undefined && !isUnreachable(observation) ? observation.facts : undefined;
  // Offline, facts prepared when loading (texts parsed, not kept); live, the whole body to merge with what was read.
  const prepared = liveFacts === undefined && factsDocument !== undefined ? preparedFactsOf(factsDocument.value) : undefined;
  const storedFacts = prepared?.facts ?? factsDocument?.value.facts;
  // Live facts win, but discovered ones of the same kernel keep what a live read does not fetch (dmesg, node meminfo).
  const facts: HostFacts | undefined =
    liveFacts === undefined ? storedFacts : storedFacts !== undefined && storedFacts.release === liveFacts.release ? { ...storedFacts, ...liveFacts } : liveFacts;
  const unreachable = isUnreachable(observation) ? observation : undefined;
  const head: HostHead = {
    name: layered.name,
    groups: [...layered.groups],
    address: layered.address,
    ssh: Object.keys(layered.ssh).length === 0 ? undefined : layered.ssh,
    unreachable: unreachable === undefined ? undefined : { code: unreachable.code ?? 'TCPMEM_UNREACHABLE', message: unreachable.reason },
  };
  // What the host's facts say (discovered, or read live) wins over its hardware block: see hardwareBesideFacts.
  const kernelRelease = facts?.release ?? layered.hardware.kernel;
  const factsTellMemory = prepared === undefined ? facts?.zoneinfo !== undefined || facts?.meminfo !== undefined : prepared.kernel.texts.zones !== undefined || prepared.kernel.texts.meminfo !== undefined;
  const hasMemory = layered.hardware.memory !== undefined || layered.hardware.nodes !== undefined || factsTellMemory;
  if (unreachable !== undefined) {
    const from = kernelRelease === undefined || !hasMemory ? 'nothing (no hardware block or facts to plan it from)' : facts === undefined ? 'the kernel model' : 'its discovered facts';
    problems.push(problem('TCPMEM_UNREACHABLE', `${layered.name} could not be read: ${unreachable.reason}; planned from ${from}`, { severity: 'warning', file: layered.origin.file, path: layered.origin.pointer, hint: unreachable.code?.startsWith('HOST_KEY_') === true ? 'Check the host key (the message says what was presented and what known_hosts holds) before connecting again.' : 'Check the address, SSH settings and that the host is up.' }));
    // what it is not known: it stays unreachable (apply reports it so and goes on with the others), not invalid
    if (kernelRelease === undefined || !hasMemory) return hostPlan(head, undefined, 'unreachable', 'none', undefined, [], problems);
  }
  if (kernelRelease === undefined || !hasMemory) {
    const missing = [kernelRelease === undefined ? 'its kernel' : undefined, hasMemory ? undefined : 'its memory'].filter((m) => m !== undefined).join(' and ');
    problems.push(problem('TCPMEM_NO_HARDWARE', `${layered.name}: tcpmem cannot know ${missing}`, {
      file: layered.origin.file,
      path: layered.origin.pointer,
      hint: layered.address === undefined ? 'Give the host a `hardware` block (kernel and memory), or an address to read them from.' : 'Run `tcpmem discover` for this host, plan it live, or give it a `hardware` block.',
    }));
    return hostPlan(head, undefined, 'invalid', 'none', undefined, [], problems);
  }
  const kernelFacts = prepared === undefined ? facts : prepared.kernel.facts;
  const hardware: Hardware = { ...hardwareBesideFacts(layered.hardware, facts, factsTellMemory), kernel: kernelRelease, ...(kernelFacts === undefined ? {} : { facts: kernelFacts }) };
  const kernel = prepared === undefined ? kernelFor(hardware) : kernelFor(hardware, prepared.kernel);
  if ('problem' in kernel) {
    // A field of discovered facts read from the host's facts file is fixed there; anything else in the hardware block.
    const factsPlace = liveFacts === undefined && factsDocument !== undefined && kernel.problem.path?.startsWith('/facts/') === true;
    problems.push(
      factsPlace
        ? { ...kernel.problem, file: factsDocument.origin.file, path: `${factsDocument.origin.pointer}${kernel.problem.path ?? ''}` }
        : { ...kernel.problem, file: layered.hardwareOrigin?.file ?? layered.origin.file, path: layered.hardwareOrigin?.pointer ?? layered.origin.pointer },
    );
    return hostPlan(head, undefined, 'invalid', 'none', undefined, [], problems);
  }

  const resolution = memo.resolution(kernel, layered.settingsKey, () => resolveDesired(layered, kernel));
  problems.push(...resolution.problems);
  // the page size only where it is not 4 KiB (arm64's 16/64 KiB kernels): tcp_mem's pages are then that large
  const kernelInfo = memo.kernelInfo(kernel, () => ({ release: kernel.release, series: kernel.series, ...(kernel.pageSize === 4096 ? {} : { pageSize: kernel.pageSize }), ...(kernel.notes.length === 0 ? {} : { notes: [...kernel.notes] }) }));
  if (hasErrors(problems)) return hostPlan(head, kernelInfo, 'invalid', 'none', undefined, [], problems);

  const status = unreachable === undefined ? 'ok' : 'unreachable';
  // Live, the host as read; offline, its facts, or else (like every host of this kernel) the kernel's defaults.
  let observed: Observation;
  if (observation !== undefined && !isUnreachable(observation)) observed = observation;
  else if (facts !== undefined) observed = factsObservation(kernel, facts, factsDocument?.origin, problems, memo);
  else {
    // What the settings plan on the kernel's defaults is the same for every host of this kernel and these settings.
    const planned = memo.onDefaults(kernel, layered.settingsKey, () => planOnDefaults(layered, kernel, resolution.desired, memo));
    problems.push(...planned.kept);
    if (hasErrors(problems)) return hostPlan(head, kernelInfo, 'invalid', 'none', undefined, [], problems);
    problems.push(...planned.advice);
    return hostPlan(head, kernelInfo, status, planned.observed.observation.source, planned.observed.record, planned.changes, problems);
  }
  let desired = resolution.desired;
  // Live, a sysctl the read did not find is not on the host; from facts, those the discovery did not find.
  const notOnHost = (name: string): boolean => (observed.source === 'live' ? !observed.sysctls.has(name) : observed.absent?.has(name) === true);
  if (observed.source === 'live' || observed.absent !== undefined) {
    const onHost = new Map(desired);
    desired = onHost;
    for (const [name, value] of resolution.desired) {
      if (!notOnHost(name)) continue;
      onHost.delete(name);
      const where = observed.source === 'live' ? "is not in this host's /proc/sys" : "was not in this host's /proc/sys when its facts were discovered";
      problems.push(problem('TCPMEM_SYSCTL_NOT_ON_HOST', `${name} ${where}, so it is left alone`, {
        severity: 'warning',
        file: value.origin.file,
        path: value.origin.pointer,
        hint: 'Whole-host settings such as net.ipv4.tcp_mem exist only in the initial network namespace: this host is probably a container or a network namespace. Set it on the machine that hosts it.',
      }));
    }
  }
  const changes = diffHost(desired, kernel, observed);
  checkKeptValues(changes, desired, kernel, problems);
  if (hasErrors(problems)) return hostPlan(head, kernelInfo, 'invalid', 'none', undefined, [], problems);
  problems.push(...adviseChanges(changes, desired, layered.sysctls, kernel));
  return hostPlan(head, kernelInfo, status, observed.source, observationRecord(observed), changes, problems);
}

/** What every plan of a host starts with: who it is, and why it could not be read. */
interface HostHead {
  readonly name: string;
  readonly groups: string[];
  readonly address: string | undefined;
  readonly ssh: NonNullable<HostPlan['ssh']> | undefined;
  readonly unreachable: HostPlan['unreachable'];
}

/**
 * A host plan, its members set one by one in the order the plan format lists them (what `--json` prints), the
 * optional ones only when there is something to say. Spreading a head into each plan cost ~4 µs a host: V8 copies
 * objects of several shapes (with and without address, ssh) the slow way.
 */
function hostPlan(head: HostHead, kernel: KernelInfo | undefined, status: HostPlan['status'], source: HostPlan['source'], observed: HostPlan['observed'], changes: Change[], problems: Problem[]): HostPlan {
  const plan: Pick<HostPlan, 'name' | 'groups'> & Partial<HostPlan> = { name: head.name, groups: head.groups };
  if (head.address !== undefined) plan.address = head.address;
  if (head.ssh !== undefined) plan.ssh = head.ssh;
  if (head.unreachable !== undefined) plan.unreachable = head.unreachable;
  if (kernel !== undefined) plan.kernel = kernel;
  plan.status = status;
  plan.source = source;
  if (observed !== undefined) plan.observed = observed;
  plan.changes = changes;
  plan.problems = problems;
  return plan as HostPlan;
}

/**
 * What a host's resolved settings plan on its kernel's defaults (offline, no facts): the changes, the problems of
 * the values `{atLeast}` keeps, then (without errors) tcpmem's advice. A function of the kernel and the settings.
 */
function planOnDefaults(layered: LayeredHost, kernel: HostKernel, desired: ReadonlyMap<string, DesiredValue>, memo: PlanMemo): PlannedOnDefaults {
  const observed = memo.defaults(kernel, () => defaultObservation(kernel));
  const changes = diffHost(desired, kernel, observed.observation);
  const kept: Problem[] = [];
  checkKeptValues(changes, desired, kernel, kept);
  const advice = hasErrors(kept) ? [] : adviseChanges(changes, desired, layered.sysctls, kernel);
  return { observed, changes, kept, advice };
}

/** Checks each value a change keeps higher than desired (`{atLeast}` keeping what the host has). */
function checkKeptValues(changes: readonly Change[], desired: ReadonlyMap<string, DesiredValue>, kernel: HostKernel, problems: Problem[]): void {
  for (const change of changes) {
    const want = desired.get(change.sysctl);
    if (want !== undefined && change.after !== null && !sameValues(want.values, change.after)) checkKeptValue(want, change.after, kernel, problems);
  }
}

/** Resolves and checks a host's desired values on its kernel: its layered sysctls, then what its workload derives. */
function resolveDesired(layered: LayeredHost, kernel: HostKernel): Resolution {
  const problems: Problem[] = [];
  const desired = new Map<string, DesiredValue>();
  for (const [name, sysctl] of layered.sysctls) {
    const shape = kernel.shapes.get(name);
    if (shape === undefined) {
      const origin = sysctl.origins[''] ?? Object.values(sysctl.origins)[0];
      problems.push(problem('TCPMEM_SYSCTL_UNAVAILABLE', `${name} does not exist on kernel ${kernel.release} (series ${kernel.series})`, { ...(origin === undefined ? {} : { file: origin.file, path: origin.pointer }), hint: 'Set it only for hosts whose kernel has it.' }));
      continue;
    }
    const value = resolveSysctl(sysctl, shape, kernel, problems);
    if (value !== undefined) desired.set(name, value);
  }
  // A workload derives what the config does not set explicitly, from the explicit values where there are some.
  if (layered.workload !== undefined) {
    checkWorkloadOverrides(layered.workload, layered.sysctls, desired, kernel, problems);
    const derived = deriveWorkload(layered.workload.value, layered.workload.origin, layered.workload.setBy, kernel, desired, problems);
    for (const value of derived?.values ?? []) if (!desired.has(value.name)) desired.set(value.name, value);
  }
  checkDesired(desired, kernel, layered.workload?.value, problems);
  return { desired, problems };
}

/** What a plan records of an observation. */
type ObservationRecord = NonNullable<HostPlan['observed']>;

/**
 * What a plan records of an observation, its members set in the order the plan format lists them (what `--json`
 * prints), the optional ones only when there is something to say.
 */
function observationRecord(observed: Observation): ObservationRecord {
  const record: Pick<ObservationRecord, 'fingerprint'> & Partial<ObservationRecord> = { fingerprint: fingerprint(observed.sysctls, observed.persisted) };
  if (observed.release !== undefined) record.release = observed.release;
  record.sysctls = recordTexts(observed.sysctls);
  const persisted = observed.persisted;
  if (persisted !== undefined) {
    record.persistedFile = persisted.file;
    record.persisted = Object.fromEntries([...persisted.own].map(([n, v]) => [n, valueText(v)]));
    if (persisted.overriding.size > 0) record.overriding = Object.fromEntries([...persisted.overriding].map(([n, e]) => [n, { file: e.file, value: valueText(e.values) }]));
    if (persisted.beneath.size > 0) record.beneath = Object.fromEntries([...persisted.beneath].map(([n, e]) => [n, { file: e.file, value: valueText(e.values) }]));
  }
  return record as ObservationRecord;
}

/**
 * `{ name: valueText(values) }` of every sysctl, in the map's order. A host observed from facts or the model holds
 * lists shared with other hosts (a kernel's defaults, a discovered text's numbers: see `PlanMemo`), so each list's
 * text is made once and the record shares it (`valueText` of a list that is never changed is always the same).
 * Set one by one, as `Object.fromEntries` would define them (a name `__proto__`, which no sysctl has, defined too).
 */
function recordTexts(sysctls: ReadonlyMap<string, readonly number[]>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, values] of sysctls) {
    let text = textsOfLists.get(values);
    if (text === undefined) {
      text = valueText(values);
      textsOfLists.set(values, text);
    }
    if (name === '__proto__') Object.defineProperty(record, name, { value: text, enumerable: true, writable: true, configurable: true });
    else record[name] = text;
  }
  return record;
}
const textsOfLists = new WeakMap<readonly number[], string>();

/** Offline without facts, the current values are the kernel's defaults. */
function defaultObservation(kernel: HostKernel): DefaultObservation {
  const observation: Observation = { source: 'model', release: kernel.release, sysctls: kernel.defaults, persisted: undefined, facts: undefined };
  return { observation, record: observationRecord(observation) };
}

/** `values.every(Number.isSafeInteger)`, without a call per number (it runs for every discovered sysctl of every host). */
function allSafeIntegers(values: readonly number[]): boolean {
  for (const value of values) if (!Number.isSafeInteger(value)) return false;
  return true;
}

/** The numbers of a discovered value's text (`Number` of each blank-separated field; NaN where one is not a number). */
const discoveredValues = (text: string): readonly number[] => text.trim().split(/\s+/).map(Number);

/**
 * Offline with facts, the current values are the discovered live values where there are some, else the kernel
 * defaults; a sysctl the discovery found missing (`missingSysctls`) has none, and is left alone as live. A discovered value this kernel could not hold (a file edited by hand, or for another host) is not
 * believed: `{atLeast}` would keep it and plan a write the host refuses.
 */
function factsObservation(kernel: HostKernel, facts: HostFacts, factsOrigin: Origin | undefined, problems: Problem[], memo: PlanMemo): Observation {
  const absent = facts.missingSysctls === undefined ? undefined : new Set(facts.missingSysctls);
  // The kernel's defaults, in their order, but those the host lacks; then what was discovered, by name.
  const sysctls = new Map<string, readonly number[]>();
  for (const [name, values] of kernel.defaults) if (absent === undefined || !absent.has(name)) sysctls.set(name, values);
  const discovered = facts.sysctls ?? {};
  // In the facts' order: the order of the problems, and of sysctls the defaults do not have (the facts call them missing).
  for (const name of Object.keys(discovered)) {
    // tcpmem manages a dozen of the ~90 sysctls a discovery records: the others are passed over before their text is read.
    const shape = kernel.shapes.get(name);
    if (shape === undefined) continue;
    const read = discoveredValuesFor(shape, discovered[name], memo);
    if (read === undefined) continue;
    const check = kernel.checkWrite(name, read);
    if (!check.accepted) {
      problems.push(problem('TCPMEM_FACTS_VALUE', `the discovered ${name} ${read.join(' ')} is not a value kernel ${kernel.release} can hold (${check.reason}), so the kernel default is assumed`, {
        severity: 'warning',
        ...(factsOrigin === undefined ? {} : { file: factsOrigin.file, path: childPointer(factsOrigin.pointer, 'facts', 'sysctls', name) }),
        hint: 'Run `tcpmem discover` for this host again, or plan it live.',
      }));
      continue;
    }
    sysctls.set(name, read);
  }
  const observation: Observation = { source: facts.sysctls === undefined ? 'model' : 'facts', release: facts.release ?? kernel.release, sysctls, persisted: undefined, facts };
  return absent === undefined ? observation : { ...observation, absent };
}

/**
 * A discovered sysctl's values (`text`, of a sysctl this kernel has: `shape`) when the text is a value of its
 * shape; undefined when not believed (text edited by hand?) or not read.
 */
function discoveredValuesFor(shape: SysctlShape, text: string | undefined, memo: PlanMemo): readonly number[] | undefined {
  if (text === undefined) return undefined;
  const values = memo.discoveredValues(text, discoveredValues);
  return shape.fields.length === values.length && allSafeIntegers(values) ? values : undefined;
}
