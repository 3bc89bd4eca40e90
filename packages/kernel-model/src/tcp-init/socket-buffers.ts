import type { SeriesFacts } from '../series/series-facts';
import type { Triple } from './tcp-mem';

/**
 * `tcp_init()` per-socket limits (net/ipv4/tcp.c, 3.10 → 7.1): cap = nfbp << (PAGE_SHIFT − 7) (1/128 of the
 * buffer pages in bytes); wmem = [Q, 16384, max(64 KiB, min(4 MiB, cap))], rmem = [Q, R1, max(R1, min(RMAX, cap))]
 * with Q = SK_MEM_QUANTUM (PAGE_SIZE, or 4096 in 4.10 – 6.0), R1 = 87380 ≤ 4.19 / 131072 ≥ 4.20, RMAX = 6 MiB ≤ 6.15 /
 * 32 MiB ≥ 6.16.
 */
export function socketBuffers(nrFreeBufferPages: number, series: SeriesFacts, pageSize = 4096): { tcp_wmem: Triple; tcp_rmem: Triple; cap: number } {
  const pageShift = Math.log2(pageSize);
  const cap = nrFreeBufferPages * 2 ** (pageShift - 7);
  const quantum = series.skMemQuantum === 'page-size' ? pageSize : series.skMemQuantum;
  return {
    cap,
    tcp_wmem: [quantum, series.wmemDefault, Math.max(series.wmemMaxFloor, Math.min(series.wmemMax, cap))],
    tcp_rmem: [quantum, series.rmemDefault, Math.max(series.rmemDefault, Math.min(series.rmemMax, cap))],
  };
}
