import { atLeast } from '../series/kernel-version';
import { defaultSkb } from './default-skb';
import { EventHeap } from './event-heap';
import { sampleLatency, type LatencyDistribution } from './latency-distribution';
import { createPrng, type Prng } from './prng';
import { skPacingRate } from './sk-pacing';
import { tsqKernel, type TsqKernel } from './tsq-kernel';
import { tsqLimit } from './tsq-limit';
import { tsqMechanism } from './tsq-mechanism';
import { tsqRegime, type TsqSendAnyway } from './tsq-regime';
import type { SimulateTsqInput, TsqFlowResult, TsqFlowSpec, TsqNonagle, TsqSimulation, TsqTcpState } from './tsq-simulation';

/** net/ipv4/tcp_output.c tcp_tsq_handler (3.6 on; tcp_tsq_write from 4.19): the states in which it calls tcp_write_xmit. */
const handlerWriteStates: ReadonlySet<TsqTcpState> = new Set(['ESTABLISHED', 'FIN_WAIT1', 'CLOSING', 'CLOSE_WAIT', 'LAST_ACK']);

const enum Kind {
  /** The app writes (rate apps: one skb; bulk apps: the first push at time 0). */
  App,
  /** TX completion: `tcp_wfree()` on the flow's CPU. */
  Complete,
  /** The per-CPU tasklet starts: splices the list. */
  TaskletRun,
  /** The tasklet handles the next socket of the spliced list. */
  TaskletStep,
  /** The user context releases the socket: `release_sock()` → `tcp_release_cb()`. */
  Release,
  /** An ACK arrives (only with `rttNs`). */
  Ack,
}

interface SimEvent {
  readonly time: number;
  readonly seq: number;
  readonly kind: Kind;
  /** A flow index, or a CPU index for tasklet events. */
  readonly target: number;
}

interface Flow {
  readonly cpu: number;
  readonly size: number;
  readonly truesize: number;
  readonly applies: boolean;
  readonly limit: number;
  readonly compare: '>=' | '>';
  readonly rate: number | undefined;
  readonly rttNs: number | undefined;
  readonly maxUnacked: number;
  /** `skb->destructor`: `sock_wfree` (3.6–3.11 with the sysctl ≤ 0) never queues the socket for the handler. */
  readonly destructor: 'tcp_wfree' | 'sock_wfree';
  readonly state: TsqTcpState;
  readonly nonagle: TsqNonagle;
  readonly mss: number;
  readonly ownedProbability: number;
  readonly hold: LatencyDistribution;
  /** Skbs written by the app and not yet sent (Infinity: bulk). */
  backlog: number;
  arrivals: number;
  /** `sk_wmem_alloc - 1`: truesize of the skbs below TCP. */
  wmem: number;
  belowTcp: number;
  unacked: number;
  /** `tsq_flags`: TSQ_THROTTLED, TSQ_QUEUED, TCP_TSQ_DEFERRED. */
  throttled: boolean;
  queued: boolean;
  deferred: boolean;
  ownedUntil: number;
  cwndBlocked: boolean;
  /** A sub-MSS last skb waits for Nagle (`tcp_nagle_test` false); the next ACK pushes it. */
  nagleBlocked: boolean;
  lastChange: number;
  area: number;
  areaAfterWarmup: number;
  maxWmem: number;
  completed: number;
  completedBytes: number;
  completedBytesAfterWarmup: number;
  sent: number;
  throttles: number;
  deferrals: number;
  releaseWrites: number;
  handlerSends: number;
  completedInWindow: number;
}

interface Cpu {
  /** `tsq->head`: `list_add` puts new sockets first, so the tasklet walks them newest first. */
  head: number[];
  running: number[];
  next: number;
  scheduled: boolean;
  busy: boolean;
  runs: number;
  handled: number;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(`simulateTsq: ${message}`);
}

