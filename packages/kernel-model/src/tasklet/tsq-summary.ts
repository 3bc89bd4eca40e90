import { defaultSkb } from './default-skb';
import { latencyAround } from './latency-distribution';
import { skPacingRate, skPacingShiftOf, type PacingDevice, type SkPacingStatus } from './sk-pacing';
import { simulateTsq } from './simulate-tsq';
import { tcpLimitOutputBytesDefault } from './tcp-limit-output-bytes-default';
import { tsqCeiling, tsqLimitFor, type TsqCeiling, type TsqLimitFor } from './tsq-ceiling';
import { tsqKernel, type TsqKernelInput } from './tsq-kernel';
import { tsqLimit, type TsqLimit } from './tsq-limit';
import { tsqMechanism, type TsqMechanism } from './tsq-mechanism';
import { tsqRegime, type TsqRegimeId, type TsqSendAnyway } from './tsq-regime';

/** The question `tcpmem model --flow-rate 25Gbit --completion-latency 500us` asks. */
export interface TsqSummaryInput {
  readonly version: TsqKernelInput;
  /** Offered rate of each flow, bytes per second. */
  readonly flowRate: number;
  /** Mean time an skb stays below TCP (qdisc + driver + TX completion), ns. */
  readonly completionLatencyNs: number;
  /** Default 1. */
  readonly cpus?: number;
  /** Default 1; spread over the CPUs round-robin. */
  readonly flows?: number;
  /** The effective `net.ipv4.tcp_limit_output_bytes`; default the series' default. */
  readonly tcpLimitOutputBytes?: number;
  /** Default `none` (no fq qdisc, no BBR): the case where the sysctl caps in 5.0–6.15. */
  readonly pacingStatus?: SkPacingStatus;
  /** The driver class that sets `sk_pacing_shift` (see `skPacingShiftOf`); default `wired`. */
  readonly driver?: PacingDevice;
  /** `sk_pacing_shift`, overriding what `driver` gives. */
  readonly pacingShift?: number;
  /** `tcp_wmem[2]`, the most the send buffer autotunes to: the simulation's stand-in for sndbuf (and cwnd). */
  readonly sndbufBytes?: number;
  /** `sk_pacing_rate`; default what `tcp_update_pacing_rate` sets in congestion avoidance for `flowRate`. */
  readonly pacingRate?: number;
  readonly skbSize?: number;
  readonly skbTruesize?: number;
  /** Spread of the completion latency, a fraction (0.2 = uniform ±20 %); default 0. */
  readonly jitter?: number;
  readonly seed?: number;
  /** Run the simulation as well as the closed form; default true. */
  readonly simulate?: boolean;
  /** Event budget of the simulation; default 30 000 (tens of milliseconds). */
  readonly maxEvents?: number;
}

/**
 * What would raise the ceiling: nothing (TSQ does not cap), `tcp_limit_output_bytes` (it is the binding term, or the
 * floor in 3.12–3.18), or the pacing term (`sk_pacing_rate >> sk_pacing_shift` or `2 * truesize` binds below the
 * sysctl, so raising the sysctl alone cannot help).
 */
export type TsqRemedy = 'none' | 'raise-tcp-limit-output-bytes' | 'pacing-term-binds' | 'tsq-off' | 'new-data-stalls';

/** The simulation's answer, reduced to what a summary shows. */
export interface TsqSimulationSummary {
  readonly flows: number;
  readonly cpus: number;
  readonly throughputPerFlow: { readonly mean: number; readonly min: number; readonly max: number };
  /**
   * Whether every flow completed an skb in the measured window or left data unsent; otherwise the window was too
   * short for the flow's skb rate and the throughput is no measurement.
   */
  readonly measured: boolean;
  /**
   * Every flow carried its offered rate: measured, at most one skb short of `rate * window` in the window, and at
   * most one skb left unsent at the end (a capped flow falls behind by `1 - ceiling / rate` of its skbs).
   */
  readonly reachedFlowRate: boolean;
  readonly avgQueuedBytes: number;
  readonly maxQueuedBytes: number;
  readonly throttles: number;
  readonly taskletRuns: number;
  readonly socketsPerRun: { readonly mean: number; readonly max: number };
  readonly deferrals: number;
  readonly eventsProcessed: number;
  readonly simulatedNs: number;
  readonly stoppedBy: 'time' | 'events' | 'idle';
}

