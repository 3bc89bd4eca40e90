import { skPacingRate, skPacingShift, type PacingDevice, type PacingPhase } from './sk-pacing';

describe('skPacingShift', () => {
  it.each<[string, PacingDevice, number, string]>([
    ['4.15', 'default', 10, 'sock_init_data sets 10'],
    ['4.15', 'mac80211', 10, 'S4.15 mac80211 has no sk_pacing_shift_update'],
    ['4.19', 'mac80211', 8, 'S4.19 sk_pacing_shift_update(skb->sk, 8)'],
    ['4.20', 'mac80211', 8, 'S4.20 tx_sk_pacing_shift default 8'],
    ['5.0', 'mac80211', 7, 'S5.0 tx_sk_pacing_shift default 7'],
    ['6.1', 'default', 10, 'wired'],
  ])('is %s/%s → %i (%s)', (version, device, shift) => {
    expect(skPacingShift(version, device)).toBe(shift);
  });
});

describe('skPacingRate', () => {
  it.each<[string, PacingPhase, number, number, string]>([
    ['3.19', 'congestion-avoidance', 1e9, 2e9, 'S3.19 tcp_update_pacing_rate: 200 % always'],
    ['4.4', 'congestion-avoidance', 1e9, 1.2e9, 'S4.4 tcp_pacing_ca_ratio 120'],
    ['4.4', 'slow-start', 1e9, 2e9, 'S4.4 tcp_pacing_ss_ratio 200'],
    ['4.19', 'congestion-avoidance', 4e9, 0xffffffff, 'S4.19 u32 sk_pacing_rate clamps at ~0U'],
    ['4.20', 'congestion-avoidance', 4e9, 4.8e9, 'S4.20 unsigned long sk_pacing_rate'],
  ])('is %s %s for %d bytes/s delivered → %d (%s)', (version, phase, delivered, rate) => {
    expect(skPacingRate(version, delivered, phase)).toBe(rate);
  });
});
