/** A seeded pseudo-random generator: the simulation's only source of randomness, so equal seeds give equal runs. */
export interface Prng {
  /** The next value in [0, 1). */
  next(): number;
}

/**
 * A Weyl sequence (step 0x9e3779b9) finished with the 32-bit avalanche mix of MurmurHash3: tiny, fast, and good
 * enough for jitter and coin flips. Not for anything secret.
 */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
    },
  };
}
