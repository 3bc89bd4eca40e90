import { atLeast } from '../series/kernel-version';
import { defaultSkb } from './default-skb';
import { tcpLimitOutputBytesDefault } from './tcp-limit-output-bytes-default';
import { tsqKernel, type TsqKernelInput } from './tsq-kernel';
import { tsqRegime, type TsqRegime, type TsqRegimeId } from './tsq-regime';
import type { SkPacingStatus } from './sk-pacing';

/** What `tcp_small_queue_check()` (or the inline 3.x check) sees for one skb. */
export interface TsqLimitInput {
  readonly version: TsqKernelInput;
  /** `net.ipv4.tcp_limit_output_bytes` (an int: negatives are accepted by the kernel); default: the series' default. */
  readonly tcpLimitOutputBytes?: number;
  /** `sk_pacing_rate`, bytes per second; default 0. */
  readonly pacingRate?: number;
  /** `sk_pacing_shift`; default 10 (8 or 7 under Wi-Fi and cellular drivers, see `skPacingShiftOf`). Ignored before 4.15. */
  readonly pacingShift?: number;
  /** `skb->truesize`; default the full TSO skb of `defaultSkb`. */
  readonly skbTruesize?: number;
  /** `sk_pacing_status`; default `none`. */
  readonly pacingStatus?: SkPacingStatus;
  /** A retransmit (`factor` 1: the limit doubles). Before 4.9 retransmits are not checked at all. */
  readonly retransmit?: boolean;
  /** `TCP_TX_DELAY` in microseconds (5.3 on); default 0. */
  readonly tcpTxDelayUs?: number;
}

/** One line of the explanation: the kernel name, the expression with the numbers, and its value. */
export interface TsqLimitStep {
  readonly kernel: string;
  readonly expression: string;
  readonly value: number;
}

/** Which term decided the limit (before the retransmit shift and the tx_delay bytes). */
export type TsqBindingTerm = 'tcp_limit_output_bytes' | 'sk_pacing_rate' | '2 * truesize' | 'none';