/** TSQ for one kernel and one kind of flow: the limit, the ceiling it implies, and what the simulation saw. */
export interface TsqSummary {
  readonly series: string;
  readonly regime: TsqRegimeId;
  readonly mechanism: TsqMechanism | undefined;
  readonly driver: PacingDevice;
  /** `sk_pacing_shift` and the kernel source it is read from (10 and a fixed shift before 4.15). */
  readonly pacingShift: { readonly value: number; readonly source: string };
  readonly tcpLimitOutputBytes: { readonly value: number; readonly source: 'default' | 'given' };
  readonly flowRate: number;
  /** `sk_pacing_rate`; undefined on kernels without the field (vanilla 3.6–3.11). */
  readonly pacingRate: number | undefined;
  readonly completionLatencyNs: number;
  readonly limit: TsqLimit;
  /** When `tcp_small_queue_check` sends although over the limit (by series and stable sublevel). */
  readonly sendAnyway: TsqSendAnyway;
  readonly ceiling: TsqCeiling;
  /** TSQ keeps a flow below `flowRate` (whole-skb payload ceiling below the rate). */
  readonly capsFlow: boolean;
  /** The limit the rate needs at this latency. */
  readonly needed: TsqLimitFor;
  readonly remedy: TsqRemedy;
  readonly simulation: TsqSimulationSummary | undefined;
  /** What the model could not pin or the operator must know: the limit's notes, then the driver's. */
  readonly notes: readonly string[];
}

function remedyFor(limit: TsqLimit, capsFlow: boolean): TsqRemedy {
  if (!limit.applies) return 'tsq-off';
  if (limit.stalls) return 'new-data-stalls';
  if (!capsFlow) return 'none';
  if (limit.regime === 'fixed' || limit.regime === 'pacing-floor' || limit.bindingTerm === 'tcp_limit_output_bytes') {
    return 'raise-tcp-limit-output-bytes';
  }
  return 'pacing-term-binds';
}

/** Skbs per flow the simulated time should hold, so that a flow one skb in `skbsPerRun` short shows. */
const skbsPerRun = 200;

/**
 * A simulated time of at least 40 completion rounds and `skbsPerRun` skb arrivals per flow (a slow flow writes an
 * skb every `size / rate`), within about 80 % of the event budget, and never under 10 rounds.
 */
function simulatedTime(input: TsqSummaryInput, flows: number, size: number, maxEvents: number): number {
  const latency = input.completionLatencyNs;
  const eventsPerSecond = Math.max(1, flows * ((3 * input.flowRate) / size));
  const budget = ((0.8 * maxEvents) / eventsPerSecond) * 1e9;
  const wanted = Math.max(40 * latency, (skbsPerRun * size * 1e9) / input.flowRate + latency);
  return Math.round(Math.max(10 * latency, Math.min(wanted, budget)));
}

/** The kernel-aware inverse of the ceiling: the limit `rate` needs at this latency under the kernel's own test. */
export function tsqNeededLimit(input: {
  readonly version: TsqKernelInput;
  readonly rate: number;
  readonly completionLatencyNs: number;
  readonly skbSize?: number;
  readonly skbTruesize?: number;
}): TsqLimitFor {
  return tsqLimitFor({
    rate: input.rate,
    completionLatencyNs: input.completionLatencyNs,
    compare: tsqRegime(input.version).compare,
    ...(input.skbSize === undefined ? {} : { skbSize: input.skbSize }),
    ...(input.skbTruesize === undefined ? {} : { skbTruesize: input.skbTruesize }),
  });
}

