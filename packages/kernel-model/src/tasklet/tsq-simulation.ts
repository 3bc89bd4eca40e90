import type { LatencyDistribution } from './latency-distribution';
import type { SkPacingStatus } from './sk-pacing';
import type { TsqKernelInput } from './tsq-kernel';
import type { TsqMechanism } from './tsq-mechanism';

/** What the application does: always has data (`bulk`), or writes at a fixed rate (bytes per second). */
export type TsqApp = { readonly kind: 'bulk' } | { readonly kind: 'rate'; readonly bytesPerSecond: number };

/** The TCP states in which `tcp_tsq_handler` writes (ESTABLISHED, FIN_WAIT1, CLOSING, CLOSE_WAIT, LAST_ACK), and others. */
export type TsqTcpState =
  | 'ESTABLISHED'
  | 'FIN_WAIT1'
  | 'CLOSING'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE';

/**
 * `tp->nonagle`: `nagle` (0, the default: a sub-MSS last skb waits while a small segment is unacknowledged),
 * `nodelay` (TCP_NAGLE_OFF, `TCP_NODELAY`), `cork` (TCP_NAGLE_CORK: a sub-MSS last skb always waits).
 */
export type TsqNonagle = 'nagle' | 'nodelay' | 'cork';

/** One TCP flow of the simulation. */
export interface TsqFlowSpec {
  /** The CPU whose TX completions free this flow's skbs, and whose TSQ list and tasklet handle it. */
  readonly cpu: number;
  readonly app: TsqApp;
  /** Payload bytes per skb; default `defaultSkb.size`. */
  readonly skbSize?: number;
  /** `skb->truesize`; default `defaultSkb.truesize`. */
  readonly skbTruesize?: number;
  /** `sk_pacing_rate`; default 120 % of the app rate (`tcp_pacing_ca_ratio`), or unbounded for bulk flows. */
  readonly pacingRate?: number;
  readonly pacingStatus?: SkPacingStatus;
  readonly pacingShift?: number;
  readonly tcpTxDelayUs?: number;
  /** Use this TSQ limit instead of computing it from the kernel. */
  readonly limitBytes?: number;
  /** Probability that the tasklet finds the socket owned by the user (`sock_owned_by_user`); default 0. */
  readonly userOwnedProbability?: number;
  /** How long the user keeps it before `release_sock()` runs `tcp_release_cb()`; default 20 µs. */
  readonly userHold?: LatencyDistribution;
  /** `sk->sk_state`, fixed for the run; default ESTABLISHED. The TSQ handler writes only in the states it lists. */
  readonly state?: TsqTcpState;
  /** `tp->nonagle`, honoured by every `tcp_write_xmit` caller the model has, the TSQ handler included; default `nagle`. */
  readonly nonagle?: TsqNonagle;
  /** `mss_now`; skbs shorter than it are sub-MSS (`tso_segs == 1`) and Nagle applies to them. Default 1448. */
  readonly mssBytes?: number;
  /** Round-trip time, ns: when given, ACKs are events that empty the rtx queue and call `tcp_write_xmit`. */
  readonly rttNs?: number;
  /**
   * Most truesize bytes sent and not yet acknowledged: a stand-in for cwnd, rwnd and sndbuf, which the model does not
   * have. Default 64 MiB, high enough never to bind before a TSQ limit does; it also bounds a flow TSQ does not limit.
   */
  readonly maxUnackedBytes?: number;
}

/** The whole simulation: kernel, CPUs, NIC, flows, and the bounds that stop it. */
export interface SimulateTsqInput {
  readonly version: TsqKernelInput;
  readonly cpus: number;
  readonly flows: readonly TsqFlowSpec[];
  /** `net.ipv4.tcp_limit_output_bytes`; default the series' default. */
  readonly tcpLimitOutputBytes?: number;
  /** Time from handing an skb to the qdisc (or from leaving the wire, with `lineRate`) to `tcp_wfree()`. */
  readonly completionLatency: LatencyDistribution;
  /** One NIC transmit queue shared by all flows, bytes per second; default: no serialisation. */
  readonly lineRate?: number;
  /** Delay from `tasklet_schedule()` to the tasklet running (default 1 µs) and CPU time per socket handled (default 0.5 µs). */
  readonly tasklet?: { readonly delayNs?: number; readonly socketCostNs?: number };
  /** Seed of the generator behind every random draw; default 1. */
  readonly seed?: number;
  /** Stop at this simulated time, ns. */
  readonly maxTimeNs: number;
  /** Stop after this many events. */
  readonly maxEvents: number;
  /** Rates and averages are measured from this time on (default a tenth of `maxTimeNs`), to leave out the start. */
  readonly warmupNs?: number;
}

/** What one flow reached. Queued bytes are truesize bytes below TCP, as `sk_wmem_alloc` counts them (minus its 1). */
export interface TsqFlowResult {
  readonly cpu: number;
  readonly limit: number;
  readonly compare: '>=' | '>';
  readonly offeredRate: number | undefined;
  /** Payload bytes per second completed in the measured window. */
  readonly throughput: number;
  readonly avgQueuedBytes: number;
  readonly maxQueuedBytes: number;
  /** Times `tcp_small_queue_check` held an skb back with `TSQ_THROTTLED` clear, i.e. set it. */
  readonly throttles: number;
  readonly skbsSent: number;
  readonly skbsCompleted: number;
  /** Times the tasklet found the socket owned and set `TCP_TSQ_DEFERRED`. */
  readonly deferrals: number;
  /** `tcp_release_cb()` calls that found `TCP_TSQ_DEFERRED` and wrote. */
  readonly releaseWrites: number;
  /** Skbs the app had written but TCP had not sent at the end (rate apps only). */
  readonly unsentSkbs: number;
  /** Skbs sent by `tcp_write_xmit` calls of the TSQ handler (the tasklet or work item, not `tcp_release_cb`). */
  readonly handlerSends: number;
  /** Skbs completed in the measured window (0: the window saw no completion, `throughput` is not a measurement). */
  readonly completedInWindow: number;
  /** Length of the measured window, ns. */
  readonly windowNs: number;
}

/** The simulation's result: per flow, per CPU, and in total. */
export interface TsqSimulation {
  readonly series: string;
  readonly mechanism: TsqMechanism | undefined;
  readonly flows: readonly TsqFlowResult[];
  readonly cpus: readonly { readonly taskletRuns: number; readonly socketsHandled: number }[];
  /** Runs of the per-CPU handler (`tcp_tasklet_func`, or `tcp_tsq_workfn` from 6.17), all CPUs. */
  readonly taskletRuns: number;
  readonly socketsPerRun: { readonly mean: number; readonly max: number };
  readonly deferrals: number;
  readonly releaseWrites: number;
  readonly eventsProcessed: number;
  /** The simulated time reached, ns. */
  readonly simulatedNs: number;
  /** Start of the measured window, ns. */
  readonly measuredFromNs: number;
  /** Why it stopped: the time bound, the event bound, or nothing left to do. */
  readonly stoppedBy: 'time' | 'events' | 'idle';
}
