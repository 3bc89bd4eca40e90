import { atLeast, seriesOf } from '../series/kernel-version';
import { isRhel8, tsqKernel, tsqSublevel, type TsqKernel, type TsqKernelInput } from './tsq-kernel';

/**
 * How a series computes the per-socket TSQ limit (net/ipv4/tcp_output.c; `tcp_write_xmit` up to 4.8,
 * `tcp_small_queue_check` from 4.9):
 * - `none`: before 3.6, no TSQ;
 * - `fixed`: 3.6–3.11, throttle when `sk_wmem_alloc >= tcp_limit_output_bytes`;
 * - `pacing-floor`: 3.12–3.18, `max(tcp_limit_output_bytes, sk_pacing_rate >> 10)`;
 * - `min-max`: 3.19–4.14, `min(max(2*truesize, sk_pacing_rate >> 10), tcp_limit_output_bytes)`;
 * - `pacing-shift`: 4.15–4.20, the same with `>> sk_pacing_shift`;
 * - `paced-uncapped`: 5.0–6.15, the min with the sysctl only for `SK_PACING_NONE`;
 * - `always-capped`: 6.16 and later, the min always.
 */
export type TsqRegimeId = 'none' | 'fixed' | 'pacing-floor' | 'min-max' | 'pacing-shift' | 'paced-uncapped' | 'always-capped';

/**
 * When `tcp_small_queue_check` lets an skb go although the limit is exceeded:
 * - `none`: up to 4.9;
 * - `first-or-second-skb`: 4.10–4.14, the 1st or 2nd skb of the write queue (75eefc6c59fd);
 * - `rtx-queue-empty`: 4.15 on, after the rb-tree retransmit queue (75c119afe14f) dropped the second case;
 * - `rtx-queue-empty-or-single-skb`: `tcp_rtx_queue_empty_or_single_skb`, f921a4a5bffa "tcp: tsq: relax
 *   tcp_small_queue_check() when rtx queue contains a single skb" (6.6-rc7), and the stables of 23 Oct 2023 (see
 *   `singleSkbStable`).
 */
export type TsqSendAnyway = 'none' | 'first-or-second-skb' | 'rtx-queue-empty' | 'rtx-queue-empty-or-single-skb';

/** The TSQ facts of one kernel: which formula, how it compares, and in what integer width it computes. */
export interface TsqRegime {
  readonly series: string;
  readonly id: TsqRegimeId;
  /** The kernel expression of the limit, in the series' own names. */
  readonly formula: string;
  /** The throttle test: `sk_wmem_alloc >= limit` (3.6–3.11) or `sk_wmem_alloc > limit` (3.12 on). */
  readonly compare: '>=' | '>';
  /** Where the check lives: inline in `tcp_write_xmit` up to 4.8, `tcp_small_queue_check()` from 4.9. */
  readonly checkFunction: 'tcp_write_xmit' | 'tcp_small_queue_check';
  /** Integer width of the arithmetic: `int` (3.6–3.11), `u32` (to 4.19), `u64` (`unsigned long`, 4.20 on). */
  readonly width: 'int' | 'u32' | 'u64';
  /** Whether `sk_pacing_rate` exists (3.12 on, and the 3.10.y stable backport). */
  readonly hasPacingRate: boolean;
  /** Whether the shift is the `sk_pacing_shift` field (4.15 on) rather than a fixed 10. */
  readonly hasPacingShift: boolean;
  /** Whether retransmits go through TSQ, with `limit <<= 1` (4.9 on, "tcp: implement TSQ for retransmits"). */
  readonly checksRetransmits: boolean;
  /** Whether `TCP_TX_DELAY` adds `sk_pacing_rate * tcp_tx_delay >> 19` bytes (5.3 on). */
  readonly hasTxDelay: boolean;
  /**
   * Whether a sysctl ≤ 0 stalls new data (3.6–3.11): `tcp_transmit_skb` picks `sock_wfree` over `tcp_wfree`, but
   * `tcp_write_xmit` still tests `sk_wmem_alloc >= sysctl`, and `sk_wmem_alloc` starts at 1 (`sk_alloc`), so every
   * call stops before its first skb; only retransmits (not checked before 4.9) go out.
   */
  readonly sysctlNonPositiveStalls: boolean;
  /**
   * The `tcp_wfree`/handler order: `pre-4.10` (3.6–4.9: `test_and_clear_bit(TSQ_THROTTLED)` then
   * `test_and_set_bit(TSQ_QUEUED)`, so a completion clears THROTTLED even on a queued socket; the handler clears
   * `TSQ_QUEUED` after `tcp_tsq_handler`) or `4.10` (a cmpxchg that leaves a queued socket's flags alone; the handler
   * clears `TSQ_QUEUED` first).
   */
  readonly wfreeOrder: 'pre-4.10' | '4.10';
  readonly sendAnyway: TsqSendAnyway;
  /** Notes on how sure the model is of this version (stable backports, unpinned sublevels). */
  readonly notes: readonly string[];
}

