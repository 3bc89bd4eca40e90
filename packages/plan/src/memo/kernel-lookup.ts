import { createModelMemo, type KernelBuild, type KernelModel } from '@tcpmem/kernel-model';
import type { KernelLookup } from '../plan-host';
import type { WriteCheck } from '../resolve/host-kernel';
import { kernelForHardware } from '../resolve/kernel-for-hardware';

/** How many kernels a lookup keeps: far more than the distinct machines of a described fleet, bounded for discovered ones. */
export const kernelLookupCapacity = 4096;

/**
 * The kernel lookup of one plan run: `kernelForHardware` once per distinct hardware description (by its JSON), on a
 * kernel model that shares its own steps between machines (kernel-model's `createModelMemo`). Identical hardware is
 * the common case in a described fleet; hosts of one kernel share one `HostKernel`, which keeps its write checks.
 * `calibrations` (release → build profile, from `calibrationsFromFacts`) give hosts without facts the profile
 * learned from another host. Discovered facts come prepared (`parsed`: their texts parsed when the file was read)
 * and are keyed by what the model reads of them, so hosts of one machine type share a kernel though their texts
 * differ; facts given whole (texts unparsed) are computed each time and not kept. The lookup keeps at most
 * `capacity` kernels (the oldest go first), so memory stays bounded however many hosts a fleet has.
 */
export function createKernelLookup(
  model: KernelModel = createModelMemo(),
  calibrations: ReadonlyMap<string, KernelBuild> = new Map(),
  capacity: number = kernelLookupCapacity,
): KernelLookup {
  const kernels = new Map<string, ReturnType<KernelLookup>>();
  return (hardware, parsed) => {
    // Discovered facts whose texts are not parsed (tens of kilobytes, never alike between hosts): keying them would
    // cost their JSON per host for no hit, and keeping them would keep every host's texts. Parsed, they are keyed
    // by what the model reads of them, which hosts of one machine type share.
    if (hardware.facts !== undefined && parsed === undefined) return kernelForHardware(hardware, model, calibrations);
    const key = parsed === undefined ? JSON.stringify(hardware) : `${JSON.stringify(hardware)}\n${parsed.key}`;
    let kernel = kernels.get(key);
    if (kernel === undefined) {
      kernel = keepWriteChecks(kernelForHardware(hardware, model, calibrations, parsed?.texts));
      if (kernels.size >= capacity) kernels.delete(kernels.keys().next().value as string);
      kernels.set(key, kernel);
    }
    return kernel;
  };
}

/** How many write checks a kept kernel keeps. */
export const kernelWriteChecks = 1024;

/**
 * A kept kernel that also keeps its write checks: the hosts that share it ask about the same discovered values
 * (bounded: a run with more distinct values starts the table afresh). The answers are only read. A list of values
 * asked about before (the planner reads each discovered text once: hosts with the same text pass the same list)
 * finds its answer by identity, without the text of the key.
 */
function keepWriteChecks(kernel: ReturnType<KernelLookup>): ReturnType<KernelLookup> {
  if ('problem' in kernel) return kernel;
  const checks = new Map<string, WriteCheck>();
  // A list's first answer, by identity (a list is asked about for one sysctl, as a rule: one small record each).
  const byList = new WeakMap<readonly number[], { readonly name: string; readonly check: WriteCheck }>();
  return {
    ...kernel,
    checkWrite: (name, values) => {
      const known = byList.get(values);
      if (known?.name === name) return known.check;
      const key = `${name} ${values.join(' ')}`;
      let check = checks.get(key);
      if (check === undefined) {
        if (checks.size >= kernelWriteChecks) checks.clear();
        check = kernel.checkWrite(name, values);
        checks.set(key, check);
      }
      if (known === undefined) byList.set(values, { name, check });
      return check;
    },
  };
}
