import { tsqMechanism } from './tsq-mechanism';

describe('tsqMechanism', () => {
  it.each([
    ['3.10.108', 'tasklet', 'tsq_tasklet', 'tcp_tasklet_func', 'tp->tsq_flags'],
    ['4.9.229', 'tasklet', 'tsq_tasklet', 'tcp_tasklet_func', 'tp->tsq_flags'],
    ['4.10.17', 'tasklet', 'tsq_tasklet', 'tcp_tasklet_func', 'sk->sk_tsq_flags'],
    ['6.12.117', 'tasklet', 'tsq_tasklet', 'tcp_tasklet_func', 'sk->sk_tsq_flags'],
    ['6.17', 'bh-workqueue', 'tsq_work', 'tcp_tsq_workfn', 'sk->sk_tsq_flags'],
    ['6.18.2', 'bh-workqueue', 'tsq_work', 'tcp_tsq_workfn', 'sk->sk_tsq_flags'],
  ])('names %s a %s: per-CPU %s drained by %s, flags in %s', (version, kind, perCpu, handler, flags) => {
    expect(tsqMechanism(version)).toMatchObject({ kind, perCpu, handler, flags, release: 'tcp_release_cb' });
  });

  it('has nothing to name before 3.6', () => {
    expect(tsqMechanism('3.5')).toBeUndefined();
  });
});
