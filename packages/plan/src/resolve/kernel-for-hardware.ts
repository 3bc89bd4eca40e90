import {
  calibrateBuild,
  getSysctl,
  HardwareInputError,
  isSysctlName,
  parseKernelRelease,
  pureKernelModel,
  ramBytes,
  stableSublevelFromProcVersion,
  tsqCeiling,
  tsqNeededLimit,
  tsqRegime,
  type BootDefaults,
  type FactTexts,
  type KernelModel,
  type KernelBuild,
} from '@tcpmem/kernel-model';
import { problem, type FactsDocument, type Hardware } from '@tcpmem/schema';
import type { KernelLookup } from '../plan-host';
import type { SysctlShape, WriteCheck } from './host-kernel';
import { preparedFactsOf } from './prepared-facts';

/**
 * The build profiles the fleet's facts files teach, by release: for each release, the first host (by name) whose
 * facts hold a boot log the model can learn from (calibration in kernel-model). Facts that cannot teach one (no
 * boot log, a log without its first lines) are passed over; the hosts of that release keep the model's estimate.
 */
export function calibrationsFromFacts(facts: ReadonlyMap<string, { readonly value: FactsDocument }>): ReadonlyMap<string, KernelBuild> {
  const builds = new Map<string, KernelBuild>();
  for (const [host, document] of [...facts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // Prepared facts tell without a read whether they could teach; only those that could are read whole.
    const prepared = preparedFactsOf(document.value);
    if (prepared !== undefined && (prepared.facts.release === undefined || !prepared.hasBootLog || builds.has(prepared.facts.release))) continue;
    const f = document.value.facts;
    if (f.release === undefined || f.dmesg === undefined || builds.has(f.release)) continue;
    try {
      builds.set(f.release, calibrateBuild({ dmesg: f.dmesg, zoneinfo: f.zoneinfo, meminfo: f.meminfo, release: f.release, source: host }));
    } catch {
      // Not every boot log can teach a profile; the release then stays estimated (and its notes say so).
    }
  }
  return builds;
}

/**
 * The planner's view of kernel-model for one hardware description: the boot-time defaults of every managed
 * sysctl, their shapes and acceptance rules, or the problem that keeps the model from describing the host. Pure:
 * `model` is kernel-model's pure model, or the same memoised (memo/kernel-lookup.ts shares kernels between hosts).
 */
export function kernelForHardware(hardware: Hardware, model: KernelModel = pureKernelModel, calibrations: ReadonlyMap<string, KernelBuild> = new Map(), texts?: FactTexts): ReturnType<KernelLookup> {
  const version = parseKernelRelease(hardware.kernel);
  if (version === undefined) {
    // The release a host's facts gave (facts win over the hardware block) is the facts file's to fix, not the config's.
    if (hardware.facts?.release !== undefined && hardware.facts.release === hardware.kernel) {
      return { problem: problem('TCPMEM_KERNEL_RELEASE', `"${hardware.kernel}" is not a kernel release`, { path: '/facts/release', hint: "The host's facts (facts/HOST.json, field release) do not hold what `uname -r` prints: run `tcpmem discover` for the host again, or remove its facts file to plan it from the hardware block." }) };
    }
    return { problem: problem('TCPMEM_KERNEL_RELEASE', `"${hardware.kernel}" is not a kernel release`, { hint: 'Write what `uname -r` prints, e.g. 6.1.0-26-amd64, or a series such as 6.12.' }) };
  }
  let boot: BootDefaults;
  try {
    // A host without facts of its own takes the profile learned from another host of its release, if any.
    const hasZoneinfo = texts === undefined ? hardware.facts?.zoneinfo !== undefined : texts.zones !== undefined;
    const build = hasZoneinfo ? undefined : calibrations.get(hardware.kernel);
    boot = model.computeBootDefaults(hardware, { ...(build === undefined ? {} : { build }), ...(texts === undefined ? {} : { factTexts: texts }) });
  } catch (error) {
    // What is wrong may be the host's discovered facts (facts/HOST.json), not the hardware block the place points at.
    const inFacts = error instanceof HardwareInputError && error.path.startsWith('/facts/');
    const hint = inFacts
      ? `The host's discovered facts (facts/HOST.json, field ${error.path.slice('/facts/'.length)}) are not usable: run \`tcpmem discover\` for the host again, or remove its facts file to plan it from the hardware block.`
      : 'Check the hardware block (memory, kernel), or plan the host live.';
    // In facts, the place is the field (`/facts/meminfo`): planHost turns it into a place in the host's facts file.
    return { problem: problem('TCPMEM_MODEL', `the kernel model cannot describe this host: ${(error as Error).message}`, { hint, ...(inFacts ? { path: error.path } : {}) }) };
  }
  // The closures below keep the release only: a kernel outlives the host it was made for, its facts must not.
  const release = hardware.kernel;
  const stableSublevel = hardware.facts?.version === undefined ? undefined : stableSublevelFromProcVersion(hardware.facts.version, version);
  const checkKernelWrite = (name: string, values: readonly number[]): WriteCheck => {
    if (!isSysctlName(name)) return { accepted: false, reason: 'tcpmem does not manage this sysctl', elementIndex: 0 };
    const result = model.checkWrite(name, values, version, stableSublevel === undefined ? {} : { stableSublevel });
    if (result.accepted) return { accepted: true };
    const uncertain = result.certain ? '' : ` (this depends on ${result.dependsOn.join(', ')}, which ${release} does not settle; discovered facts with /proc/version would)`;
    return { accepted: false, reason: `${result.reason}${uncertain}`, elementIndex: result.elementIndex ?? 0 };
  };
  const defaults = new Map<string, readonly number[]>();
  const shapes = new Map<string, SysctlShape>();
  for (const [name, value] of Object.entries(boot.sysctls)) {
    if (!isSysctlName(name)) continue;
    const spec = getSysctl(name);
    if (!spec.managed || !spec.writable) continue;
    defaults.set(name, typeof value === 'number' ? [value] : [...value]);
    shapes.set(name, { name, fields: [...spec.fields], unit: spec.unit });
  }
  const memTotalBytes = ramBytes(hardware, boot);
  return {
    release: hardware.kernel,
    series: boot.kernel.series,
    pageSize: boot.memory.pageSize,
    memTotalBytes,
    defaults,
    shapes,
    checkWrite: checkKernelWrite,
    // What checkKernelWrite reads besides the write: the release (its version, and the reason's text) and sublevel.
    writeRules: JSON.stringify([release, stableSublevel ?? null]),
    tsqCeilingBytesPerSecond: (limit, latency) =>
      tsqCeiling({ limit, completionLatencyNs: Math.round(latency * 1e9), compare: tsqRegime(version).compare }).payloadBytesPerSecond,
    tsqNeededLimitBytes: (rate, latency) => tsqNeededLimit({ version, rate, completionLatencyNs: Math.round(latency * 1e9) }).skbGranularBytes,
    notes: [...boot.kernel.notes, ...boot.notes],
  };
}
