import { defaultSkb } from './default-skb';

/** A TSQ limit and the time a transmitted skb stays below TCP (qdisc + driver + TX completion). */
export interface TsqCeilingInput {
  /** The per-socket TSQ limit, bytes of truesize (see `tsqLimit`). */
  readonly limit: number;
  /** The throttle test of the series; default `>` (3.12 on). */
  readonly compare?: '>=' | '>';
  /** Mean time from handing an skb to the qdisc to its `tcp_wfree()`, ns. */
  readonly completionLatencyNs: number;
  readonly skbSize?: number;
  readonly skbTruesize?: number;
}

/** The per-flow throughput ceiling TSQ imposes: at most `limit` bytes can be below TCP per completion round. */
export interface TsqCeiling {
  /**
   * `limit / completion latency`, bytes per second: the rule of thumb. No floor is applied here: where the kernel
   * has the `2 * truesize` floor (3.19 on) it comes before the min with the sysctl, so `tsqLimit` already gives the
   * limit the kernel compares with (a 65536 sysctl stays 65536).
   */
  readonly bytesPerSecond: number;
  /** Whole skbs that fit below TCP: `sk_wmem_alloc` starts at 1 and an skb goes while the test is false. */
  readonly skbsBelowTcp: number;
  /** Payload bytes per second with whole skbs: `skbsBelowTcp * size / latency`. */
  readonly payloadBytesPerSecond: number;
}

/**
 * Whole skbs of `truesize` sent before `1 + k * truesize` (sk_wmem_alloc, which `sk_alloc` starts at 1) trips the
 * test against `limit`: `>` (3.12 on, `tcp_small_queue_check`) or `>=` (3.6–3.11 `tcp_write_xmit`).
 */
export function skbsBelowLimit(limit: number, truesize: number, compare: '>=' | '>' = '>'): number {
  if (!Number.isFinite(limit)) return Infinity;
  if (compare === '>') return limit < 1 ? 0 : Math.floor((limit - 1) / truesize) + 1;
  return limit <= 1 ? 0 : Math.ceil((limit - 1) / truesize);
}

/** The closed-form ceiling (tcp_small_queue_check + tcp_wfree, every TSQ series): limit / completion latency. */
export function tsqCeiling(input: TsqCeilingInput): TsqCeiling {
  const size = input.skbSize ?? defaultSkb.size;
  const truesize = input.skbTruesize ?? defaultSkb.truesize;
  const perSecond = 1e9 / input.completionLatencyNs;
  const skbs = skbsBelowLimit(input.limit, truesize, input.compare ?? '>');
  return {
    bytesPerSecond: input.limit * perSecond,
    skbsBelowTcp: skbs,
    payloadBytesPerSecond: skbs === 0 ? 0 : skbs * size * perSecond,
  };
}

/** A target per-flow rate and the completion latency it must live with. */
export interface TsqLimitForInput {
  /** Target payload rate, bytes per second. */
  readonly rate: number;
  readonly completionLatencyNs: number;
  /** The throttle test of the series; default `>` (3.12 on). */
  readonly compare?: '>=' | '>';
  readonly skbSize?: number;
  readonly skbTruesize?: number;
}

/** The TSQ limit (hence `tcp_limit_output_bytes`, where the sysctl is the binding term) a target rate needs. */
export interface TsqLimitFor {
  /** `rate * latency`: the inverse of the rule of thumb. */
  readonly bytes: number;
  /** Whole skbs the rate needs below TCP per round. */
  readonly skbs: number;
  /**
   * The smallest limit that lets that many skbs go: `1 + (skbs - 1) * truesize` under the `>` test, one byte more
   * under the `>=` test of 3.6–3.11 (the last skb needs `1 + (skbs - 1) * truesize < limit`).
   */
  readonly skbGranularBytes: number;
}

/** The inverse of `tsqCeiling`: how large the limit must be for `rate` at `completionLatencyNs`. */
export function tsqLimitFor(input: TsqLimitForInput): TsqLimitFor {
  const size = input.skbSize ?? defaultSkb.size;
  const truesize = input.skbTruesize ?? defaultSkb.truesize;
  const perRound = (input.rate * input.completionLatencyNs) / 1e9;
  const skbs = Math.max(1, Math.ceil(perRound / size - 1e-9));
  const strict = input.compare === '>=' ? 1 : 0;
  return { bytes: Math.ceil(perRound - 1e-9), skbs, skbGranularBytes: 1 + (skbs - 1) * truesize + strict };
}
