import { skbsBelowLimit, tsqCeiling, tsqLimitFor } from './tsq-ceiling';

describe('tsqCeiling', () => {
  it.each([
    [131072, 100_000, 1.31072e9],
    [262144, 500_000, 524_288_000],
    [1048576, 500_000, 2_097_152_000],
    [4194304, 2_000_000, 2_097_152_000],
  ])('lets a %i-byte limit with %i ns completions carry %d bytes per second', (limit, latency, rate) => {
    expect(tsqCeiling({ limit, completionLatencyNs: latency }).bytesPerSecond).toBeCloseTo(rate, 0);
  });

  it('applies no 2 * truesize floor: a 65536 limit at 500 µs lets one skb through, 130 MB/s (tcp_small_queue_check takes the min with the sysctl after the max)', () => {
    const ceiling = tsqCeiling({ limit: 65536, completionLatencyNs: 500_000 });
    expect(ceiling).not.toHaveProperty('withTruesizeFloor');
    expect(ceiling.skbsBelowTcp).toBe(1);
    expect(ceiling.payloadBytesPerSecond).toBe(130_320_000);
  });

  it('counts whole skbs: a 256 KiB limit holds 4 full TSO skbs, worth 521 MB/s of payload at 500 µs', () => {
    const ceiling = tsqCeiling({ limit: 262144, completionLatencyNs: 500_000, skbSize: 65160, skbTruesize: 66440 });
    expect(ceiling.skbsBelowTcp).toBe(4);
    expect(ceiling.payloadBytesPerSecond).toBe(521_280_000);
  });

  it.each([
    [262144, 66440, '>', 4],
    [262144, 66440, '>=', 4],
    [1 + 2 * 66440, 66440, '>', 3],
    [1 + 2 * 66440, 66440, '>=', 2],
    [0, 66440, '>', 0],
    [Infinity, 66440, '>', Infinity],
  ] as const)('fits %d / %d bytes under sk_wmem_alloc %s limit as %d skbs (sk_wmem_alloc starts at 1)', (limit, truesize, compare, skbs) => {
    expect(skbsBelowLimit(limit, truesize, compare)).toBe(skbs);
  });
});

describe('tsqLimitFor', () => {
  it('finds the limit 25 Gbit/s needs at 500 µs: 1.5625 MB per round, 24 skbs', () => {
    expect(tsqLimitFor({ rate: 3.125e9, completionLatencyNs: 500_000 })).toEqual({
      bytes: 1_562_500,
      skbs: 24,
      skbGranularBytes: 1 + 23 * 66440,
    });
  });

  it.each([
    ['>', 1 + 23 * 66440],
    ['>=', 2 + 23 * 66440],
  ] as const)('needs, under the %s test, %i bytes for 24 skbs (3.6–3.11 tcp_write_xmit: sk_wmem_alloc >= limit holds back)', (compare, bytes) => {
    const needed = tsqLimitFor({ rate: 3.125e9, completionLatencyNs: 500_000, compare });
    expect(needed.skbGranularBytes).toBe(bytes);
    expect(skbsBelowLimit(bytes, 66440, compare)).toBe(24);
    expect(skbsBelowLimit(bytes - 1, 66440, compare)).toBe(23);
  });

  it.each([
    [1e9, 100_000],
    [3.125e9, 500_000],
    [12.5e9, 2_000_000],
  ])('is the inverse of the ceiling: %d bytes/s at %i ns is reached with the limit it returns', (rate, latency) => {
    const needed = tsqLimitFor({ rate, completionLatencyNs: latency });
    expect(tsqCeiling({ limit: needed.skbGranularBytes, completionLatencyNs: latency }).payloadBytesPerSecond).toBeGreaterThanOrEqual(rate);
    expect(tsqCeiling({ limit: needed.skbGranularBytes - 1, completionLatencyNs: latency }).payloadBytesPerSecond).toBeLessThan(rate);
    expect(tsqCeiling({ limit: needed.bytes, completionLatencyNs: latency }).bytesPerSecond).toBeCloseTo(rate, -1);
  });
});