const formulas: Readonly<Record<TsqRegimeId, string>> = {
  none: 'no TCP Small Queues before 3.6',
  fixed: 'tcp_limit_output_bytes',
  'pacing-floor': 'max(tcp_limit_output_bytes, sk_pacing_rate >> 10)',
  'min-max': 'min(max(2 * truesize, sk_pacing_rate >> 10), tcp_limit_output_bytes)',
  'pacing-shift': 'min(max(2 * truesize, sk_pacing_rate >> sk_pacing_shift), tcp_limit_output_bytes)',
  'paced-uncapped':
    'max(2 * truesize, sk_pacing_rate >> sk_pacing_shift), then min with tcp_limit_output_bytes if sk_pacing_status == SK_PACING_NONE',
  'always-capped': 'min(max(2 * truesize, sk_pacing_rate >> sk_pacing_shift), tcp_limit_output_bytes)',
};

/**
 * The first stable sublevel of each series that carries f921a4a5bffa (stable review of 23 Oct 2023: 4.19.297-rc1,
 * 5.4.259-rc1, 5.10.199, 5.15.137-rc1, 6.1.60-rc1 and 6.5.9-rc1 shortlogs list it; the Debian 6.1 changelog lists it under
 * ChangeLog-6.1.60). 6.6 has it from 6.6.0. Series not listed reached end of life before it.
 */
export const singleSkbStable: Readonly<Record<string, number>> = { '4.19': 297, '5.4': 259, '5.10': 199, '5.15': 137, '6.1': 60, '6.5': 9 };

/** RHEL 7 kernels (3.10.0-*.el7) carry "tcp: TSQ can use a dynamic limit" (RHEL bug 996802, seen in its changelog). */
function hasDynamicLimitBackport(kernel: TsqKernel): boolean {
  return (kernel.patch ?? 0) >= 28 || /\.el7/.test(kernel.localVersion ?? '');
}

function regimeId(kernel: TsqKernel): TsqRegimeId {
  if (!atLeast(kernel, '3.6')) return 'none';
  // 3.10.y took the 3.12 form in a stable release between 3.10.15 and 3.10.28 (MIPS 3.10-LTS changelog); 3.10.108.
  if (kernel.major === 3 && kernel.minor === 10 && hasDynamicLimitBackport(kernel)) return 'pacing-floor';
  if (!atLeast(kernel, '3.12')) return 'fixed';
  if (!atLeast(kernel, '3.19')) return 'pacing-floor';
  if (!atLeast(kernel, '4.15')) return 'min-max';
  if (!atLeast(kernel, '5.0')) return 'pacing-shift';
  if (!atLeast(kernel, '6.16')) return 'paced-uncapped';
  return 'always-capped';
}

function sendAnyway(kernel: TsqKernel): TsqSendAnyway {
  if (!atLeast(kernel, '4.10')) return 'none';
  if (!atLeast(kernel, '4.15')) return 'first-or-second-skb';
  if (atLeast(kernel, '6.6')) return 'rtx-queue-empty-or-single-skb';
  const first = singleSkbStable[seriesOf(kernel)];
  const sublevel = tsqSublevel(kernel);
  return first !== undefined && sublevel !== undefined && sublevel >= first ? 'rtx-queue-empty-or-single-skb' : 'rtx-queue-empty';
}

function notes(kernel: TsqKernel, id: TsqRegimeId): string[] {
  const result: string[] = [];
  if (id === 'fixed') {
    result.push('3.6–3.11 have no sk_pacing_rate: the limit is tcp_limit_output_bytes alone.');
  }
  if (kernel.major === 3 && kernel.minor === 10) {
    result.push(
      id === 'fixed'
        ? '3.10.y stables from 3.10.15–3.10.28 on (and RHEL 7) use the 3.12 dynamic limit; this sublevel is modelled as vanilla 3.10.'
        : 'modelled with the 3.12 dynamic limit backported to 3.10.y (3.10.108).',
    );
  }
  const first = singleSkbStable[seriesOf(kernel)];
  if (first !== undefined && tsqSublevel(kernel) === undefined) {
    result.push(
      `the release does not give the ${seriesOf(kernel)}.y sublevel: modelled as ${seriesOf(kernel)}.0; from ${seriesOf(kernel)}.${first} on (f921a4a5bffa) an skb also goes when the rtx queue holds a single skb.`,
    );
  }
  if (isRhel8(kernel)) {
    result.push(
      'RHEL 8 (4.18.0-*.el8) backports much of 5.x TSQ; which parts cannot be told from the release string: modelled as vanilla 4.18 except the Wi-Fi pacing shift.',
    );
  }
  return result;
}

/** The TSQ facts of a kernel version. */
export function tsqRegime(input: TsqKernelInput): TsqRegime {
  const kernel = tsqKernel(input);
  const id = regimeId(kernel);
  return {
    series: seriesOf(kernel),
    id,
    formula: formulas[id],
    compare: id === 'fixed' ? '>=' : '>',
    checkFunction: atLeast(kernel, '4.9') ? 'tcp_small_queue_check' : 'tcp_write_xmit',
    width: id === 'fixed' || id === 'none' ? 'int' : atLeast(kernel, '4.20') ? 'u64' : 'u32',
    hasPacingRate: id !== 'none' && id !== 'fixed',
    hasPacingShift: atLeast(kernel, '4.15'),
    checksRetransmits: atLeast(kernel, '4.9'),
    hasTxDelay: atLeast(kernel, '5.3'),
    sysctlNonPositiveStalls: id === 'fixed',
    wfreeOrder: atLeast(kernel, '4.10') ? '4.10' : 'pre-4.10',
    sendAnyway: sendAnyway(kernel),
    notes: notes(kernel, id),
  };
}
