import { hasErrors, problem, type Hardware, type HostFacts, type HostPlan, type Problem } from '@tcpmem/schema';
import { childPointer, type FleetModel, type Origin } from './fleet/fleet-model';
import { diffHost } from './diff/diff-host';
import { fingerprint, isUnreachable, sameValues, valueText, type HostObservation, type Observation } from './observe/observation';
import { checkDesired, checkKeptValue } from './resolve/check-desired';
import { deriveWorkload } from './resolve/derive-workload';
import type { HostKernel } from './resolve/host-kernel';
import { layerHost, type LayeredHost } from './resolve/layer-settings';
import { resolveSysctl, type DesiredValue } from './resolve/resolve-sysctl';
import { createPlanMemo, type PlanMemo, type Resolution } from './plan-memo';

/** How the planner gets a host's kernel model: from kernel-model, cached by hardware (see kernel-for-hardware.ts). */
export type KernelLookup = (hardware: Hardware) => HostKernel | { readonly problem: Problem };

/**
 * Plans one host: layer its settings, find its kernel defaults (from its hardware, with discovered or live facts
 * when there are some), resolve and check the desired values, then diff them against what was observed — the
 * live host, or, offline, its facts or the model. A host with errors is `invalid` and gets no changes.
 * Hosts planned with one `memo` share what they have in common: the layering of the same levels, and the
 * resolution of the same settings on the same kernel (see plan-memo.ts).
 */
export function planHost(fleet: FleetModel, index: number, observation: HostObservation | undefined, kernelFor: KernelLookup, memo: PlanMemo = createPlanMemo()): HostPlan {
  const problems: Problem[] = [];
  const layered = layerHost(fleet, index, problems, memo.layers);
  const factsDocument = fleet.facts.get(layered.name);
  const storedFacts = factsDocument?.value.facts;
  const liveFacts = observation !== undefined && !isUnreachable(observation) ? observation.facts : undefined;
  // Live facts win, but discovered ones of the same kernel keep what a live read does not fetch (dmesg, node meminfo).
  const facts: HostFacts | undefined =
    liveFacts === undefined ? storedFacts : storedFacts !== undefined && storedFacts.release === liveFacts.release ? { ...storedFacts, ...liveFacts } : liveFacts;
  const base: Pick<HostPlan, 'name' | 'groups'> & Partial<HostPlan> = {
    name: layered.name,
    groups: [...layered.groups],
    ...(layered.address === undefined ? {} : { address: layered.address }),
    ...(Object.keys(layered.ssh).length === 0 ? {} : { ssh: layered.ssh }),
  };
  const unreachable = isUnreachable(observation) ? observation : undefined;
  if (unreachable !== undefined) {
    problems.push(problem('TCPMEM_UNREACHABLE', `${layered.name} could not be read: ${unreachable.reason}; planned from ${facts === undefined ? 'the kernel model' : 'its discovered facts'}`, { severity: 'warning', file: layered.origin.file, path: layered.origin.pointer, hint: 'Check the address, SSH settings and that the host is up.' }));
  }

  const kernelRelease = layered.hardware.kernel ?? facts?.release;
  const hasMemory = layered.hardware.memory !== undefined || layered.hardware.nodes !== undefined || facts?.zoneinfo !== undefined || facts?.meminfo !== undefined;
  if (kernelRelease === undefined || !hasMemory) {
    const missing = [kernelRelease === undefined ? 'its kernel' : undefined, hasMemory ? undefined : 'its memory'].filter((m) => m !== undefined).join(' and ');
    problems.push(problem('TCPMEM_NO_HARDWARE', `${layered.name}: tcpmem cannot know ${missing}`, {
      file: layered.origin.file,
      path: layered.origin.pointer,
      hint: layered.address === undefined ? 'Give the host a `hardware` block (kernel and memory), or an address to read them from.' : 'Run `tcpmem discover` for this host, plan it live, or give it a `hardware` block.',
    }));
    return { ...base, status: 'invalid', source: 'none', changes: [], problems };
  }
  const hardware: Hardware = { ...layered.hardware, kernel: kernelRelease, ...(facts === undefined ? {} : { facts }) };
  const kernel = kernelFor(hardware);
  if ('problem' in kernel) {
    problems.push({ ...kernel.problem, file: layered.hardwareOrigin?.file ?? layered.origin.file, path: layered.hardwareOrigin?.pointer ?? layered.origin.pointer });
    return { ...base, status: 'invalid', source: 'none', changes: [], problems };
  }

  const resolution = memo.resolution(kernel, layered.settingsKey, () => resolveDesired(layered, kernel));
  problems.push(...resolution.problems);
  const kernelInfo = memo.kernelInfo(kernel);
  if (hasErrors(problems)) return { ...base, kernel: kernelInfo, status: 'invalid', source: 'none', changes: [], problems };

  const observed: Observation = observation !== undefined && !isUnreachable(observation) ? observation : offlineObservation(kernel, facts, factsDocument?.origin, problems);
  let desired = resolution.desired;
  if (observed.source === 'live') {
    const onHost = new Map(desired);
    desired = onHost;
    for (const [name, value] of resolution.desired) {
      if (observed.sysctls.has(name)) continue;
      onHost.delete(name);
      problems.push(problem('TCPMEM_SYSCTL_NOT_ON_HOST', `${name} is not in this host's /proc/sys, so it is left alone`, {
        severity: 'warning',
        file: value.origin.file,
        path: value.origin.pointer,
        hint: 'Whole-host settings such as net.ipv4.tcp_mem exist only in the initial network namespace: this host is probably a container or a network namespace. Set it on the machine that hosts it.',
      }));
    }
  }
  // Offline without facts, every host of this kernel is compared with the same observation: diff once.
  const changes = observed === defaultObservations.get(kernel) ? (resolution.changesOnDefaults ??= diffHost(desired, kernel, observed)) : diffHost(desired, kernel, observed);
  for (const change of changes) {
    const want = desired.get(change.sysctl);
    if (want !== undefined && change.after !== null && !sameValues(want.values, change.after)) checkKeptValue(want, change.after, kernel, problems);
  }
  if (hasErrors(problems)) return { ...base, kernel: kernelInfo, status: 'invalid', source: 'none', changes: [], problems };
  return {
    ...base,
    kernel: kernelInfo,
    status: unreachable === undefined ? 'ok' : 'unreachable',
    source: observed.source,
    observed: observationRecord(observed),
    changes,
    problems,
  };
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
    const derived = deriveWorkload(layered.workload.value, layered.workload.origin, layered.workload.setBy, kernel, desired, problems);
    for (const value of derived?.values ?? []) if (!desired.has(value.name)) desired.set(value.name, value);
  }
  checkDesired(desired, kernel, layered.workload?.value, problems);
  return { desired, problems, changesOnDefaults: undefined };
}

