import { createModelMemo, type KernelBuild, type KernelModel } from '@tcpmem/kernel-model';
import type { KernelLookup } from '../plan-host';
import { kernelForHardware } from '../resolve/kernel-for-hardware';

/** How many kernels a lookup keeps: far more than the distinct machines of a described fleet, bounded for discovered ones. */
export const kernelLookupCapacity = 4096;

/**
 * The kernel lookup of one plan run: `kernelForHardware` once per distinct hardware description (by its JSON), on a
 * kernel model that shares its own steps between machines (kernel-model's `createModelMemo`). Identical hardware is
 * the common case in a described fleet; hosts of one kernel share one `HostKernel`. `calibrations` (release → build
 * profile, from `calibrationsFromFacts`) give hosts without facts the profile learned from another host. Hardware with
 * discovered facts (no two hosts alike) is computed each time and not kept, and the lookup keeps at most `capacity`
 * kernels (the oldest go first), so memory stays bounded however many hosts a fleet has.
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
      kernel = kernelForHardware(hardware, model, calibrations, parsed?.texts);
      if (kernels.size >= capacity) kernels.delete(kernels.keys().next().value as string);
      kernels.set(key, kernel);
    }
    return kernel;
  };
}