function validate(input: SimulateTsqInput): void {
  check(Number.isInteger(input.cpus) && input.cpus >= 1, `cpus must be a whole number ≥ 1, got ${input.cpus}.`);
  check(input.maxTimeNs > 0 && input.maxEvents >= 1, 'maxTimeNs and maxEvents must be positive.');
  input.flows.forEach((flow, index) => {
    const where = `flows[${index}]`;
    check(Number.isInteger(flow.cpu) && flow.cpu >= 0 && flow.cpu < input.cpus, `${where}.cpu must be in [0, ${input.cpus}).`);
    check((flow.skbSize ?? 1) > 0 && (flow.skbTruesize ?? 1) > 0, `${where}: skb sizes must be positive.`);
    check(flow.app.kind === 'bulk' || flow.app.bytesPerSecond > 0, `${where}.app.bytesPerSecond must be positive.`);
    const p = flow.userOwnedProbability ?? 0;
    check(p >= 0 && p <= 1, `${where}.userOwnedProbability must be in [0, 1].`);
  });
}

function unboundedPacingRate(kernel: TsqKernel): number {
  return atLeast(kernel, '4.20') ? Number.MAX_SAFE_INTEGER : 0xffffffff;
}

function makeFlow(spec: TsqFlowSpec, input: SimulateTsqInput, kernel: TsqKernel): Flow {
  const rate = spec.app.kind === 'rate' ? spec.app.bytesPerSecond : undefined;
  const truesize = spec.skbTruesize ?? defaultSkb.truesize;
  const pacingBase = rate ?? input.lineRate;
  const limit = tsqLimit({
    version: kernel,
    ...(input.tcpLimitOutputBytes === undefined ? {} : { tcpLimitOutputBytes: input.tcpLimitOutputBytes }),
    pacingRate: spec.pacingRate ?? (pacingBase === undefined ? unboundedPacingRate(kernel) : skPacingRate(kernel, pacingBase)),
    skbTruesize: truesize,
    ...(spec.pacingStatus === undefined ? {} : { pacingStatus: spec.pacingStatus }),
    ...(spec.pacingShift === undefined ? {} : { pacingShift: spec.pacingShift }),
    ...(spec.tcpTxDelayUs === undefined ? {} : { tcpTxDelayUs: spec.tcpTxDelayUs }),
  });
  return {
    cpu: spec.cpu,
    size: spec.skbSize ?? defaultSkb.size,
    truesize,
    applies: spec.limitBytes !== undefined || limit.applies,
    limit: spec.limitBytes ?? limit.limit,
    compare: limit.compare,
    rate,
    rttNs: spec.rttNs,
    maxUnacked: spec.maxUnackedBytes ?? 64 * 1024 * 1024,
    destructor: limit.stalls ? 'sock_wfree' : 'tcp_wfree',
    state: spec.state ?? 'ESTABLISHED',
    nonagle: spec.nonagle ?? 'nagle',
    mss: spec.mssBytes ?? 1448,
    ownedProbability: spec.userOwnedProbability ?? 0,
    hold: spec.userHold ?? { kind: 'fixed', ns: 20_000 },
    backlog: rate === undefined ? Infinity : 0,
    arrivals: 0,
    wmem: 0,
    belowTcp: 0,
    unacked: 0,
    throttled: false,
    queued: false,
    deferred: false,
    ownedUntil: -1,
    cwndBlocked: false,
    nagleBlocked: false,
    lastChange: 0,
    area: 0,
    areaAfterWarmup: 0,
    maxWmem: 0,
    completed: 0,
    completedBytes: 0,
    completedBytesAfterWarmup: 0,
    sent: 0,
    throttles: 0,
    deferrals: 0,
    releaseWrites: 0,
    handlerSends: 0,
    completedInWindow: 0,
  };
}

/** Whether `tcp_small_queue_check` lets the skb go although the limit is exceeded (see `TsqSendAnyway`). */
function sendsAnyway(rule: TsqSendAnyway, rtxQueueSkbs: number): boolean {
  switch (rule) {
    case 'none':
      return false;
    case 'rtx-queue-empty':
      return rtxQueueSkbs === 0;
    case 'first-or-second-skb':
    case 'rtx-queue-empty-or-single-skb':
      return rtxQueueSkbs <= 1;
  }
}

/**
 * A discrete-event simulation of TCP Small Queues on `cpus` CPUs: flows send skbs while `tcp_small_queue_check`
 * allows, `tcp_wfree()` on TX completion queues a `TSQ_THROTTLED` socket once (`TSQ_QUEUED`) on its CPU's list and
 * schedules the tasklet if the list was empty, the tasklet writes for sockets the user does not own and sets
 * `TCP_TSQ_DEFERRED` for the others, and `tcp_release_cb()` writes when the user releases them. Pure and
 * deterministic: integer nanoseconds, one seeded generator, ties broken by scheduling order.
 */
