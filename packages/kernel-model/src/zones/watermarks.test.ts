import { parseKernelRelease } from '../series/kernel-version';
import { seriesFactsFor } from '../series/series-facts';
import { bootWatermarks, intSqrt, nrFreeBufferPages, setupPerZoneWmarks, sqrtMinFreeKbytes } from './watermarks';

const series = (release: string) => seriesFactsFor(parseKernelRelease(release)!);
// Boot-time managed pages of the Debian 6.1 cloud 1 GiB QEMU boot (live zoneinfo minus what was freed after tcp_init).
const oneGiB = [
  { zone: 'DMA' as const, managed: 3840 },
  { zone: 'DMA32' as const, managed: 242918 },
];

describe('watermarks', () => {
  it.each([
    [0, 0],
    [15, 3],
    [16, 4],
    [15792512, 3973],
  ])('int_sqrt(%i) = %i', (n, root) => {
    expect(intSqrt(n)).toBe(root);
  });

  it('clamps the sqrt min_free_kbytes to [128, cap]', () => {
    expect(sqrtMinFreeKbytes(100, 65536)).toBe(128);
    expect(sqrtMinFreeKbytes(2 ** 40, 65536)).toBe(65536);
    expect(sqrtMinFreeKbytes(2 ** 40, 262144)).toBe(262144);
  });

  it('splits min_free_kbytes 45056 over DMA and DMA32 the way the 1 GiB boot shows (min 175/11088, high 261/16632)', () => {
    expect(setupPerZoneWmarks(oneGiB, 45056, series('6.1'))).toEqual([
      { min: 175, low: 218, high: 261 },
      { min: 11088, low: 13860, high: 16632 },
    ]);
  });

  it('uses low = min×5/4 and high = min×3/2 before 4.6', () => {
    expect(setupPerZoneWmarks([{ zone: 'DMA32', managed: 1000 }], 400, series('4.4'))).toEqual([{ min: 100, low: 125, high: 150 }]);
  });

  it('raises min_free_kbytes for THP to 512 × zones × 11 pages when RAM is at least 512 MiB', () => {
    const wm = bootWatermarks(oneGiB, series('6.1'), 'always');
    expect([wm.sqrtMinFreeKbytes, wm.minFreeKbytes, wm.thpRaised]).toEqual([3973, 45056, true]);
    expect(nrFreeBufferPages(oneGiB, wm.atTcpInit)).toBe(246758 - 261 - 16632);
  });

  it('leaves no watermarks for tcp_init before 3.14, and only THP ones in 3.14 – 4.5', () => {
    expect(bootWatermarks(oneGiB, series('3.10'), 'always').atTcpInit.every((w) => w.high === 0)).toBe(true);
    expect(bootWatermarks(oneGiB, series('4.4.0'), 'never').atTcpInit.every((w) => w.high === 0)).toBe(true);
    expect(bootWatermarks(oneGiB, series('4.4.0'), 'always').minFreeKbytesAtTcpInit).toBe(45056);
    expect(bootWatermarks(oneGiB, series('4.4.0'), 'always').minFreeKbytes).toBe(3973);
  });

  it('recomputes the sqrt value with watermarks in place when THP is off on 6.1+, but not when THP is not built in', () => {
    expect(bootWatermarks(oneGiB, series('6.1'), 'never').minFreeKbytes).toBeLessThan(3973);
    expect(bootWatermarks(oneGiB, series('6.1'), 'not-built').minFreeKbytes).toBe(3973);
    expect(bootWatermarks(oneGiB, series('5.15'), 'never').minFreeKbytes).toBe(3973);
  });

  it('counts only zones up to Normal in nr_free_buffer_pages()', () => {
    expect(nrFreeBufferPages([{ zone: 'Normal', managed: 100 }, { zone: 'Movable', managed: 50 }], undefined)).toBe(100);
  });
});
