import type { Versioned } from './versioned';

/** How kernel/sysctl.c parses and converts a write, where that changed between 3.10 and 7.1. */
export interface ProcBehaviour {
  /** proc_dointvec(): EINVAL outside [INT_MIN, INT_MAX]; otherwise the low 32 bits are stored. */
  readonly intRangeCheck: boolean;
  /** proc_dointvec_minmax(): the same check before the bounds; otherwise the truncated int is compared. */
  readonly minmaxRangeCheck: boolean;
  /** proc_get_long(): EINVAL above ULONG_MAX; otherwise the number wraps modulo 2^64. */
  readonly overflowCheck: boolean;
  /** proc_doulongvec_minmax(): stop when only whitespace is left; otherwise that is EINVAL after the values read. */
  readonly ulongStopsAtEnd: boolean;
  /** proc_doulongvec_minmax(): a negative value is EINVAL; otherwise the element is skipped silently. */
  readonly ulongNegativeRejected: boolean;
}

/** Each behaviour, dated by the change that brought it (see kernel-changes.ts). */
export const procBehaviour: { readonly [K in keyof ProcBehaviour]: Versioned<ProcBehaviour[K]> } = {
  intRangeCheck: { change: 'int-range-check', before: { always: false }, after: { always: true } },
  minmaxRangeCheck: { change: 'minmax-range-check', before: { always: false }, after: { always: true } },
  overflowCheck: { change: 'ulong-overflow-check', before: { always: false }, after: { always: true } },
  ulongStopsAtEnd: { change: 'ulong-stops-at-end', before: { always: false }, after: { always: true } },
  ulongNegativeRejected: { change: 'ulong-negative-einval', before: { always: false }, after: { always: true } },
};
