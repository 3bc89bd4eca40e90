import type { Change, HostPlan, Problem } from '@tcpmem/schema';
import type { HostKernel } from './resolve/host-kernel';
import type { LayerMemo } from './resolve/layer-settings';
import type { DesiredValue } from './resolve/resolve-sysctl';

/** A host's desired values on its kernel, with the problems found resolving and checking them. */
export interface Resolution {
  readonly desired: ReadonlyMap<string, DesiredValue>;
  readonly problems: readonly Problem[];
  /** The diff against the kernel's own defaults (offline, no facts), once a host has needed it. */
  changesOnDefaults: Change[] | undefined;
}

/**
 * What the hosts of one plan share, so a fleet of thousands is resolved once per distinct (kernel, settings)
 * rather than once per host: in a real fleet most hosts differ only in groups that set no sysctls (datacenter,
 * rack) and share a few hundred machine shapes. Everything here is a pure function of its key; results are
 * shared between hosts and must not be mutated.
 */
export interface PlanMemo {
  /** Layered sysctls by the levels that set them. */
  readonly layers: LayerMemo;
  /** The resolution of the settings `settingsKey` names on this kernel, computed by `resolve` the first time. */
  resolution(kernel: HostKernel, settingsKey: string, resolve: () => Resolution): Resolution;
  /** The `kernel` record of a host plan. */
  kernelInfo(kernel: HostKernel): NonNullable<HostPlan['kernel']>;
}

/** A memo for one plan run (the kernel entries it is keyed by come from one kernel lookup). */
export function createPlanMemo(): PlanMemo {
  const resolutions = new WeakMap<HostKernel, Map<string, Resolution>>();
  const kernelInfos = new WeakMap<HostKernel, NonNullable<HostPlan['kernel']>>();
  return {
    layers: new Map(),
    resolution(kernel, settingsKey, resolve) {
      let byKey = resolutions.get(kernel);
      if (byKey === undefined) {
        byKey = new Map();
        resolutions.set(kernel, byKey);
      }
      let resolution = byKey.get(settingsKey);
      if (resolution === undefined) {
        resolution = resolve();
        byKey.set(settingsKey, resolution);
      }
      return resolution;
    },
    kernelInfo(kernel) {
      let info = kernelInfos.get(kernel);
      if (info === undefined) {
        info = { release: kernel.release, series: kernel.series, ...(kernel.notes.length === 0 ? {} : { notes: [...kernel.notes] }) };
        kernelInfos.set(kernel, info);
      }
      return info;
    },
  };
}
