import type { Prng } from './prng';

/** A delay in integer nanoseconds: fixed, uniform on [min, max], or min plus an exponential tail of mean (mean - min). */
export type LatencyDistribution =
  | { readonly kind: 'fixed'; readonly ns: number }
  | { readonly kind: 'uniform'; readonly minNs: number; readonly maxNs: number }
  | { readonly kind: 'exponential'; readonly minNs: number; readonly meanNs: number };

/** Draws one delay (integer ns, never negative). A fixed delay draws nothing, so it leaves the generator untouched. */
export function sampleLatency(distribution: LatencyDistribution, prng: Prng): number {
  switch (distribution.kind) {
    case 'fixed':
      return Math.max(0, Math.round(distribution.ns));
    case 'uniform':
      return Math.max(0, Math.round(distribution.minNs + prng.next() * (distribution.maxNs - distribution.minNs)));
    case 'exponential': {
      const tail = distribution.meanNs - distribution.minNs;
      return Math.max(0, Math.round(distribution.minNs - tail * Math.log(1 - prng.next())));
    }
  }
}

/** The mean of a distribution, in ns. */
export function meanLatency(distribution: LatencyDistribution): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.ns;
    case 'uniform':
      return (distribution.minNs + distribution.maxNs) / 2;
    case 'exponential':
      return distribution.meanNs;
  }
}

/** A fixed latency, or a uniform one spread ±`jitter` (a fraction, e.g. 0.2) around it. */
export function latencyAround(ns: number, jitter = 0): LatencyDistribution {
  return jitter <= 0 ? { kind: 'fixed', ns } : { kind: 'uniform', minNs: ns * (1 - jitter), maxNs: ns * (1 + jitter) };
}
