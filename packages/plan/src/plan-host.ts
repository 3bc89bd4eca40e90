import { hasErrors, problem, type Hardware, type HostFacts, type HostPlan, type Problem } from '@tcpmem/schema';
import type { FleetModel } from './fleet/fleet-model';
import { diffHost } from './diff/diff-host';
import { fingerprint, isUnreachable, valueText, type HostObservation, type Observation } from './observe/observation';
import { checkDesired } from './resolve/check-desired';
import { deriveWorkload } from './resolve/derive-workload';
import type { HostKernel } from './resolve/host-kernel';
import { layerHost } from './resolve/layer-settings';
import { resolveSysctl, type DesiredValue } from './resolve/resolve-sysctl';

/** How the planner gets a host's kernel model: from kernel-model, cached by hardware (see kernel-for-hardware.ts). */
export type KernelLookup = (hardware: Hardware) => HostKernel | { readonly problem: Problem };

/**
 * Plans one host: layer its settings, find its kernel defaults (from its hardware, with discovered or live facts
 * when there are some), resolve and check the desired values, then diff them against what was observed — the
 * live host, or, offline, its facts or the model. A host with errors is `invalid` and gets no changes.
 */
export function planHost(fleet: FleetModel, index: number, observation: HostObservation | undefined, kernelFor: KernelLookup): HostPlan {
  const problems: Problem[] = [];
  const layered = layerHost(fleet, index, problems);
  const storedFacts = fleet.facts.get(layered.name)?.value.facts;
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

  const kernelInfo = { release: kernel.release, series: kernel.series, ...(kernel.notes.length === 0 ? {} : { notes: [...kernel.notes] }) };
  if (hasErrors(problems)) return { ...base, kernel: kernelInfo, status: 'invalid', source: 'none', changes: [], problems };

  const observed: Observation = observation !== undefined && !isUnreachable(observation) ? observation : offlineObservation(kernel, facts);
  if (observed.source === 'live') {
    for (const [name, value] of desired) {
      if (observed.sysctls.has(name)) continue;
      desired.delete(name);
      problems.push(problem('TCPMEM_SYSCTL_NOT_ON_HOST', `${name} is not in this host's /proc/sys, so it is left alone`, {
        severity: 'warning',
        file: value.origin.file,
        path: value.origin.pointer,
        hint: 'Whole-host settings such as net.ipv4.tcp_mem exist only in the initial network namespace: this host is probably a container or a network namespace. Set it on the machine that hosts it.',
      }));
    }
  }
  const changes = diffHost(desired, kernel, observed);
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

/** Offline, the current values are the discovered live values where there are some, else the kernel defaults. */
function offlineObservation(kernel: HostKernel, facts: HostFacts | undefined): Observation {
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
    if (kernel.shapes.get(name)?.fields.length === values.length && values.every(Number.isSafeInteger)) sysctls.set(name, values);
  }
  return { source: facts.sysctls === undefined ? 'model' : 'facts', release: facts.release ?? kernel.release, sysctls, persisted: undefined, facts };
}
