import { createModelMemo, type KernelBuild, type KernelModel } from '@tcpmem/kernel-model';
import type { KernelLookup } from '../plan-host';
import { kernelForHardware } from '../resolve/kernel-for-hardware';

/**
 * The kernel lookup of one plan run: `kernelForHardware` once per distinct hardware description (by its JSON),
 * on a kernel model that shares its own steps between machines (kernel-model's `createModelMemo`). Identical
 * hardware is the common case in a fleet; hosts of one kernel share one `HostKernel`. `calibrations` (release →
 * build profile, from `calibrationsFromFacts`) give hosts without facts the profile learned from another host.
 */
export function createKernelLookup(model: KernelModel = createModelMemo(), calibrations: ReadonlyMap<string, KernelBuild> = new Map()): KernelLookup {
  const kernels = new Map<string, ReturnType<KernelLookup>>();
  return (hardware) => {
    const key = JSON.stringify(hardware);
    let kernel = kernels.get(key);
    if (kernel === undefined) {
      kernel = kernelForHardware(hardware, model, calibrations);
      kernels.set(key, kernel);
    }
    return kernel;
  };
}