/** What a plan records of an observation; hosts planned from one shared offline observation share one record. */
const records = new WeakMap<Observation, NonNullable<HostPlan['observed']>>();

function observationRecord(observed: Observation): NonNullable<HostPlan['observed']> {
  let record = records.get(observed);
  if (record === undefined) {
    record = {
      fingerprint: fingerprint(observed.sysctls, observed.persisted),
      ...(observed.release === undefined ? {} : { release: observed.release }),
      sysctls: Object.fromEntries([...observed.sysctls].map(([n, v]) => [n, valueText(v)])),
      ...(observed.persisted === undefined ? {} : { persistedFile: observed.persisted.file, persisted: Object.fromEntries([...observed.persisted.own].map(([n, v]) => [n, valueText(v)])) }),
    };
    records.set(observed, record);
  }
  return record;
}

/** Hosts without facts share the kernel's default observation (computed once per kernel). */
const defaultObservations = new WeakMap<HostKernel, Observation>();

/**
 * Offline, the current values are the discovered live values where there are some, else the kernel defaults.
 * A discovered value this kernel could not hold (a file edited by hand, or for another host) is not believed:
 * `{atLeast}` would keep it and plan a write the host refuses.
 */
function offlineObservation(kernel: HostKernel, facts: HostFacts | undefined, factsOrigin: Origin | undefined, problems: Problem[]): Observation {
  if (facts === undefined) {
    let shared = defaultObservations.get(kernel);
    if (shared === undefined) {
      shared = { source: 'model', release: kernel.release, sysctls: kernel.defaults, persisted: undefined, facts: undefined };
      defaultObservations.set(kernel, shared);
    }
    return shared;
  }
  const sysctls = new Map<string, readonly number[]>();
  for (const [name, values] of kernel.defaults) sysctls.set(name, values);
  for (const [name, text] of Object.entries(facts.sysctls ?? {})) {
    if (text === undefined) continue;
    const values = text.trim().split(/\s+/).map(Number);
    // Discovered text that is not a value of this sysctl's shape (edited by hand?) is not believed.
    if (kernel.shapes.get(name)?.fields.length !== values.length || !values.every(Number.isSafeInteger)) continue;
    const check = kernel.checkWrite(name, values);
    if (!check.accepted) {
      problems.push(problem('TCPMEM_FACTS_VALUE', `the discovered ${name} ${values.join(' ')} is not a value kernel ${kernel.release} can hold (${check.reason}), so the kernel default is assumed`, {
        severity: 'warning',
        ...(factsOrigin === undefined ? {} : { file: factsOrigin.file, path: childPointer(factsOrigin.pointer, 'facts', 'sysctls', name) }),
        hint: 'Run `tcpmem discover` for this host again, or plan it live.',
      }));
      continue;
    }
    sysctls.set(name, values);
  }
  return { source: facts.sysctls === undefined ? 'model' : 'facts', release: facts.release ?? kernel.release, sysctls, persisted: undefined, facts };
}
