import { tsqLimit, type TsqLimitInput } from './tsq-limit';

type Case = [string, Omit<TsqLimitInput, 'version'>, number];

describe('tsqLimit', () => {
  it.each<Case>([
    // 3.6–3.11: 3.11 tcp_write_xmit, "if (atomic_read(&sk->sk_wmem_alloc) >= sysctl_tcp_limit_output_bytes)"
    ['3.11.0', { pacingRate: 1e9 }, 131072],
    // 3.12–3.18: 3.14.1 max_t(unsigned int, sysctl_tcp_limit_output_bytes, sk->sk_pacing_rate >> 10): the sysctl is a floor
    ['3.14.1', { pacingRate: 100e6 }, 131072],
    ['3.14.1', { pacingRate: 1e9 }, 976562],
    ['3.10.108', { pacingRate: 500e6 }, 488281],
    // 3.19–4.14: 3.19.8 max(2 * skb->truesize, sk_pacing_rate >> 10), then min_t(u32, limit, sysctl)
    ['3.19.8', { pacingRate: 10e6, skbTruesize: 66440 }, 131072],
    ['4.9.229', { pacingRate: 100e6, skbTruesize: 66440 }, 132880],
    ['4.9.229', { pacingRate: 1e9 }, 262144],
    // 4.15–4.20: 4.19.0 >> sk_pacing_shift (mac80211: 8)
    ['4.19.0', { pacingRate: 10e6, pacingShift: 8, skbTruesize: 66440 }, 132880],
    ['4.19.0', { pacingRate: 100e6, pacingShift: 8 }, 262144],
    // 4.19.0: u32 sk_pacing_rate (clamped to ~0U) and min_t(u32, limit, -1) → no cap
    ['4.19.0', { pacingRate: 5e9, tcpLimitOutputBytes: -1 }, 4194303],
    // 4.20.1: unsigned long, so 5e9 >> 10 survives and (unsigned long)-1 does not cap either
    ['4.20.1', { pacingRate: 5e9, tcpLimitOutputBytes: -1 }, 4882812],
    // 5.0–6.15: 5.0.1 c73e5807e4f6, the min with the sysctl only if sk_pacing_status == SK_PACING_NONE
    ['5.0.1', { pacingRate: 3.75e9 }, 1048576],
    ['5.0.1', { pacingRate: 3.75e9, pacingStatus: 'fq' }, 3662109],
    ['6.12.117', { pacingRate: 3.75e9, pacingStatus: 'needed' }, 3662109],
    // 6.1.192: limit <<= factor for retransmits
    ['6.1.192', { pacingRate: 3.75e9, retransmit: true }, 2097152],
    // 5.3.1: extra_bytes = (u64)sk_pacing_rate * tcp_tx_delay >> 19; 1e9 * 1000 >> 19 = 1907348
    ['5.3.1', { pacingRate: 1e9, tcpTxDelayUs: 1000 }, 976562 + 1907348],
    // ≥ 6.16: 6.18.2 c4221a8cc3a7, min with tcp_limit_output_bytes (4 << 20) whatever the pacing status
    ['6.18.2', { pacingRate: 3.75e9, pacingStatus: 'fq' }, 3662109],
    ['6.18.2', { pacingRate: 5e9, pacingStatus: 'fq' }, 4194304],
    ['7.1.5', { pacingRate: 5e9, pacingStatus: 'needed' }, 4194304],
  ])('gives %s %j a limit of %i bytes', (version, input, limit) => {
    const result = tsqLimit({ version, ...input });
    expect(result.applies).toBe(true);
    expect(result.limit).toBe(limit);
  });

  it.each([
    ['3.6', 0],
    ['3.10.0', 0],
    ['3.11.0', -5],
  ])('stalls new data on %s with tcp_limit_output_bytes %i (tcp_write_xmit: sk_wmem_alloc, 1 from sk_alloc, >= it)', (version, sysctl) => {
    const result = tsqLimit({ version, tcpLimitOutputBytes: sysctl });
    expect(result).toMatchObject({ applies: true, stalls: true, limit: sysctl, compare: '>=' });
    expect(result.notes.join(' ')).toMatch(/no new data/);
  });

  it.each<[string, Omit<TsqLimitInput, 'version'>, RegExp]>([
    ['3.5', {}, /no TSQ before 3\.6/],
    ['4.7.4', { retransmit: true }, /retransmits are not checked/],
  ])('does not apply to %s %j (%s)', (version, input, why) => {
    const result = tsqLimit({ version, ...input });
    expect(result.applies).toBe(false);
    expect(result.limit).toBe(Infinity);
    expect(result.steps.map((step) => step.expression).join('\n')).toMatch(why);
  });

  it.each([
    ['3.11.0', '>='],
    ['3.14.1', '>'],
    ['6.1', '>'],
  ])('uses sk_wmem_alloc %2$s limit in %1$s', (version, compare) => {
    expect(tsqLimit({ version }).compare).toBe(compare);
  });

  it.each([
    ['6.1', { pacingRate: 3.75e9 }, 'tcp_limit_output_bytes'],
    ['6.1', { pacingRate: 3.75e9, pacingStatus: 'fq' as const }, 'sk_pacing_rate'],
    ['6.1', { pacingRate: 1e6 }, '2 * truesize'],
    ['3.14.1', { pacingRate: 1e6 }, 'tcp_limit_output_bytes'],
  ])('names the term that binds for %s %j: %s', (version, input, term) => {
    expect(tsqLimit({ version, ...input }).bindingTerm).toBe(term);
  });

  it('ignores sk_pacing_shift before 4.15 and TCP_TX_DELAY before 5.3, and says so', () => {
    const result = tsqLimit({ version: '4.9', pacingRate: 100e6, pacingShift: 8, tcpTxDelayUs: 500 });
    expect(result.pacingShift).toBe(10);
    expect(result.notes.join(' ')).toMatch(/sk_pacing_shift does not exist before 4\.15.*TCP_TX_DELAY does not exist before 5\.3/);
  });

  it('explains the 6.1 default in the series own names', () => {
    const result = tsqLimit({ version: '6.1', pacingRate: 3.75e9 });
    expect(result.steps.map((step) => `${step.kernel}: ${step.expression} → ${step.value}`)).toEqual([
      'net->ipv4.sysctl_tcp_limit_output_bytes: 6.1 default → 1048576',
      'tcp_small_queue_check: sk_pacing_rate >> sk_pacing_shift = 3750000000 >> 10 → 3662109',
      'tcp_small_queue_check: max(2 * truesize = 132880, 3662109) → 3662109',
      'tcp_small_queue_check: min(3662109, tcp_limit_output_bytes = 1048576) → 1048576',
      'tcp_small_queue_check: throttle when sk_wmem_alloc > limit → 1048576',
    ]);
  });

  it('names the inline tcp_write_xmit check and the global sysctl before 4.9', () => {
    const result = tsqLimit({ version: '3.14.1', pacingRate: 1e9 });
    expect(result.steps[0]?.kernel).toBe('sysctl_tcp_limit_output_bytes');
    expect(result.steps[1]?.kernel).toBe('tcp_write_xmit');
  });
});
