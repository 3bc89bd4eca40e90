import { tsqRegime, type TsqRegimeId, type TsqSendAnyway } from './tsq-regime';

describe('tsqRegime', () => {
  it.each<[string, TsqRegimeId, '>=' | '>', 'int' | 'u32' | 'u64', string]>([
    ['3.5', 'none', '>', 'int', 'no TSQ before 46d3ceabd8d9 (3.6)'],
    ['3.11.0', 'fixed', '>=', 'int', '3.11 tcp_write_xmit: sk_wmem_alloc >= sysctl_tcp_limit_output_bytes'],
    ['3.10', 'fixed', '>=', 'int', 'vanilla 3.10.0 is the 3.6 form'],
    ['3.10.108', 'pacing-floor', '>', 'u32', '3.10.108 (3.10.108) has the 3.12 form as a stable backport'],
    ['3.10.0-1160.el7.x86_64', 'pacing-floor', '>', 'u32', 'RHEL 7 carries "tcp: TSQ can use a dynamic limit" (bug 996802)'],
    ['3.14.1', 'pacing-floor', '>', 'u32', '3.14.1 max_t(unsigned int, sysctl, sk_pacing_rate >> 10)'],
    ['3.19.8', 'min-max', '>', 'u32', '3.19.8 min(max(2 * truesize, rate >> 10), sysctl)'],
    ['4.14.67', 'min-max', '>', 'u32', '4.14.67 still >> 10'],
    ['4.15', 'pacing-shift', '>', 'u32', '4.15.0 >> sk_pacing_shift, unsigned int limit'],
    ['4.19.0', 'pacing-shift', '>', 'u32', '4.19.0 u32 sk_pacing_rate, min_t(u32, …)'],
    ['4.20.1', 'pacing-shift', '>', 'u64', '4.20.1 unsigned long sk_pacing_rate and limit'],
    ['5.0.1', 'paced-uncapped', '>', 'u64', '5.0.1 c73e5807e4f6: min only for SK_PACING_NONE'],
    ['6.12.117', 'paced-uncapped', '>', 'u64', '6.12.117 Debian linux-source-6.12'],
    ['6.16', 'always-capped', '>', 'u64', 'c4221a8cc3a7 "tcp: always use tcp_limit_output_bytes limitation"'],
    ['7.1.5', 'always-capped', '>', 'u64', '7.1.5'],
  ])('models %s as %s with sk_wmem_alloc %s limit in %s arithmetic (%s)', (version, id, compare, width) => {
    const regime = tsqRegime(version);
    expect(regime).toMatchObject({ id, compare, width });
  });

  it.each<[string, boolean, boolean, boolean]>([
    ['4.7.4', false, false, false],
    ['4.9.229', true, false, false],
    ['4.15', true, true, false],
    ['5.3.1', true, true, true],
  ])('%s: retransmits checked %s, sk_pacing_shift %s, TCP_TX_DELAY %s (4.7.4 has no tcp_small_queue_check; 5.3.1 has tx_delay)', (version, retransmits, shift, txDelay) => {
    expect(tsqRegime(version)).toMatchObject({ checksRetransmits: retransmits, hasPacingShift: shift, hasTxDelay: txDelay });
  });

  it.each<[string, TsqSendAnyway]>([
    ['4.9.229', 'none'],
    ['4.10.17', 'first-or-second-skb'],
    ['4.14.67', 'first-or-second-skb'],
    ['5.15.135', 'rtx-queue-empty'],
    ['6.1.192', 'rtx-queue-empty-or-single-skb'],
    ['6.6.87', 'rtx-queue-empty-or-single-skb'],
    ['6.18.2', 'rtx-queue-empty-or-single-skb'],
  ])('%s sends an skb over the limit when %s (read in that tree)', (version, rule) => {
    expect(tsqRegime(version).sendAnyway).toBe(rule);
  });

  it('says when a 3.10 sublevel may differ from the model', () => {
    expect(tsqRegime('3.10.20').notes.join(' ')).toMatch(/3\.10\.15–3\.10\.28/);
  });
});
