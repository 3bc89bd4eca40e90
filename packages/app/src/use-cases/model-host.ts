import { bootDefaultRanges, computeBootDefaults, formatSysctlValue, ramBytes, tsqSummary, type BootDefaults, type PacingDevice, type SysctlRange, type TsqSummary } from '@tcpmem/kernel-model';
import type { Hardware, ModelReport, TsqReport } from '@tcpmem/schema';
import { userError } from '../errors/errors';
import { buildFromCalibrationFile } from './calibration-input';
import { describeHardware, readOptional, type HostDescription } from './describe-hardware';

/** What to model besides the boot defaults. */
export interface ModelHostOptions {
  /** Add the derivation (zones, watermarks, each formula with its kernel function) to the report. */
  readonly explain: boolean;
  /** Learn the kernel build from this file: a facts file of `tcpmem discover`, or a raw dmesg of one boot. */
  readonly calibrate?: string | undefined;
  /** Model TCP Small Queues for flows of this rate (bytes/s) and TX completion latency (ns). */
  readonly tsq?:
    | {
        readonly flowRate: number;
        readonly completionLatencyNs: number;
        readonly flows: number;
        /** The sending interface's driver class, which sets sk_pacing_shift (default wired). */
        readonly driver?: PacingDevice;
        /** net.ipv4.tcp_limit_output_bytes to model instead of the kernel default. */
        readonly tcpLimitOutputBytes?: number;
      }
    | undefined;
}

/** A host run through the kernel model: the report (schema `$defs/ModelReport`) and what its rendering needs. */
export interface ModelledHost {
  readonly report: ModelReport;
  /** The host's RAM in bytes (as given, or the model's), for shares of memory. */
  readonly ramBytes: number;
  readonly tsq: TsqSummary | undefined;
}

/**
 * `tcpmem model`: describes the host (a hardware file, fields, captured /proc files), computes the TCP memory
 * defaults its kernel sets at boot and, when asked, TCP Small Queues for a flow. A host the model cannot
 * describe is the user's error (TCPMEM_MODEL).
 */
export function modelHost(description: HostDescription, options: ModelHostOptions): ModelledHost {
  const hardware = describeHardware(description);
  const build = options.calibrate === undefined ? undefined : buildFromCalibrationFile(options.calibrate, { zoneinfo: readOptional(description.zoneinfo), meminfo: readOptional(description.meminfo) });
  const assumptions = build === undefined ? {} : { build };
  let boot: BootDefaults;
  try {
    boot = computeBootDefaults(hardware, assumptions);
  } catch (error) {
    throw userError('TCPMEM_MODEL', `the kernel model cannot describe this host: ${(error as Error).message}`, 'Check the memory and kernel given.');
  }
  let tsq: TsqSummary | undefined;
  if (options.tsq !== undefined) {
    const limitValue = options.tsq.tcpLimitOutputBytes ?? boot.sysctls['net.ipv4.tcp_limit_output_bytes'];
    const wmem = boot.sysctls['net.ipv4.tcp_wmem'];
    // the simulation's send buffer stands in for tcp_wmem[2], the most a socket may keep unacknowledged
    const sndbuf: unknown = Array.isArray(wmem) ? (wmem as readonly unknown[])[2] : undefined;
    tsq = tsqSummary({
      version: hardware.kernel,
      flowRate: options.tsq.flowRate,
      completionLatencyNs: options.tsq.completionLatencyNs,
      cpus: hardware.cpus ?? 1,
      flows: options.tsq.flows,
      driver: options.tsq.driver ?? 'wired',
      ...(typeof limitValue === 'number' ? { tcpLimitOutputBytes: limitValue } : {}),
      ...(typeof sndbuf === 'number' ? { sndbufBytes: sndbuf } : {}),
    });
  }
  const ranges = bootDefaultRanges(hardware, assumptions, boot);
  return { report: toModelReport(hardware, boot, options.explain, tsq === undefined ? undefined : toTsqReport(tsq), ranges), ramBytes: ramBytes(hardware, boot), tsq };
}

/** The JSON document of a model run (schema `$defs/ModelReport`). */
export function toModelReport(hardware: Hardware, boot: BootDefaults, explain: boolean, tsq: TsqReport | undefined, ranges?: Readonly<Record<string, SysctlRange>>): ModelReport {
  return {
    kind: 'model',
    formatVersion: 1,
    kernel: { release: boot.kernel.release, series: boot.kernel.series, build: boot.kernel.build, buildProfile: buildProfileOf(boot.kernel.buildProfile), notes: [...boot.kernel.notes] },
    hardware,
    sysctls: Object.fromEntries(Object.entries(boot.sysctls).map(([name, value]) => [name, formatSysctlValue(value)])),
    hashTables: { ...boot.hashTables },
    memory: { ...boot.memory },
    zones: boot.zones.map((z) => ({ ...z })),
    ...(explain ? { explain: boot.explain.map((s) => ({ ...s, inputs: { ...s.inputs } })) } : {}),
    notes: [...boot.notes],
    ...(ranges === undefined ? {} : { ranges: Object.fromEntries(Object.entries(ranges).map(([name, r]) => [name, { low: formatSysctlValue(r.low), high: formatSysctlValue(r.high) }])) }),
    ...(tsq === undefined ? {} : { tsq }),
  };
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** The TSQ part of a model report (schema `$defs/TsqReport`): infinities as null. */
export function toTsqReport(s: TsqSummary): TsqReport {
  const sim = s.simulation;
  return {
    series: s.series,
    regime: s.regime,
    ...(s.mechanism === undefined ? {} : { mechanism: { kind: s.mechanism.kind, perCpu: s.mechanism.perCpu, handler: s.mechanism.handler } }),
    driver: s.driver,
    pacingShift: s.pacingShift.value,
    ...(s.pacingRate === undefined ? {} : { pacingRateBytesPerSecond: s.pacingRate }),
    flowRateBytesPerSecond: s.flowRate,
    completionLatencyNs: s.completionLatencyNs,
    tcpLimitOutputBytes: s.tcpLimitOutputBytes.value,
    limitBytes: finite(s.limit.limit),
    limitFormula: s.limit.formula,
    sendAnyway: s.sendAnyway,
    ceilingBytesPerSecond: finite(s.ceiling.bytesPerSecond),
    payloadCeilingBytesPerSecond: finite(s.ceiling.payloadBytesPerSecond),
    capsFlow: s.capsFlow,
    neededLimitBytes: s.needed.skbGranularBytes,
    remedy: s.remedy,
    notes: [...s.notes],
    ...(sim === undefined
      ? {}
      : {
          simulation: {
            flows: sim.flows, cpus: sim.cpus, throughputPerFlowMean: sim.throughputPerFlow.mean, measured: sim.measured, reachedFlowRate: sim.reachedFlowRate,
            avgQueuedBytes: sim.avgQueuedBytes, maxQueuedBytes: sim.maxQueuedBytes, throttles: sim.throttles, taskletRuns: sim.taskletRuns,
            deferrals: sim.deferrals, eventsProcessed: sim.eventsProcessed, simulatedNs: sim.simulatedNs, stoppedBy: sim.stoppedBy,
          },
        }),
  };
}

/** The report's copy of the build profile (its estimate's range as a plain array). */
function buildProfileOf(profile: BootDefaults['kernel']['buildProfile']): NonNullable<ModelReport['kernel']['buildProfile']> {
  const { estimate, ...rest } = profile;
  return estimate === undefined ? { ...rest } : { ...rest, estimate: { centre: estimate.centre, from: estimate.from, fixedPages: [...estimate.fixedPages] } };
}