/** The TSQ answer for `tcpmem model`: limit, closed-form ceiling, whether it caps the flow, and a short simulation. */
export function tsqSummary(input: TsqSummaryInput): TsqSummary {
  if (!(input.flowRate > 0) || !(input.completionLatencyNs > 0)) {
    throw new RangeError('tsqSummary: flowRate and completionLatencyNs must be positive.');
  }
  const kernel = tsqKernel(input.version);
  const regime = tsqRegime(kernel);
  const size = input.skbSize ?? defaultSkb.size;
  const truesize = input.skbTruesize ?? defaultSkb.truesize;
  const flows = input.flows ?? 1;
  const cpus = input.cpus ?? 1;
  const sysctl = input.tcpLimitOutputBytes ?? tcpLimitOutputBytesDefault(kernel) ?? 0;
  const pacingRate = regime.hasPacingRate ? (input.pacingRate ?? skPacingRate(kernel, input.flowRate)) : 0;
  const driver = input.driver ?? 'wired';
  const shift = skPacingShiftOf(kernel, driver);
  const pacingShift = input.pacingShift ?? shift.shift;
  const shared = {
    ...(input.pacingStatus === undefined ? {} : { pacingStatus: input.pacingStatus }),
    pacingShift,
  };
  const limit = tsqLimit({
    version: kernel,
    ...(input.tcpLimitOutputBytes === undefined ? {} : { tcpLimitOutputBytes: input.tcpLimitOutputBytes }),
    pacingRate,
    skbTruesize: truesize,
    ...shared,
  });
  const ceiling = tsqCeiling({
    limit: limit.limit,
    compare: limit.compare,
    completionLatencyNs: input.completionLatencyNs,
    skbSize: size,
    skbTruesize: truesize,
  });
  const capsFlow = ceiling.payloadBytesPerSecond < input.flowRate;
  let simulation: TsqSimulationSummary | undefined;
  if (input.simulate !== false && flows > 0) {
    const maxEvents = input.maxEvents ?? 30_000;
    const result = simulateTsq({
      version: kernel,
      cpus,
      tcpLimitOutputBytes: sysctl,
      flows: Array.from({ length: flows }, (_, index) => ({
        cpu: index % cpus,
        app: { kind: 'rate' as const, bytesPerSecond: input.flowRate },
        skbSize: size,
        skbTruesize: truesize,
        pacingRate,
        ...shared,
        ...(input.sndbufBytes === undefined ? {} : { maxUnackedBytes: input.sndbufBytes }),
      })),
      completionLatency: latencyAround(input.completionLatencyNs, input.jitter ?? 0),
      seed: input.seed ?? 1,
      maxTimeNs: simulatedTime(input, flows, size, maxEvents),
      maxEvents,
    });
    const rates = result.flows.map((flow) => flow.throughput);
    const mean = rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
    // A window with no completion measures nothing, unless the app's data waited unsent (then 0 B/s is the answer).
    const measured = result.flows.every((flow) => flow.completedInWindow > 0 || flow.unsentSkbs > 0);
    const reached = result.flows.every(
      (flow) => flow.completedInWindow * size >= (input.flowRate * flow.windowNs) / 1e9 - size && flow.unsentSkbs <= 1,
    );
    simulation = {
      flows,
      cpus,
      throughputPerFlow: { mean, min: Math.min(...rates), max: Math.max(...rates) },
      measured,
      reachedFlowRate: measured && reached,
      avgQueuedBytes: result.flows.reduce((sum, flow) => sum + flow.avgQueuedBytes, 0) / flows,
      maxQueuedBytes: Math.max(...result.flows.map((flow) => flow.maxQueuedBytes)),
      throttles: result.flows.reduce((sum, flow) => sum + flow.throttles, 0),
      taskletRuns: result.taskletRuns,
      socketsPerRun: result.socketsPerRun,
      deferrals: result.deferrals,
      eventsProcessed: result.eventsProcessed,
      simulatedNs: result.simulatedNs,
      stoppedBy: result.stoppedBy,
    };
  }
  return {
    series: regime.series,
    regime: regime.id,
    mechanism: tsqMechanism(kernel),
    driver,
    pacingShift: { value: regime.hasPacingShift ? pacingShift : 10, source: input.pacingShift === undefined ? shift.source : 'given' },
    tcpLimitOutputBytes: { value: sysctl, source: input.tcpLimitOutputBytes === undefined ? 'default' : 'given' },
    flowRate: input.flowRate,
    pacingRate: regime.hasPacingRate ? pacingRate : undefined,
    completionLatencyNs: input.completionLatencyNs,
    limit,
    sendAnyway: regime.sendAnyway,
    ceiling,
    capsFlow,
    needed: tsqNeededLimit({ version: kernel, rate: input.flowRate, completionLatencyNs: input.completionLatencyNs, skbSize: size, skbTruesize: truesize }),
    remedy: remedyFor(limit, capsFlow),
    simulation,
    notes: [...limit.notes, ...(regime.hasPacingShift && input.pacingShift === undefined ? shift.notes : [])],
  };
}
