import { latencyAround, meanLatency, sampleLatency, type LatencyDistribution } from './latency-distribution';
import { createPrng } from './prng';

describe('latency distributions', () => {
  it.each<[string, LatencyDistribution, number]>([
    ['fixed', { kind: 'fixed', ns: 500_000 }, 500_000],
    ['uniform', { kind: 'uniform', minNs: 300_000, maxNs: 700_000 }, 500_000],
    ['exponential', { kind: 'exponential', minNs: 100_000, meanNs: 500_000 }, 500_000],
  ])('draws %s delays whose average is the stated mean', (_, distribution, mean) => {
    const prng = createPrng(3);
    const draws = Array.from({ length: 20_000 }, () => sampleLatency(distribution, prng));
    expect(meanLatency(distribution)).toBe(mean);
    expect(draws.every((ns) => Number.isInteger(ns) && ns >= 0)).toBe(true);
    expect(draws.reduce((sum, ns) => sum + ns, 0) / draws.length).toBeGreaterThan(mean * 0.97);
    expect(draws.reduce((sum, ns) => sum + ns, 0) / draws.length).toBeLessThan(mean * 1.03);
  });

  it('makes a fixed latency without jitter and a uniform one with it', () => {
    expect(latencyAround(500_000)).toEqual({ kind: 'fixed', ns: 500_000 });
    expect(latencyAround(500_000, 0.2)).toEqual({ kind: 'uniform', minNs: 400_000, maxNs: 600_000 });
  });
});
