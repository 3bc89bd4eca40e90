import type { LatencyDistribution } from './latency-distribution';
import { simulateTsq } from './simulate-tsq';
import { tsqCeiling } from './tsq-ceiling';
import type { SimulateTsqInput, TsqFlowSpec } from './tsq-simulation';

const bulk: TsqFlowSpec['app'] = { kind: 'bulk' };

function base(overrides: Partial<SimulateTsqInput> = {}): SimulateTsqInput {
  return {
    version: '6.1',
    cpus: 1,
    flows: [{ cpu: 0, app: bulk }],
    completionLatency: { kind: 'fixed', ns: 500_000 },
    maxTimeNs: 40_000_000,
    maxEvents: 500_000,
    ...overrides,
  };
}

describe('simulateTsq against the closed form', () => {
  it.each<[number, LatencyDistribution]>([
    [262144, { kind: 'fixed', ns: 500_000 }],
    [131072, { kind: 'fixed', ns: 100_000 }],
    [1048576, { kind: 'fixed', ns: 2_000_000 }],
    [4194304, { kind: 'fixed', ns: 500_000 }],
    [262144, { kind: 'uniform', minNs: 350_000, maxNs: 650_000 }],
    [1048576, { kind: 'exponential', minNs: 200_000, meanNs: 500_000 }],
  ])('agrees within 5 %% with limit / latency when a %i-byte limit binds a bulk flow (%j)', (limit, latency) => {
    const mean = latency.kind === 'fixed' ? latency.ns : latency.kind === 'uniform' ? (latency.minNs + latency.maxNs) / 2 : latency.meanNs;
    const result = simulateTsq(base({ flows: [{ cpu: 0, app: bulk, limitBytes: limit }], completionLatency: latency, maxTimeNs: 60 * mean }));
    const ceiling = tsqCeiling({ limit, completionLatencyNs: mean });
    const flow = result.flows[0]!;
    expect(flow.throughput / ceiling.bytesPerSecond).toBeGreaterThan(0.95);
    expect(flow.throughput / ceiling.bytesPerSecond).toBeLessThan(1.05);
    expect(flow.throughput / ceiling.payloadBytesPerSecond).toBeGreaterThan(0.95);
    expect(flow.throughput / ceiling.payloadBytesPerSecond).toBeLessThan(1.03);
    expect(flow.maxQueuedBytes).toBeLessThanOrEqual(limit - 1 + 66440);
    expect(flow.throttles).toBeGreaterThan(0);
  });

  it('reaches ≈ 524 MB/s (the 256 KiB / 500 µs ceiling) with the 4.4 default and an unbounded pacing rate', () => {
    const result = simulateTsq(base({ version: '4.4' }));
    expect(result.flows[0]!.limit).toBe(262144);
    expect(result.flows[0]!.throughput).toBeGreaterThan(0.95 * 524_288_000);
    expect(result.flows[0]!.throughput).toBeLessThan(1.05 * 524_288_000);
  });

  it.each([
    [1e9, 4194304],
    [200e6, 1048576],
    [50e6, 262144],
  ])('reaches the offered %d bytes/s when a %i-byte limit does not bind, without throttling', (rate, limit) => {
    const result = simulateTsq(base({ flows: [{ cpu: 0, app: { kind: 'rate', bytesPerSecond: rate }, limitBytes: limit }] }));
    const flow = result.flows[0]!;
    expect(flow.throughput / rate).toBeGreaterThan(0.97);
    expect(flow.throughput / rate).toBeLessThan(1.03);
    expect(flow.throttles).toBe(0);
    expect(result.taskletRuns).toBe(0);
  });
});

