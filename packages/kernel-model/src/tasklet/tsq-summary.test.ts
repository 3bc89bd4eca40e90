import { formatTsqSummary } from './format-tsq-summary';
import { tsqSummary } from './tsq-summary';
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
