import type { DefaultObservation, KernelInfo, PlanMemo, PlannedOnDefaults, Resolution } from '../plan-host';
import type { HostKernel } from '../resolve/host-kernel';
import type { GroupLevels, LayeredSysctls } from '../resolve/layer-settings';

/** What one kernel's hosts share. */
interface KernelEntry {
  readonly resolutions: Map<string, Resolution>;
  readonly onDefaults: Map<string, PlannedOnDefaults>;
  defaults: DefaultObservation | undefined;
  info: KernelInfo | undefined;
}

/** What `once` needs of a table: a Map, or a WeakMap for object keys. */
interface Table<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

function once<K, V>(table: Table<K, V>, key: K, compute: () => V): V {
  let value = table.get(key);
  if (value === undefined) {
    value = compute();
    table.set(key, value);
  }
  return value;
}

/** How many discovered texts' values a run keeps: more than the ~7,000 distinct texts of 10,000 discovered hosts. */
export const discoveredTextsKept = 16384;

/**
 * The memo of one plan run, so a fleet of thousands is planned once per distinct thing rather than once per host:
 * in a real fleet most hosts differ only in groups that set no sysctls (datacenter, rack) and share a few hundred
 * machine shapes. It shares, by the keys `planHost` gives (see `PlanMemo`): the merged levels of the same group list
 * and the layered sysctls of the same levels (see `ShareLayers`), and per
 * kernel (the `HostKernel` objects of one kernel lookup, memo/kernel-lookup.ts) the resolution of the same settings,
 * what they plan on the kernel's defaults (changes, problems, advice), the default observation and the kernel
 * record, and the numbers of each discovered sysctl text (one list for all the hosts that discovered that text,
 * which the kernel lookup's write checks then find by identity). Results are shared between hosts and must not be
 * changed. With the kernel lookup, this is the only place the planner memoises.
 */
export function createPlanMemo(): PlanMemo {
  const layers = new Map<string, LayeredSysctls>();
  const groupLevels = new Map<string, GroupLevels>();
  // Weak: a kernel the lookup has let go (discovered hosts, one kernel each) takes its entry with it.
  const kernels = new WeakMap<HostKernel, KernelEntry>();
  const entry = (kernel: HostKernel): KernelEntry =>
    once(kernels, kernel, () => ({ resolutions: new Map(), onDefaults: new Map(), defaults: undefined, info: undefined }));
  // Bounded: a discovered fleet has thousands of distinct texts; a run with more starts the table afresh.
  const discovered = new Map<string, readonly number[]>();
  return {
    layers: {
      sysctls: (key, layer) => once(layers, key, layer),
      groups: (key, merge) => once(groupLevels, key, merge),
    },
    resolution: (kernel, settingsKey, resolve) => once(entry(kernel).resolutions, settingsKey, resolve),
    onDefaults: (kernel, settingsKey, plan) => once(entry(kernel).onDefaults, settingsKey, plan),
    defaults: (kernel, observe) => {
      const shared = entry(kernel);
      return (shared.defaults ??= observe());
    },
    kernelInfo: (kernel, describe) => {
      const shared = entry(kernel);
      return (shared.info ??= describe());
    },
    discoveredValues: (text, read) => {
      let values = discovered.get(text);
      if (values === undefined) {
        if (discovered.size >= discoveredTextsKept) discovered.clear();
        values = read(text);
        discovered.set(text, values);
      }
      return values;
    },
  };
}
