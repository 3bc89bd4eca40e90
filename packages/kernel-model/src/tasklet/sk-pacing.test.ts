import { skPacingRate, skPacingShift, skPacingShiftOf, type PacingDevice, type PacingPhase } from './sk-pacing';

describe('skPacingShift', () => {
  it.each<[string, PacingDevice, number, string]>([
    ['4.15', 'wired', 10, 'net/core/sock.c sock_init_data: sk_pacing_shift = 10 (4.15)'],
    ['4.15', 'mac80211', 10, 'net/mac80211/tx.c 4.15: no sk_pacing_shift_update'],
    ['4.16', 'mac80211', 8, 'net/mac80211/tx.c __ieee80211_subif_start_xmit: sk_pacing_shift_update(skb->sk, 8), 36148c2bbfbe (4.16-rc5)'],
    ['4.17', 'mac80211', 8, 'the same call in 4.17 (was 10 in the model)'],
    ['4.18.20', 'mac80211', 8, 'the same call in 4.18'],
    ['4.19', 'mac80211', 8, '4.19.0 net/mac80211/tx.c: sk_pacing_shift_update(skb->sk, 8)'],
    ['4.19.237', 'mac80211', 7, '4.19.237 net/mac80211/tx.c: sk_pacing_shift_update(skb->sk, 7) (was 8 in the model)'],
    ['4.19.304', 'mac80211', 7, 'late 4.19.y keeps 7'],
    ['4.20', 'mac80211', 8, '4.20 net/mac80211/main.c ieee80211_alloc_hw_nm: tx_sk_pacing_shift = 8'],
    ['5.0', 'mac80211', 7, '5.0 net/mac80211/main.c ieee80211_alloc_hw_nm: tx_sk_pacing_shift = 7'],
    ['6.1', 'mac80211', 7, '6.1.192 net/mac80211/main.c:757 tx_sk_pacing_shift = 7'],
    ['4.18.0-513.el8.x86_64', 'mac80211', 7, 'RHEL 8 backports the mac80211 7'],
    ['4.17', 'brcmfmac', 8, 'brcmfmac core.c brcmf_netdev_start_xmit: sk_pacing_shift_update(skb->sk, 8)'],
    ['5.10', 'rmnet', 8, 'rmnet_handlers.c rmnet_egress_handler: sk_pacing_shift_update(skb->sk, 8)'],
    ['4.14', 'mac80211', 10, 'no sk_pacing_shift before 4.15: a fixed >> 10'],
    ['6.1', 'wired', 10, 'wired'],
  ])('is %s/%s → %i (%s)', (version, device, shift) => {
    expect(skPacingShift(version, device)).toBe(shift);
  });

  it('says a 4.19.y sublevel between the two read is modelled, not pinned', () => {
    expect(skPacingShiftOf('4.19.100', 'mac80211').notes.join(' ')).toContain('4.19.100 is modelled with 7');
    expect(skPacingShiftOf('4.19.237', 'mac80211').notes).toEqual([]);
  });
});

describe('skPacingRate', () => {
  it.each<[string, PacingPhase, number, number, string]>([
    ['3.19', 'congestion-avoidance', 1e9, 2e9, '3.19.8 tcp_update_pacing_rate: 200 % always'],
    ['4.4', 'congestion-avoidance', 1e9, 1.2e9, '4.4.178 tcp_pacing_ca_ratio 120'],
    ['4.4', 'slow-start', 1e9, 2e9, '4.4.178 tcp_pacing_ss_ratio 200'],
    ['4.19', 'congestion-avoidance', 4e9, 0xffffffff, '4.19.0 u32 sk_pacing_rate clamps at ~0U'],
    ['4.20', 'congestion-avoidance', 4e9, 4.8e9, '4.20.1 unsigned long sk_pacing_rate'],
  ])('is %s %s for %d bytes/s delivered → %d (%s)', (version, phase, delivered, rate) => {
    expect(skPacingRate(version, delivered, phase)).toBe(rate);
  });
});
