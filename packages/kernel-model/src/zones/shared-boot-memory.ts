import type { Machine } from '../hardware/normalize-hardware';
import { deepFreeze } from '../memo/deep-freeze';
import { LruCache } from '../memo/lru-cache';
import { memoKey } from '../memo/memo-key';
import type { KernelBuild } from '../series/kernel-build';
import type { SeriesFacts } from '../series/series-facts';
import { computeBootMemory, hardwareMemoryInputs, memoryLayout, type BootMemory, type LayoutMachine, type MemoryLayout } from './boot-memory';

// Internal to kernel-model (zones/index.ts does not export this file): the shared objects never reach a caller,
// because computeBootDefaults builds its result from new objects (a test writes over a result and checks the next).
// Nothing may write to them. Layouts are frozen (few, and cheap to freeze); boot memories are not: freezing the
// 627 of the 10,000-host benchmark cost 14 ms of CPU, half of what sharing them saves.

/** RAM maps and zone spans, by the six inputs they read; few in any fleet (36 for the 10,000-host benchmark). */
const layouts = new LruCache<string, MemoryLayout>(256);

/** Boot memory by everything the hardware path reads; at most 1024 machines are kept, for long-running processes. */
const memories = new LruCache<string, BootMemory>(1024);

/**
 * The RAM map and zone spans of a machine, computed once per distinct memory per node, firmware layout, `numa=off`,
 * `mem=`, `movablecore=` and `kernelcore=`: machines that differ in CPUs, THP mode, initrd or kernel share it.
 */
export function sharedMemoryLayout(machine: LayoutMachine): MemoryLayout {
  const { boot } = machine;
  const inputs: LayoutMachine = {
    nodes: machine.nodes.map((node) => ({ memoryBytes: node.memoryBytes })),
    platform: machine.platform,
    boot: { numaOff: boot.numaOff, mem: boot.mem, movablecore: boot.movablecore, kernelcore: boot.kernelcore },
  };
  return layouts.getOrCompute(memoKey(inputs), () => deepFreeze(memoryLayout(inputs)));
}

/**
 * `bootMemoryFromHardware`, computed once per distinct `HardwareMemoryInputs` (exactly the fields the RAM map,
 * reservations and watermarks read): machines that differ only in what they do not read share it, e.g. two
 * releases of one series with the same build profile (6.1.0-26-amd64 and 6.1.0-28-amd64), or `thash_entries`.
 * CPUs are read (the percpu first chunk is reserved per possible CPU), as are the THP mode (watermarks) and the
 * release's build profile (fixed reservations) and series facts.
 */
export function sharedBootMemory(machine: Machine, series: SeriesFacts, build: KernelBuild): BootMemory {
  const inputs = hardwareMemoryInputs(machine, series, build);
  return memories.getOrCompute(memoKey(inputs), () => computeBootMemory(inputs, sharedMemoryLayout(inputs.machine)));
}