export function simulateTsq(input: SimulateTsqInput): TsqSimulation {
  validate(input);
  const kernel = tsqKernel(input.version);
  const regime = tsqRegime(kernel);
  const prng: Prng = createPrng(input.seed ?? 1);
  const taskletDelay = input.tasklet?.delayNs ?? 1_000;
  const socketCost = input.tasklet?.socketCostNs ?? 500;
  const warmup = input.warmupNs ?? Math.floor(input.maxTimeNs / 10);
  const flows = input.flows.map((spec) => makeFlow(spec, input, kernel));
  const cpus: Cpu[] = Array.from({ length: input.cpus }, () => ({
    head: [],
    running: [],
    next: 0,
    scheduled: false,
    busy: false,
    runs: 0,
    handled: 0,
  }));
  const heap = new EventHeap<SimEvent>();
  let seq = 0;
  let now = 0;
  let nicBusyUntil = 0;
  let maxSockets = 0;
  const schedule = (time: number, kind: Kind, target: number): void => {
    heap.push({ time, seq: seq++, kind, target });
  };

  const account = (flow: Flow): void => {
    flow.area += flow.wmem * (now - flow.lastChange);
    if (now > warmup) flow.areaAfterWarmup += flow.wmem * (now - Math.max(flow.lastChange, warmup));
    flow.lastChange = now;
  };

  const owned = (flow: Flow): boolean => flow.ownedUntil > now;

  /** The tasklet finds the socket owned by the user with the flow's probability; the user releases it later. */
  const takeOwnership = (index: number, flow: Flow): boolean => {
    if (owned(flow)) return true;
    if (flow.ownedProbability <= 0 || prng.next() >= flow.ownedProbability) return false;
    flow.ownedUntil = now + Math.max(1, sampleLatency(flow.hold, prng));
    schedule(flow.ownedUntil, Kind.Release, index);
    return true;
  };

  /** tcp_small_queue_check (4.9+) / the inline check of tcp_write_xmit: true when the skb must wait. */
  const smallQueueCheck = (flow: Flow): boolean => {
    if (!flow.applies) return false;
    const wmemAlloc = 1 + flow.wmem;
    const over = flow.compare === '>=' ? wmemAlloc >= flow.limit : wmemAlloc > flow.limit;
    if (!over) return false;
    // Without ACK events the rtx queue is taken to hold exactly the skbs below TCP.
    if (sendsAnyway(regime.sendAnyway, flow.rttNs === undefined ? flow.belowTcp : flow.unacked)) return false;
    if (!flow.throttled) flow.throttles++;
    flow.throttled = true;
    return true;
  };

  const send = (index: number, flow: Flow): void => {
    flow.backlog--;
    account(flow);
    flow.wmem += flow.truesize;
    flow.maxWmem = Math.max(flow.maxWmem, flow.wmem);
    flow.belowTcp++;
    flow.unacked++;
    flow.sent++;
    let departed = now;
    if (input.lineRate !== undefined) {
      nicBusyUntil = Math.max(now, nicBusyUntil) + Math.round((flow.size * 1e9) / input.lineRate);
      departed = nicBusyUntil;
    }
    schedule(departed + sampleLatency(input.completionLatency, prng), Kind.Complete, index);
    if (flow.rttNs !== undefined) schedule(departed + flow.rttNs, Kind.Ack, index);
  };

  /**
   * tcp_nagle_test with tp->nonagle, for the last skb of the write queue (3.6 on): a partial (sub-MSS) skb waits when
   * corked, or with Nagle on while packets are out and a small segment is unacknowledged (tcp_minshall_check; every
   * skb of a flow has one size here, so any unacked skb is small). Skbs before the last go with TCP_NAGLE_PUSH.
   */
  const nagleHolds = (flow: Flow): boolean => {
    if (flow.size >= flow.mss || flow.backlog !== 1) return false;
    if (flow.nonagle === 'cork') return true;
    return flow.nonagle === 'nagle' && flow.unacked > 0;
  };

  /** tcp_write_xmit: send while there is data, the cwnd stand-in and Nagle allow, and TSQ does not throttle. */
  const writeXmit = (index: number, flow: Flow): number => {
    let sent = 0;
    while (flow.backlog > 0) {
      if (flow.unacked > 0 && (flow.unacked + 1) * flow.truesize > flow.maxUnacked) {
        flow.cwndBlocked = true;
        break;
      }
      if (nagleHolds(flow)) {
        flow.nagleBlocked = true;
        break;
      }
      if (smallQueueCheck(flow)) break;
      send(index, flow);
      sent++;
    }
    return sent;
  };

  const taskletSchedule = (cpuIndex: number, cpu: Cpu): void => {
    if (cpu.scheduled) return;
    cpu.scheduled = true;
    if (!cpu.busy) schedule(now + taskletDelay, Kind.TaskletRun, cpuIndex);
  };

  const enqueue = (index: number, flow: Flow): void => {
    flow.queued = true;
    const cpu = cpus[flow.cpu]!;
    const empty = cpu.head.length === 0;
    cpu.head.push(index);
    // 3.6–4.9 call tasklet_schedule() every time, 4.10 on only when the list was empty: the same, because a
    // scheduled tasklet ignores a second tasklet_schedule() and a run starts by splicing the list empty.
    if (empty || regime.wfreeOrder === 'pre-4.10') taskletSchedule(flow.cpu, cpu);
  };

  /**
   * The skb's destructor. `sock_wfree` only gives back the truesize. `tcp_wfree` also queues a throttled socket:
   * 3.6–4.9 `if (test_and_clear_bit(TSQ_THROTTLED, ...) && !test_and_set_bit(TSQ_QUEUED, ...))` (THROTTLED is cleared
   * even when the socket is already queued); 4.10 on a cmpxchg that changes nothing unless THROTTLED is set and
   * QUEUED is not (net/ipv4/tcp_output.c tcp_wfree, 408f0a6c21e1).
   */
  const complete = (index: number, flow: Flow): void => {
    account(flow);
    flow.wmem -= flow.truesize;
    flow.belowTcp--;
    flow.completed++;
    flow.completedBytes += flow.size;
    if (now >= warmup) {
      flow.completedBytesAfterWarmup += flow.size;
      flow.completedInWindow++;
    }
    if (flow.destructor === 'tcp_wfree') {
      if (regime.wfreeOrder === 'pre-4.10') {
        const wasThrottled = flow.throttled;
        flow.throttled = false;
        if (wasThrottled && !flow.queued) enqueue(index, flow);
      } else if (flow.throttled && !flow.queued) {
        flow.throttled = false;
        enqueue(index, flow);
      }
    }
    if (flow.rttNs === undefined) ackArrives(index, flow);
  };

  /** tcp_ack: the skb leaves the rtx queue; a flow the cwnd stand-in held back transmits again. */
  const ackArrives = (index: number, flow: Flow): void => {
    flow.unacked--;
    if (flow.rttNs === undefined && !flow.cwndBlocked && !flow.nagleBlocked) return;
    flow.cwndBlocked = false;
    flow.nagleBlocked = false;
    if (!owned(flow)) writeXmit(index, flow);
  };

  /** tcp_tsq_handler: tcp_write_xmit(sk, mss, tp->nonagle, ...) only in the states it lists. */
  const tsqHandler = (index: number, flow: Flow): void => {
    if (handlerWriteStates.has(flow.state)) flow.handlerSends += writeXmit(index, flow);
  };

  const taskletStep = (cpuIndex: number, cpu: Cpu): void => {
    const index = cpu.running[cpu.next];
    if (index === undefined) {
      cpu.busy = false;
      cpu.running = [];
      if (cpu.scheduled) schedule(now + taskletDelay, Kind.TaskletRun, cpuIndex);
      return;
    }
    cpu.next++;
    const flow = flows[index]!;
    // tcp_tasklet_func: 4.10 on clears TSQ_QUEUED before the handler; 3.6–4.9 after it (and after the unlock).
    if (regime.wfreeOrder === '4.10') flow.queued = false;
    if (takeOwnership(index, flow)) {
      if (!flow.deferred) {
        flow.deferred = true;
        flow.deferrals++;
      }
    } else {
      tsqHandler(index, flow);
    }
    if (regime.wfreeOrder === 'pre-4.10') flow.queued = false;
    schedule(now + socketCost, Kind.TaskletStep, cpuIndex);
  };

  const taskletRun = (cpuIndex: number, cpu: Cpu): void => {
    cpu.scheduled = false;
    cpu.busy = true;
    cpu.running = cpu.head.reverse();
    cpu.head = [];
    cpu.next = 0;
    cpu.runs++;
    cpu.handled += cpu.running.length;
    maxSockets = Math.max(maxSockets, cpu.running.length);
    taskletStep(cpuIndex, cpu);
  };

  /** release_sock → tcp_release_cb: write if TCP_TSQ_DEFERRED was set; the user's own tcp_push writes anyway. */
  const release = (index: number, flow: Flow): void => {
    if (flow.deferred) {
      flow.deferred = false;
      flow.releaseWrites++;
    }
    writeXmit(index, flow);
  };

  const appWrites = (index: number, flow: Flow): void => {
    if (flow.rate !== undefined) {
      flow.backlog++;
      flow.arrivals++;
      schedule(Math.round((flow.arrivals * flow.size * 1e9) / flow.rate), Kind.App, index);
    }
    if (!owned(flow)) writeXmit(index, flow);
  };

  flows.forEach((_, index) => {
    schedule(0, Kind.App, index);
  });
  let events = 0;
  let stoppedBy: TsqSimulation['stoppedBy'] = 'idle';
  for (;;) {
    if (events >= input.maxEvents) {
      stoppedBy = 'events';
      break;
    }
    const event = heap.pop();
    if (event === undefined) break;
    if (event.time > input.maxTimeNs) {
      stoppedBy = 'time';
      break;
    }
    now = event.time;
    events++;
    switch (event.kind) {
      case Kind.App:
        appWrites(event.target, flows[event.target]!);
        break;
      case Kind.Complete:
        complete(event.target, flows[event.target]!);
        break;
      case Kind.TaskletRun:
        taskletRun(event.target, cpus[event.target]!);
        break;
      case Kind.TaskletStep:
        taskletStep(event.target, cpus[event.target]!);
        break;
      case Kind.Release:
        release(event.target, flows[event.target]!);
        break;
      case Kind.Ack:
        ackArrives(event.target, flows[event.target]!);
        break;
    }
  }
  if (stoppedBy !== 'events') now = input.maxTimeNs;
  const end = now;
  const windowStart = end > warmup ? warmup : 0;
  const window = end - windowStart;

  const results: TsqFlowResult[] = flows.map((flow) => {
    account(flow);
    const area = windowStart === 0 ? flow.area : flow.areaAfterWarmup;
    const bytes = windowStart === 0 ? flow.completedBytes : flow.completedBytesAfterWarmup;
    return {
      cpu: flow.cpu,
      limit: flow.limit,
      compare: flow.compare,
      offeredRate: flow.rate,
      throughput: window > 0 ? (bytes * 1e9) / window : 0,
      avgQueuedBytes: window > 0 ? area / window : 0,
      maxQueuedBytes: flow.maxWmem,
      throttles: flow.throttles,
      skbsSent: flow.sent,
      skbsCompleted: flow.completed,
      deferrals: flow.deferrals,
      releaseWrites: flow.releaseWrites,
      unsentSkbs: Number.isFinite(flow.backlog) ? flow.backlog : 0,
      handlerSends: flow.handlerSends,
      completedInWindow: windowStart === 0 ? flow.completed : flow.completedInWindow,
      windowNs: window,
    };
  });
  const runs = cpus.reduce((sum, cpu) => sum + cpu.runs, 0);
  const handled = cpus.reduce((sum, cpu) => sum + cpu.handled, 0);
  return {
    series: regime.series,
    mechanism: tsqMechanism(kernel),
    flows: results,
    cpus: cpus.map((cpu) => ({ taskletRuns: cpu.runs, socketsHandled: cpu.handled })),
    taskletRuns: runs,
    socketsPerRun: { mean: runs === 0 ? 0 : handled / runs, max: maxSockets },
    deferrals: results.reduce((sum, flow) => sum + flow.deferrals, 0),
    releaseWrites: results.reduce((sum, flow) => sum + flow.releaseWrites, 0),
    eventsProcessed: events,
    simulatedNs: end,
    measuredFromNs: windowStart,
    stoppedBy,
  };
}
