import { atLeast } from '../series/kernel-version';
import { tsqKernel, type TsqKernelInput } from './tsq-kernel';

/**
 * `sk->sk_pacing_status`: `none` (SK_PACING_NONE: nobody paces), `needed` (SK_PACING_NEEDED: TCP paces itself, e.g.
 * BBR or SO_MAX_PACING_RATE), `fq` (SK_PACING_FQ: the fq qdisc paces the flow).
 */
export type SkPacingStatus = 'none' | 'needed' | 'fq';

/** The device class that decides `sk_pacing_shift`: wired (10) or mac80211 Wi-Fi (8, then 7). */
export type PacingDevice = 'default' | 'mac80211';

/**
 * The `sk_pacing_shift` a socket ends up with: 10 (`sock_init_data`, field since 4.15; a fixed `>> 10` before);
 * mac80211 lowers it via `sk_pacing_shift_update()` to 8 (4.19, hard-coded; 4.20, `tx_sk_pacing_shift`) and 7 (5.0 on,
 * `ieee80211_hw.tx_sk_pacing_shift` default; drivers may override). 4.16–4.18 are not checked and kept at 10.
 */
export function skPacingShift(input: TsqKernelInput, device: PacingDevice = 'default'): number {
  const kernel = tsqKernel(input);
  if (device === 'default' || !atLeast(kernel, '4.19')) return 10;
  return atLeast(kernel, '5.0') ? 7 : 8;
}

/** The congestion phase that picks the pacing ratio. */
export type PacingPhase = 'slow-start' | 'congestion-avoidance';

/**
 * `sk_pacing_rate` that `tcp_update_pacing_rate()` sets for a flow delivering `deliveryRate` bytes/s (cwnd * mss /
 * srtt): 200 % always up to 4.2; from 4.3 `tcp_pacing_ss_ratio` (200) in slow start and `tcp_pacing_ca_ratio` (120)
 * in congestion avoidance (4.2.8 lacks the sysctls, 4.4.178 has them). Up to 4.19 the field is u32, so the rate is
 * clamped to ~0U (`sk_max_pacing_rate`); from 4.20 it is `unsigned long`.
 */
export function skPacingRate(input: TsqKernelInput, deliveryRate: number, phase: PacingPhase = 'congestion-avoidance'): number {
  const kernel = tsqKernel(input);
  const percent = !atLeast(kernel, '4.3') || phase === 'slow-start' ? 200 : 120;
  const rate = Math.floor((deliveryRate * percent) / 100);
  return atLeast(kernel, '4.20') ? rate : Math.min(rate, 0xffffffff);
}
