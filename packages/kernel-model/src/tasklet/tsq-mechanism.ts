import { atLeast } from '../series/kernel-version';
import { tsqKernel, type TsqKernelInput } from './tsq-kernel';

/** The kernel names of the deferred-transmit machinery in one series, for explanations that match its source. */
export interface TsqMechanism {
  /** `tasklet` up to 6.16; `bh-workqueue` from 6.17 (fd0406e5ca53 "net: tcp: tsq: Convert from tasklet to BH workqueue"). */
  readonly kind: 'tasklet' | 'bh-workqueue';
  /** The per-CPU structure: `tsq_tasklet` or `tsq_work`. */
  readonly perCpu: 'tsq_tasklet' | 'tsq_work';
  /** The function that drains the per-CPU list: `tcp_tasklet_func` or `tcp_tsq_workfn`. */
  readonly handler: 'tcp_tasklet_func' | 'tcp_tsq_workfn';
  /** How `tcp_wfree()` kicks it when the list was empty. */
  readonly schedule: 'tasklet_schedule()' | 'queue_work(system_bh_wq)';
  /** Where the flags live: `tp->tsq_flags` up to 4.9, `sk->sk_tsq_flags` from 4.10. */
  readonly flags: 'tp->tsq_flags' | 'sk->sk_tsq_flags';
  /** The destructor that queues the socket. */
  readonly destructor: 'tcp_wfree';
  /** Where a socket owned by the user is finished: `tcp_release_cb()`, after `TCP_TSQ_DEFERRED`. */
  readonly release: 'tcp_release_cb';
}

/** The TSQ mechanism names of a kernel; undefined before TSQ (3.6). */
export function tsqMechanism(input: TsqKernelInput): TsqMechanism | undefined {
  const kernel = tsqKernel(input);
  if (!atLeast(kernel, '3.6')) return undefined;
  const workqueue = atLeast(kernel, '6.17');
  return {
    kind: workqueue ? 'bh-workqueue' : 'tasklet',
    perCpu: workqueue ? 'tsq_work' : 'tsq_tasklet',
    handler: workqueue ? 'tcp_tsq_workfn' : 'tcp_tasklet_func',
    schedule: workqueue ? 'queue_work(system_bh_wq)' : 'tasklet_schedule()',
    flags: atLeast(kernel, '4.10') ? 'sk->sk_tsq_flags' : 'tp->tsq_flags',
    destructor: 'tcp_wfree',
    release: 'tcp_release_cb',
  };
}
