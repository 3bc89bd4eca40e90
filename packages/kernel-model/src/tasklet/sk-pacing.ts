import { atLeast } from '../series/kernel-version';
import { isRhel8, tsqKernel, tsqSublevel, type TsqKernel, type TsqKernelInput } from './tsq-kernel';

/**
 * `sk->sk_pacing_status`: `none` (SK_PACING_NONE: nobody paces), `needed` (SK_PACING_NEEDED: TCP paces itself, e.g.
 * BBR or SO_MAX_PACING_RATE), `fq` (SK_PACING_FQ: the fq qdisc paces the flow).
 */
export type SkPacingStatus = 'none' | 'needed' | 'fq';

/**
 * The driver class that decides `sk_pacing_shift`: `wired` (nothing calls `sk_pacing_shift_update`, the shift stays
 * at `sock_init_data`'s 10), `mac80211` (Wi-Fi drivers on mac80211), `brcmfmac` (Broadcom FullMAC Wi-Fi, not on
 * mac80211) and `rmnet` (Qualcomm cellular data).
 */
export type PacingDevice = 'wired' | 'mac80211' | 'brcmfmac' | 'rmnet';

/** Every driver class, for flags and validation. */
export const pacingDevices: readonly PacingDevice[] = ['wired', 'mac80211', 'brcmfmac', 'rmnet'];

/** The 4.19.y sublevels whose mac80211 shift was read: 4.19.0 hard-codes 8, 4.19.237 hard-codes 7. */
const mac80211Seven419 = { readEight: 0, readSeven: 237 } as const;

/** `sk_pacing_shift` with the rule it follows and what the model could not pin. */
export interface SkPacingShift {
  readonly shift: number;
  /** The kernel file and function the value is read from. */
  readonly source: string;
  readonly notes: readonly string[];
}

function mac80211Shift(kernel: TsqKernel): SkPacingShift {
  // net/mac80211/tx.c __ieee80211_subif_start_xmit: sk_pacing_shift_update(skb->sk, 8), 36148c2bbfbe (4.16-rc5).
  const eight = { shift: 8, source: 'net/mac80211/tx.c __ieee80211_subif_start_xmit: sk_pacing_shift_update(skb->sk, 8) (36148c2bbfbe, 4.16–4.19.0)', notes: [] };
  const seven = { shift: 7, source: 'net/mac80211/main.c ieee80211_alloc_hw_nm: local->hw.tx_sk_pacing_shift = 7 (5.0 on)', notes: [] };
  if (!atLeast(kernel, '4.16')) return { shift: 10, source: 'net/mac80211/tx.c: no sk_pacing_shift_update before 4.16', notes: [] };
  if (isRhel8(kernel)) {
    return { ...seven, source: 'RHEL 8 (4.18.0-*.el8) mac80211 backport: tx_sk_pacing_shift 7' };
  }
  if (kernel.major === 4 && kernel.minor === 19) {
    const sublevel = tsqSublevel(kernel);
    if (sublevel === undefined || sublevel === mac80211Seven419.readEight) {
      return { ...eight, notes: sublevel === undefined ? ['no 4.19 sublevel given: modelled as 4.19.0 (mac80211 shift 8); later 4.19.y stables hard-code 7.'] : [] };
    }
    const pinned = sublevel >= mac80211Seven419.readSeven;
    return {
      shift: 7,
      source: 'net/mac80211/tx.c __ieee80211_subif_start_xmit: sk_pacing_shift_update(skb->sk, 7) (4.19.y stable backport, read in 4.19.237)',
      notes: pinned ? [] : [`4.19.y moved mac80211 from 8 to 7 in a stable release after 4.19.0 and by 4.19.237; 4.19.${sublevel} is modelled with 7.`],
    };
  }
  if (kernel.major === 4 && kernel.minor === 20) {
    return { shift: 8, source: 'net/mac80211/main.c ieee80211_alloc_hw_nm: local->hw.tx_sk_pacing_shift = 8 (4.20)', notes: [] };
  }
  return atLeast(kernel, '5.0') ? seven : eight;
}

/**
 * The `sk_pacing_shift` a socket ends up with for a driver class: 10 (`sock_init_data`, field since 4.15; a fixed
 * `>> 10` before), lowered by the driver's `sk_pacing_shift_update()` (include/net/sock.h, 4.16 on): mac80211 8
 * (4.16–4.19.0, 4.20), 7 (later 4.19.y, 5.0 on; RHEL 8); brcmfmac and rmnet 8.
 */
export function skPacingShiftOf(input: TsqKernelInput, device: PacingDevice = 'wired'): SkPacingShift {
  const kernel = tsqKernel(input);
  if (!atLeast(kernel, '4.15')) return { shift: 10, source: 'tcp_write_xmit: a fixed >> 10 (no sk_pacing_shift before 4.15)', notes: [] };
  switch (device) {
    case 'wired':
      return { shift: 10, source: 'net/core/sock.c sock_init_data: sk_pacing_shift = 10', notes: [] };
    case 'mac80211':
      return mac80211Shift(kernel);
    case 'brcmfmac':
    case 'rmnet': {
      const where =
        device === 'brcmfmac'
          ? 'drivers/net/wireless/broadcom/brcm80211/brcmfmac/core.c brcmf_netdev_start_xmit'
          : 'drivers/net/ethernet/qualcomm/rmnet/rmnet_handlers.c rmnet_egress_handler';
      if (!atLeast(kernel, '4.16')) return { shift: 10, source: 'include/net/sock.h: no sk_pacing_shift_update before 4.16', notes: [] };
      return { shift: 8, source: `${where}: sk_pacing_shift_update(skb->sk, 8)`, notes: [`the ${device} call is modelled from 4.16 on; older ${device} versions may not make it.`] };
    }
  }
}

/** The shift alone (see `skPacingShiftOf`). */
export function skPacingShift(input: TsqKernelInput, device: PacingDevice = 'wired'): number {
  return skPacingShiftOf(input, device).shift;
}

/** The congestion phase that picks the pacing ratio. */
export type PacingPhase = 'slow-start' | 'congestion-avoidance';

/**
 * `sk_pacing_rate` that `tcp_update_pacing_rate()` (net/ipv4/tcp_input.c) sets for a flow delivering `deliveryRate`
 * bytes/s (cwnd * mss / srtt): 200 % always in 3.12–4.2; from 4.3 `tcp_pacing_ss_ratio` (200) in slow start and
 * `tcp_pacing_ca_ratio` (120) in congestion avoidance (4.2.8 lacks the sysctls, 4.4.178 has them). Up to 4.19 the
 * field is u32, so the rate is clamped to ~0U (`sk_max_pacing_rate`); from 4.20 it is `unsigned long`.
 */
export function skPacingRate(input: TsqKernelInput, deliveryRate: number, phase: PacingPhase = 'congestion-avoidance'): number {
  const kernel = tsqKernel(input);
  const percent = !atLeast(kernel, '4.3') || phase === 'slow-start' ? 200 : 120;
  const rate = Math.floor((deliveryRate * percent) / 100);
  return atLeast(kernel, '4.20') ? rate : Math.min(rate, 0xffffffff);
}