describe('25 Gbit/s, 500 µs completion latency, kernel defaults', () => {
  const flow: TsqFlowSpec = { cpu: 0, app: { kind: 'rate', bytesPerSecond: 3.125e9 } };

  it('is capped near 2.1 GB/s (16.8 Gbit/s) on 6.1: unpaced means SK_PACING_NONE, so min(3662109, 1 MiB) binds', () => {
    const result = simulateTsq(base({ version: '6.1', flows: [flow] }));
    expect(result.flows[0]!.limit).toBe(1048576);
    expect(result.flows[0]!.throughput).toBeGreaterThan(0.95 * 2_097_152_000);
    expect(result.flows[0]!.throughput).toBeLessThan(1.05 * 2_097_152_000);
    expect(result.flows[0]!.unsentSkbs).toBeGreaterThan(0);
  });

  it('reaches 25 Gbit/s on 6.1 when fq paces the flow (SK_PACING_FQ skips the sysctl min in 5.0–6.15)', () => {
    const result = simulateTsq(base({ version: '6.1', flows: [{ ...flow, pacingStatus: 'fq' }] }));
    expect(result.flows[0]!.limit).toBe(3662109);
    expect(result.flows[0]!.throughput / 3.125e9).toBeGreaterThan(0.97);
  });

  it('reaches 25 Gbit/s on 6.18, whose 4 MiB default leaves sk_pacing_rate >> 10 = 3662109 as the limit', () => {
    const result = simulateTsq(base({ version: '6.18', flows: [flow] }));
    expect(result.flows[0]!.limit).toBe(3662109);
    expect(result.flows[0]!.throughput / 3.125e9).toBeGreaterThan(0.97);
    expect(result.flows[0]!.throttles).toBe(0);
  });
});

describe('the tasklet and TCP_TSQ_DEFERRED', () => {
  const flows = (p: number): TsqFlowSpec[] =>
    Array.from({ length: 8 }, (_, index) => ({
      cpu: index % 2,
      app: bulk,
      limitBytes: 262144,
      userOwnedProbability: p,
      userHold: { kind: 'fixed', ns: 100_000 },
    }));
  const jittered: LatencyDistribution = { kind: 'uniform', minNs: 300_000, maxNs: 700_000 };

  it('defers nothing when the user never owns the socket', () => {
    const result = simulateTsq(base({ cpus: 2, flows: flows(0), completionLatency: jittered }));
    expect(result.deferrals).toBe(0);
    expect(result.releaseWrites).toBe(0);
    expect(result.taskletRuns).toBeGreaterThan(0);
  });

  it.each([0.1, 0.5, 1])('defers to tcp_release_cb when the user owns the socket with probability %d', (p) => {
    const result = simulateTsq(base({ cpus: 2, flows: flows(p), completionLatency: jittered }));
    expect(result.deferrals).toBeGreaterThan(0);
    // Every deferral is written by tcp_release_cb, except one per flow that may still be pending at the end.
    expect(result.releaseWrites).toBeGreaterThanOrEqual(result.deferrals - 8);
    expect(result.releaseWrites).toBeLessThanOrEqual(result.deferrals);
  });

  it('hands several sockets to one run when their completions land together', () => {
    const result = simulateTsq(base({ flows: Array.from({ length: 6 }, () => ({ cpu: 0, app: bulk, limitBytes: 262144 })) }));
    expect(result.socketsPerRun.max).toBe(6);
    expect(result.cpus[0]!.socketsHandled).toBeCloseTo(result.socketsPerRun.mean * result.taskletRuns, 6);
  });
});

