import type { Hardware } from '@tcpmem/schema';
import type { BootAssumptions, Machine } from '../hardware/normalize-hardware';
import { kernelBuildFor, type KernelBuild } from '../series/kernel-build';
import type { KernelVersion } from '../series/kernel-version';
import { seriesFactsFor, type SeriesFacts, type VersionNumbers } from '../series/series-facts';
import { checkWrite, writeProfiles, type WriteCheck, type WriteContext, type WriteProfiles } from '../sysctls/check-write';
import type { SysctlName } from '../sysctls/sysctl-definition';
import { computeBootDefaults, type BootDefaults, type BootSteps } from '../tcp-init/compute-boot-defaults';
import { computeBootMemory, memoryLayout, type BootMemory, type HardwareMemoryInputs, type LayoutMachine, type MemoryLayout } from '../zones/boot-memory';
import { deepFreeze } from './deep-freeze';
import { LruCache } from './lru-cache';
import { memoKey } from './memo-key';

/**
 * What a planner asks of the model for each machine: its boot defaults, and whether its kernel accepts a write.
 * `pureKernelModel` computes every answer; `createModelMemo()` shares what machines have in common.
 */
export interface KernelModel {
  computeBootDefaults(hardware: Hardware, assumptions?: BootAssumptions): BootDefaults;
  checkWrite(name: SysctlName, values: readonly number[], version: KernelVersion, context?: WriteContext): WriteCheck;
}

/** The model computed afresh for every question. */
export const pureKernelModel: KernelModel = {
  computeBootDefaults: (hardware, assumptions) => computeBootDefaults(hardware, assumptions),
  checkWrite: (name, values, version, context) => checkWrite(name, values, version, context),
};

/** How many entries each table keeps (least recently used first out), for long-running processes. */
export interface ModelMemoCapacities {
  /** Series facts by major.minor.patch. */
  readonly seriesFacts: number;
  /** RAM maps and zone spans: few in any fleet (36 for the 10,000-host benchmark). */
  readonly layouts: number;
  /** Boot memories, by everything the hardware path reads. */
  readonly bootMemories: number;
  /** Kernel build profiles, by release and architecture (22 releases in the 10,000-host benchmark); default 256. */
  readonly builds?: number;
  /** Kernel profiles of a write: (sysctls × series × sublevels × namespaces), a few hundred at most. */
  readonly profiles: number;
  /** Write checks, by sysctl, values, version and context. */
  readonly writeChecks: number;
}

export const defaultModelMemoCapacities: ModelMemoCapacities = { seriesFacts: 256, layouts: 256, bootMemories: 1024, builds: 256, profiles: 1024, writeChecks: 16384 };

/** The model with its costly steps shared between machines; every step is also exposed for tests. */
export interface ModelMemo extends KernelModel, BootSteps {
  readonly seriesFacts: (version: VersionNumbers) => SeriesFacts;
  readonly memoryLayout: (machine: LayoutMachine) => MemoryLayout;
  readonly bootMemory: (inputs: HardwareMemoryInputs) => BootMemory;
  readonly kernelBuild: (version: KernelVersion, arch: Machine['arch']) => KernelBuild;
  readonly writeProfiles: WriteProfiles;
}

/**
 * The one place kernel-model memoises: the pure functions (`seriesFactsFor`, `computeBootMemory`, `memoryLayout`,
 * `writeProfiles`, `checkWrite`) wrapped in bounded tables keyed by exactly what each reads, and passed to the pure
 * pipelines (`computeBootDefaults`, `checkWrite`) as their steps. Planning a fleet asks about hundreds of similar
 * machines, so one memo per plan answers each distinct question once. Results are the same as `pureKernelModel`'s.
 *
 * What a caller receives is frozen (series facts, profiles, write checks), or never reaches it: boot memories and
 * layouts stay inside, because `computeBootDefaults` builds its result from new objects (freezing the 627 boot
 * memories of the 10,000-host benchmark cost 14 ms of CPU, half of what sharing them saves).
 */
export function createModelMemo(capacities: ModelMemoCapacities = defaultModelMemoCapacities): ModelMemo {
  const facts = new LruCache<string, SeriesFacts>(capacities.seriesFacts);
  const layouts = new LruCache<string, MemoryLayout>(capacities.layouts);
  const memories = new LruCache<string, BootMemory>(capacities.bootMemories);
  const builds = new LruCache<string, KernelBuild>(capacities.builds ?? 256);
  const profiles = new LruCache<string, ReturnType<WriteProfiles>>(capacities.profiles);
  const checks = new LruCache<string, WriteCheck>(capacities.writeChecks);

  // Releases that differ only in their suffix share one frozen facts object (patch '' when absent: 4.4's notes tell the two apart).
  const seriesFacts = (version: VersionNumbers): SeriesFacts =>
    facts.getOrCompute(`${version.major}.${version.minor}.${version.patch ?? ''}`, () => deepFreeze(seriesFactsFor(version)));

  // Machines that differ in CPUs, THP mode, initrd or kernel share a RAM map: it reads memory per node, the firmware
  // layout, numa=off, mem=, movablecore= and kernelcore= only.
  const sharedLayout = (machine: LayoutMachine): MemoryLayout => {
    const { boot } = machine;
    const inputs: LayoutMachine = {
      nodes: machine.nodes.map((node) => ({ memoryBytes: node.memoryBytes })),
      platform: machine.platform,
      boot: { numaOff: boot.numaOff, mem: boot.mem, movablecore: boot.movablecore, kernelcore: boot.kernelcore },
    };
    return layouts.getOrCompute(memoKey(inputs), () => deepFreeze(memoryLayout(inputs)));
  };

  // Keyed by HardwareMemoryInputs, exactly the fields the RAM map, reservations and watermarks read: e.g. two releases
  // of one series with the same build profile (6.1.0-26-amd64 and 6.1.0-28-amd64), or `thash_entries`, share one.
  const bootMemory = (inputs: HardwareMemoryInputs): BootMemory => memories.getOrCompute(memoKey(inputs), () => computeBootMemory(inputs, sharedLayout(inputs.machine)));

  const sharedProfiles: WriteProfiles = (definition, version, sublevel, namespace) =>
    profiles.getOrCompute(`${definition.name}|${version.major}.${version.minor}|${sublevel ?? ''}|${namespace}`, () => deepFreeze(writeProfiles(definition, version, sublevel, namespace)));

  // kernelBuildFor reads the release (its series, flavour and text) and the architecture, all in the key. Like boot
  // memories, a build stays inside: computeBootDefaults copies what it reports of one.
  const kernelBuild = (version: KernelVersion, arch: Machine['arch']): KernelBuild => builds.getOrCompute(`${memoKey(version)}|${arch}`, () => kernelBuildFor(version, arch));

  const steps: BootSteps = { seriesFacts, bootMemory, kernelBuild };
  return {
    seriesFacts,
    memoryLayout: sharedLayout,
    bootMemory,
    kernelBuild,
    writeProfiles: sharedProfiles,
    computeBootDefaults: (hardware, assumptions) => computeBootDefaults(hardware, assumptions, steps),
    checkWrite: (name, values, version, context = {}) =>
      checks.getOrCompute(`${name}|${values.join(' ')}|${memoKey(version)}|${context.stableSublevel ?? ''}|${context.namespace ?? ''}`, () =>
        deepFreeze(checkWrite(name, values, version, context, sharedProfiles)),
      ),
  };
}
