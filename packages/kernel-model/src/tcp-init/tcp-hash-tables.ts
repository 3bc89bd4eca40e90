import type { KernelParse } from '../hardware/kstrtoul';
import type { SeriesFacts } from '../series/series-facts';
import { allocLargeSystemHash, type LargeSystemHashResult } from '../zones/alloc-large-system-hash';

/** The TCP hash tables tcp_init() allocates. */
export interface TcpHashTables {
  readonly established: LargeSystemHashResult;
  readonly bind: LargeSystemHashResult;
  /** `tcp_listen_portaddr_hash` (4.19+). */
  readonly lhash2: LargeSystemHashResult | undefined;
  /** thash_entries as tcp_init used it (0 = automatic). */
  readonly thashEntries: number;
}

/**
 * `tcp_init()` hash sizing (3.10 → 7.1): "TCP established" with numentries = thash_entries, scale 17, high_limit
 * 512K unless thash_entries is set; "TCP bind" with numentries = ehash size, high_limit 64K (so bind = min(ehash,
 * 65536)); since 4.19 `inet_hashinfo2_init()` sizes lhash2 from thash_entries with scale 21, high_limit 64K.
 */
export function tcpHashTables(
  thash: KernelParse | undefined,
  counts: { nrKernelPages: number; nrAllPages: number },
  series: SeriesFacts,
  pageShift = 12,
): TcpHashTables {
  const thashEntries = thash?.ok === true ? thash.value : 0;
  const context = { ...counts, pageShift, adaptiveScale: series.adaptiveHashScale };
  const established = allocLargeSystemHash(
    { bucketBytes: series.ehashBucketBytes, numentries: thashEntries, scale: 17, lowLimit: 0, highLimit: thashEntries !== 0 ? 0 : 512 * 1024 },
    context,
  );
  const bind = allocLargeSystemHash(
    { bucketBytes: series.bhashBucketBytes, numentries: established.entries, scale: 17, lowLimit: 0, highLimit: 64 * 1024 },
    context,
  );
  const lhash2 = series.hasLhash2
    ? allocLargeSystemHash({ bucketBytes: 16, numentries: thashEntries, scale: 21, lowLimit: 0, highLimit: 64 * 1024 }, context)
    : undefined;
  return { established, bind, lhash2, thashEntries };
}

/** Limits derived from the ehash size: tw buckets, orphans, SYN backlog (net/ipv4/tcp.c tcp_init(), net/ipv4/tcp_ipv4.c tcp_sk_init() 4.12 – 6.0 and tcp_set_hashinfo() ≥ 6.1). */
export function ehashLimits(ehashEntries: number, series: SeriesFacts): { tcp_max_tw_buckets: number; tcp_max_orphans: number; tcp_max_syn_backlog: number } {
  return {
    // tcp_init() ≤ 4.10, tcp_sk_init() 4.12 – 6.0, tcp_set_hashinfo() ≥ 6.1: cnt / 2 ((cnt+1)/2 in 4.12 – 4.19).
    tcp_max_tw_buckets: Math.floor(ehashEntries / 2),
    // tcp_init(), every version: cnt / 2.
    tcp_max_orphans: Math.floor(ehashEntries / 2),
    // max(128, cnt / 256) ≤ 5.3, max(128, cnt / 128) ≥ 5.4.
    tcp_max_syn_backlog: Math.max(128, Math.floor(ehashEntries / series.synBacklogDivisor)),
  };
}