describe('the rtx queue shortcut when ACKs beat TX completions', () => {
  it.each([
    ['4.9', 1],
    ['5.15', 10],
    ['6.1', 10],
  ])('%s with a 1-byte sysctl and a 50 µs RTT runs %d× faster than without ACK events', (version, factor) => {
    const withoutAcks = simulateTsq(base({ version, tcpLimitOutputBytes: 1 }));
    const withAcks = simulateTsq(base({ version, tcpLimitOutputBytes: 1, flows: [{ cpu: 0, app: bulk, rttNs: 50_000 }] }));
    expect(withAcks.flows[0]!.throughput / withoutAcks.flows[0]!.throughput).toBeCloseTo(factor, 0);
  });

  it.each([
    ['6.1.0', 1, 'tcp_rtx_queue_empty only: f921a4a5bffa is not in 6.1.0'],
    ['6.1.59', 1, 'the stable before the backport'],
    ['6.1.60', 2, 'tcp_rtx_queue_empty_or_single_skb, ChangeLog-6.1.60'],
    ['6.1.158', 2, 'and every later 6.1.y'],
    ['5.15.136', 1, 'before 5.15.137'],
    ['5.15.137', 2, '5.15.137-rc1 shortlog'],
    ['5.10.199', 2, '5.10.199 release'],
    ['5.4.259', 2, '5.4.259-rc1 shortlog'],
    ['4.19.296', 1, 'before 4.19.297'],
    ['4.19.304', 2, '4.19.297-rc1 review series'],
    ['5.18.19', 1, 'end of life before the backport'],
    ['6.6.0', 2, 'mainline 6.6-rc7'],
    ['6.5.8', 1, 'before 6.5.9'],
    ['6.5.9', 2, '6.5.9-rc1 shortlog'],
  ])('keeps as many skbs below TCP on %s as its send-anyway rule allows: %i (%s)', (version, skbs) => {
    const result = simulateTsq(base({ version, tcpLimitOutputBytes: 1 }));
    expect(result.flows[0]!.maxQueuedBytes / 66440).toBe(skbs);
  });
});

describe('determinism and bounds', () => {
  const noisy = base({
    cpus: 4,
    flows: Array.from({ length: 12 }, (_, index) => ({
      cpu: index % 4,
      app: index % 2 === 0 ? bulk : { kind: 'rate' as const, bytesPerSecond: 800e6 },
      limitBytes: 524288,
      userOwnedProbability: 0.2,
      userHold: { kind: 'exponential' as const, minNs: 5_000, meanNs: 50_000 },
    })),
    completionLatency: { kind: 'exponential', minNs: 100_000, meanNs: 400_000 },
    maxTimeNs: 10_000_000,
  });

  it('gives an identical result for the same seed', () => {
    expect(simulateTsq({ ...noisy, seed: 99 })).toEqual(simulateTsq({ ...noisy, seed: 99 }));
  });

  it('gives a different result for another seed', () => {
    expect(simulateTsq({ ...noisy, seed: 1 })).not.toEqual(simulateTsq({ ...noisy, seed: 2 }));
  });

  it.each([1, 100, 5000])('never processes more than maxEvents = %i', (maxEvents) => {
    const result = simulateTsq({ ...noisy, maxEvents, maxTimeNs: 1e12 });
    expect(result.eventsProcessed).toBe(maxEvents);
    expect(result.stoppedBy).toBe('events');
  });

  it('stops at maxTimeNs', () => {
    const result = simulateTsq({ ...noisy, maxTimeNs: 2_000_000 });
    expect(result.stoppedBy).toBe('time');
    expect(result.simulatedNs).toBe(2_000_000);
  });

  it.each([0, -1])('sends no new data on 3.11 with tcp_limit_output_bytes = %i: tcp_write_xmit holds back every skb (sk_wmem_alloc ≥ 1 >= it)', (sysctl) => {
    const result = simulateTsq(base({ version: '3.11', tcpLimitOutputBytes: sysctl, maxEvents: 10_000 }));
    expect(result.flows[0]!.skbsSent).toBe(0);
    expect(result.flows[0]!.throughput).toBe(0);
    expect(result.taskletRuns).toBe(0);
  });

  it('shares a NIC line rate between flows', () => {
    const result = simulateTsq(base({ flows: [{ cpu: 0, app: bulk }, { cpu: 0, app: bulk }], lineRate: 1.25e9, tcpLimitOutputBytes: 4194304 }));
    const total = result.flows.reduce((sum, flow) => sum + flow.throughput, 0);
    expect(total).toBeLessThanOrEqual(1.25e9 * 1.01);
    expect(total).toBeGreaterThan(1.25e9 * 0.95);
  });

  it.each([
    [{ cpus: 0 }, /cpus/],
    [{ flows: [{ cpu: 3, app: bulk }] }, /flows\[0\]\.cpu/],
    [{ flows: [{ cpu: 0, app: bulk, userOwnedProbability: 2 }] }, /userOwnedProbability/],
  ])('rejects %j with a message naming the field', (overrides, message) => {
    expect(() => simulateTsq(base(overrides))).toThrow(message);
  });
});

