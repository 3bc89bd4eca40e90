import { formatTsqSummary } from './format-tsq-summary';
import { tsqNeededLimit, tsqSummary } from './tsq-summary';
import { parseDuration, parseRate } from './units';

function value(result: ReturnType<typeof parseRate>): number {
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const cli = { flowRate: value(parseRate('25Gbit')), completionLatencyNs: value(parseDuration('500us')) };

describe('tsqSummary (tcpmem model --flow-rate 25Gbit --completion-latency 500us)', () => {
  it('says the 6.1 default (1 MiB, SK_PACING_NONE) caps a 25 Gbit/s flow at 2.1 GB/s and what sysctl would lift it', () => {
    const summary = tsqSummary({ version: '6.1.0-26-cloud-amd64', ...cli });
    expect(summary).toMatchObject({
      series: '6.1',
      regime: 'paced-uncapped',
      tcpLimitOutputBytes: { value: 1048576, source: 'default' },
      pacingRate: 3.75e9,
      capsFlow: true,
      remedy: 'raise-tcp-limit-output-bytes',
      needed: { bytes: 1_562_500, skbGranularBytes: 1_528_121 },
    });
    expect(summary.limit.limit).toBe(1048576);
    expect(summary.ceiling.bytesPerSecond).toBeCloseTo(2_097_152_000, 0);
    expect(summary.simulation?.reachedFlowRate).toBe(false);
    expect(summary.simulation!.throughputPerFlow.mean / summary.ceiling.bytesPerSecond).toBeGreaterThan(0.95);
  });

  it('says the 6.18 default (4 MiB) does not cap it, and the simulation reaches the rate', () => {
    const summary = tsqSummary({ version: '6.18', ...cli });
    expect(summary).toMatchObject({ capsFlow: false, remedy: 'none', limit: { limit: 3662109, bindingTerm: 'sk_pacing_rate' } });
    expect(summary.simulation?.reachedFlowRate).toBe(true);
    expect(summary.mechanism?.handler).toBe('tcp_tsq_workfn');
  });

  it('uses an explicit tcp_limit_output_bytes and lifts the cap with the value it recommended', () => {
    const capped = tsqSummary({ version: '6.1', ...cli });
    const lifted = tsqSummary({ version: '6.1', ...cli, tcpLimitOutputBytes: capped.needed.skbGranularBytes });
    expect(lifted.tcpLimitOutputBytes).toEqual({ value: 1_528_121, source: 'given' });
    expect(lifted.capsFlow).toBe(false);
    expect(lifted.simulation?.reachedFlowRate).toBe(true);
  });

  it('blames the pacing term when fq paces the flow on 6.1 and completions take 2 ms', () => {
    const summary = tsqSummary({ version: '6.1', flowRate: 3.125e9, completionLatencyNs: 2_000_000, pacingStatus: 'fq' });
    expect(summary).toMatchObject({ capsFlow: true, remedy: 'pacing-term-binds', limit: { limit: 3662109 } });
  });

  it.each([1, 8, 64])('keeps the default simulation within its 30 000-event budget with %i flows', (flows) => {
    const summary = tsqSummary({ version: '6.1', ...cli, flows, cpus: 4, jitter: 0.3 });
    expect(summary.simulation!.eventsProcessed).toBeLessThanOrEqual(30_000);
    expect(summary.simulation!.flows).toBe(flows);
  });

  it('can skip the simulation', () => {
    expect(tsqSummary({ version: '6.1', ...cli, simulate: false }).simulation).toBeUndefined();
  });

  it('rejects a non-positive rate or latency', () => {
    expect(() => tsqSummary({ version: '6.1', flowRate: 0, completionLatencyNs: 500_000 })).toThrow(/flowRate/);
  });
});

describe('formatTsqSummary', () => {
  it.each([
    ['6.1', 'tcp_tasklet_func runs', 'tsq_tasklet'],
    ['6.12', 'tcp_tasklet_func runs', 'tsq_tasklet'],
    ['6.18', 'tcp_tsq_workfn runs', 'tsq_work'],
  ])('names the %s handler the way that series does (%s, %s)', (version, runs, perCpu) => {
    const text = formatTsqSummary(tsqSummary({ version, ...cli })).join('\n');
    expect(text).toContain(runs);
    expect(text).toContain(`per-CPU ${perCpu}`);
  });

  it('prints the ceiling, the verdict and the sysctl to set for 6.1', () => {
    const text = formatTsqSummary(tsqSummary({ version: '6.1', ...cli })).join('\n');
    expect(text).toContain('ceiling                  2.10 GB/s (16.8 Gbit/s) = limit / 500 µs');
    expect(text).toContain('capped by TSQ');
    expect(text).toContain('tcp_limit_output_bytes ≥ 1528121');
  });
});

describe('tsqSummary by era', () => {
  const at = (version: string, extra: Partial<Parameters<typeof tsqSummary>[0]> = {}): ReturnType<typeof tsqSummary> =>
    tsqSummary({ version, flowRate: 3.125e9, completionLatencyNs: 500_000, ...extra });

  it.each([
    ['3.10', 1528122, '>= of 3.6–3.11 tcp_write_xmit'],
    ['3.12', 1528121, '> of tcp_write_xmit from 3.12'],
    ['6.1.0', 1528121, '> of tcp_small_queue_check'],
  ])('needs tcp_limit_output_bytes ≥ %s → %i for 25 Gbit/s at 500 µs (%s)', (version, bytes) => {
    expect(at(version).needed.skbGranularBytes).toBe(bytes);
    expect(tsqNeededLimit({ version, rate: 3.125e9, completionLatencyNs: 500_000 }).skbGranularBytes).toBe(bytes);
  });

  it('does not report reaching the rate with 23 of the 24 skbs it needs (3.10, 1528121)', () => {
    const short = at('3.10', { tcpLimitOutputBytes: 1528121 });
    expect(short.ceiling.skbsBelowTcp).toBe(23);
    expect(short.simulation?.reachedFlowRate).toBe(false);
    expect(at('3.10', { tcpLimitOutputBytes: 1528122 }).simulation?.reachedFlowRate).toBe(true);
  });

  it('has no sk_pacing_rate on vanilla 3.11 and one on 3.12', () => {
    expect(at('3.11').pacingRate).toBeUndefined();
    expect(at('3.12').pacingRate).toBe(0xffffffff); // 200 % of 3.125 GB/s, clamped to the u32 field
  });

  it('caps the simulation by tcp_wmem[2] as the send buffer stand-in', () => {
    // 3.12 with a negative sysctl: max_t(unsigned int, …) makes it huge, so only the send buffer bounds the flow.
    const free = at('3.12', { tcpLimitOutputBytes: -1, flowRate: 25e9 });
    const bounded = at('3.12', { tcpLimitOutputBytes: -1, flowRate: 25e9, sndbufBytes: 4 * 1024 * 1024 });
    expect(bounded.simulation!.maxQueuedBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(free.simulation!.maxQueuedBytes).toBeGreaterThan(4 * 1024 * 1024);
  });

  it('says for RHEL 8 that the backport cannot be told from the release, and takes the Wi-Fi shift 7', () => {
    const rhel = at('4.18.0-513.el8.x86_64', { driver: 'mac80211' });
    expect(rhel.pacingShift.value).toBe(7);
    expect(rhel.notes.join(' ')).toMatch(/RHEL 8 .* cannot be told from the release string/);
  });

  it('measures a slow flow instead of printing 0 B/s: 1 Mbit/s at 500 µs is simulated long enough', () => {
    const slow = tsqSummary({ version: '6.1', flowRate: 125_000, completionLatencyNs: 500_000 });
    expect(slow.simulation).toMatchObject({ measured: true, reachedFlowRate: true });
    expect(slow.simulation!.throughputPerFlow.mean).toBeGreaterThan(0.99 * 125_000);
  });
});