/** The per-socket TSQ limit: the skb is held back when `sk_wmem_alloc` `compare` `limit`. */
export interface TsqLimit {
  readonly series: string;
  readonly regime: TsqRegimeId;
  readonly formula: string;
  /** False when no TSQ check happens for this skb: before 3.6, a retransmit before 4.9. */
  readonly applies: boolean;
  /**
   * True when the check holds back every new skb (3.6–3.11 with `tcp_limit_output_bytes` ≤ 0: `sk_wmem_alloc`,
   * at least 1, is always `>=` it): new data stalls and only retransmits go out.
   */
  readonly stalls: boolean;
  /** Bytes of truesize; Infinity when the check does not apply. */
  readonly limit: number;
  readonly compare: TsqRegime['compare'];
  readonly bindingTerm: TsqBindingTerm;
  readonly tcpLimitOutputBytes: number;
  readonly pacingRate: number;
  readonly pacingShift: number;
  readonly steps: readonly TsqLimitStep[];
  readonly notes: readonly string[];
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function bigMin(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** The per-socket TSQ limit of a kernel for one skb, with the steps that lead to it. */
export function tsqLimit(input: TsqLimitInput): TsqLimit {
  const kernel = tsqKernel(input.version);
  const regime = tsqRegime(kernel);
  const sysctl = Math.trunc(input.tcpLimitOutputBytes ?? tcpLimitOutputBytesDefault(kernel) ?? 0);
  const truesize = Math.trunc(input.skbTruesize ?? defaultSkb.truesize);
  const status = input.pacingStatus ?? 'none';
  const txDelay = Math.trunc(input.tcpTxDelayUs ?? 0);
  const requestedShift = input.pacingShift ?? 10;
  const shift = regime.hasPacingShift ? requestedShift : 10;
  const notes = [...regime.notes];
  const steps: TsqLimitStep[] = [];
  const sysctlName = atLeast(kernel, '4.15') ? 'net->ipv4.sysctl_tcp_limit_output_bytes' : 'sysctl_tcp_limit_output_bytes';
  const base = {
    series: regime.series,
    regime: regime.id,
    formula: regime.formula,
    compare: regime.compare,
    tcpLimitOutputBytes: sysctl,
    pacingShift: shift,
  };
  const off = (pacingRate: number, why: string): TsqLimit => ({
    ...base,
    applies: false,
    stalls: false,
    limit: Infinity,
    bindingTerm: 'none',
    pacingRate,
    steps: [...steps, { kernel: regime.checkFunction, expression: why, value: Infinity }],
    notes,
  });

  steps.push({
    kernel: sysctlName,
    expression: input.tcpLimitOutputBytes === undefined ? `${regime.series} default` : 'given',
    value: sysctl,
  });
  if (regime.id === 'none') return off(0, 'no TSQ before 3.6');
  if (!regime.hasPacingShift && requestedShift !== 10) notes.push(`sk_pacing_shift does not exist before 4.15: the shift is 10.`);
  if (!regime.hasTxDelay && txDelay > 0) notes.push('TCP_TX_DELAY does not exist before 5.3: ignored.');
  if (input.retransmit === true && !regime.checksRetransmits) return off(0, 'retransmits are not checked by TSQ before 4.9');

  // 3.6–3.11 net/ipv4/tcp_output.c tcp_write_xmit: `if (atomic_read(&sk->sk_wmem_alloc) >= sysctl_tcp_limit_output_bytes)`
  // (int compare). sk_alloc sets sk_wmem_alloc to 1, so a sysctl ≤ 0 holds back every skb; tcp_transmit_skb then picks
  // sock_wfree, so nothing ever queues the socket for the tasklet either.
  if (regime.id === 'fixed') {
    steps.push({ kernel: 'tcp_write_xmit', expression: `throttle when sk_wmem_alloc >= ${sysctl}`, value: sysctl });
    const stalls = sysctl <= 0;
    if (stalls) {
      notes.push(
        `tcp_limit_output_bytes = ${sysctl} ≤ 0 on ${regime.series}: sk_wmem_alloc (≥ 1) >= ${sysctl} always holds, so tcp_write_xmit sends no new data; only retransmits go out. Set it > 0.`,
      );
    }
    return { ...base, applies: true, stalls, limit: sysctl, bindingTerm: 'tcp_limit_output_bytes', pacingRate: 0, steps, notes };
  }

  const bits = regime.width === 'u64' ? 64 : 32;
  const wrap = (value: bigint): bigint => BigInt.asUintN(bits, value);
  // sk_pacing_rate is u32 up to 4.19 (tcp_update_pacing_rate clamps to sk_max_pacing_rate = ~0U), unsigned long from 4.20.
  const rate = bits === 32 ? bigMin(BigInt(Math.floor(input.pacingRate ?? 0)), 0xffffffffn) : BigInt(Math.floor(input.pacingRate ?? 0));
  const pacingRate = Number(rate);
  const rateTerm = rate >> BigInt(shift);
  // min_t/max_t cast the int sysctl to the unsigned type: a negative value becomes huge (no cap).
  const sysctlTerm = wrap(BigInt(sysctl));
  const shiftName = regime.hasPacingShift ? 'sk_pacing_shift' : '10';
  steps.push({ kernel: regime.checkFunction, expression: `sk_pacing_rate >> ${shiftName} = ${pacingRate} >> ${shift}`, value: Number(rateTerm) });

  let limit: bigint;
  let bindingTerm: TsqBindingTerm;
  if (regime.id === 'pacing-floor') {
    // 3.12–3.18 tcp_write_xmit: max_t(unsigned int, sysctl_tcp_limit_output_bytes, sk->sk_pacing_rate >> 10).
    limit = bigMax(sysctlTerm, rateTerm);
    bindingTerm = sysctlTerm >= rateTerm ? 'tcp_limit_output_bytes' : 'sk_pacing_rate';
    steps.push({ kernel: regime.checkFunction, expression: `max(${sysctlTerm}, ${rateTerm})`, value: Number(limit) });
  } else {
    // 3.19–4.14 and 4.15+ tcp_small_queue_check: max(2 * skb->truesize, sk_pacing_rate >> shift), then the sysctl min.
    const floorTerm = wrap(2n * BigInt(truesize));
    const floored = bigMax(floorTerm, rateTerm);
    steps.push({ kernel: regime.checkFunction, expression: `max(2 * truesize = ${floorTerm}, ${rateTerm})`, value: Number(floored) });
    const capped = regime.id !== 'paced-uncapped' || status === 'none';
    if (capped) {
      limit = bigMin(floored, sysctlTerm);
      bindingTerm = sysctlTerm < floored ? 'tcp_limit_output_bytes' : floorTerm >= rateTerm ? '2 * truesize' : 'sk_pacing_rate';
      steps.push({ kernel: regime.checkFunction, expression: `min(${floored}, tcp_limit_output_bytes = ${sysctlTerm})`, value: Number(limit) });
    } else {
      limit = floored;
      bindingTerm = floorTerm >= rateTerm ? '2 * truesize' : 'sk_pacing_rate';
      steps.push({
        kernel: regime.checkFunction,
        expression: `no min with tcp_limit_output_bytes: sk_pacing_status = SK_PACING_${status.toUpperCase()} (5.0–6.15)`,
        value: Number(limit),
      });
    }
  }
  if (input.retransmit === true) {
    limit = wrap(limit << 1n);
    steps.push({ kernel: regime.checkFunction, expression: 'limit <<= factor (1: retransmit)', value: Number(limit) });
  }
  if (regime.hasTxDelay && txDelay > 0) {
    // 5.3+ tcp_small_queue_check: extra_bytes = (u64)sk_pacing_rate * tcp_tx_delay >> (20 - 1).
    const extra = (rate * BigInt(txDelay)) >> 19n;
    limit = wrap(limit + extra);
    steps.push({ kernel: regime.checkFunction, expression: `+ sk_pacing_rate * tcp_tx_delay >> 19 = ${extra}`, value: Number(limit) });
  }
  steps.push({ kernel: regime.checkFunction, expression: `throttle when sk_wmem_alloc ${regime.compare} limit`, value: Number(limit) });
  return { ...base, applies: true, stalls: false, limit: Number(limit), bindingTerm, pacingRate, steps, notes };
}