describe('each era in its own order (tcp_wfree, tcp_tasklet_func, tcp_tsq_handler)', () => {
  const rateFlow = (version: string, rate: number): ReturnType<typeof simulateTsq> =>
    simulateTsq({
      version,
      cpus: 1,
      completionLatency: { kind: 'uniform', minNs: 100_000, maxNs: 300_000 },
      seed: 3,
      maxTimeNs: 20_000_000,
      maxEvents: 200_000,
      flows: [{ cpu: 0, app: { kind: 'rate', bytesPerSecond: rate }, limitBytes: 3 * 66440 }],
      tasklet: { delayNs: 30_000 },
    });

  it('clears TSQ_THROTTLED of an already queued socket on 4.9 (test_and_clear_bit), so the tasklet runs less often than on 4.10 (cmpxchg leaves it set)', () => {
    const pre = rateFlow('4.9.229', 0.8e9);
    const post = rateFlow('4.10.17', 0.8e9);
    expect(pre.flows[0]!.skbsSent).toBe(post.flows[0]!.skbsSent);
    expect(pre.taskletRuns).toBeLessThan(post.taskletRuns);
    expect(rateFlow('4.4', 1e9).flows[0]!.throttles).toBeGreaterThan(rateFlow('4.14', 1e9).flows[0]!.throttles);
  });

  it.each([
    ['ESTABLISHED', true],
    ['CLOSE_WAIT', true],
    ['FIN_WAIT2', false],
    ['TIME_WAIT', false],
  ] as const)('writes from tcp_tsq_handler in %s: %s (ESTABLISHED, FIN_WAIT1, CLOSING, CLOSE_WAIT, LAST_ACK only)', (state, writes) => {
    const result = simulateTsq({
      version: '4.4',
      cpus: 1,
      completionLatency: { kind: 'uniform', minNs: 100_000, maxNs: 300_000 },
      seed: 3,
      maxTimeNs: 10_000_000,
      maxEvents: 100_000,
      flows: [{ cpu: 0, app: { kind: 'rate', bytesPerSecond: 1e9 }, limitBytes: 3 * 66440, state }],
    });
    expect(result.taskletRuns).toBeGreaterThan(0);
    expect(result.flows[0]!.handlerSends > 0).toBe(writes);
  });

  it.each([
    ['nodelay', 2, 3],
    ['nagle', 0, 2],
  ] as const)('honours tp->nonagle = %s in tcp_write_xmit, the handler included: it sends %i skbs, %i in all', (nonagle, handlerSends, sent) => {
    // A sub-MSS skb every 200 µs, one skb below TCP allowed, completions after 250 µs, ACKs after 1 ms.
    const result = simulateTsq({
      version: '4.4',
      cpus: 1,
      completionLatency: { kind: 'fixed', ns: 250_000 },
      maxTimeNs: 600_000,
      maxEvents: 1_000,
      flows: [{ cpu: 0, app: { kind: 'rate', bytesPerSecond: 5e6 }, skbSize: 1000, skbTruesize: 2280, limitBytes: 2280, rttNs: 1_000_000, nonagle }],
    });
    expect(result.flows[0]!.handlerSends).toBe(handlerSends);
    expect(result.flows[0]!.skbsSent).toBe(sent);
  });
});
