import type { Sysctls } from '@tcpmem/schema';
import type { Versioned } from './versioned';

/** The sysctls a tcpmem config may set: exactly the properties of the schema's `$defs/Sysctls`. */
export type ManagedSysctlName = keyof Sysctls;

/** Every sysctl the registry knows: the managed ones and the read-only `tcp_ehash_entries`. */
export type SysctlName = ManagedSysctlName | 'net.ipv4.tcp_ehash_entries';

/** The C type of one element, which decides the range the kernel accepts. */
export type CType = 'int' | 'unsigned int' | 'unsigned long';

/** The `proc_handler` of the sysctl's `ctl_table` entry. */
export type ProcHandler =
  | 'proc_dointvec'
  | 'proc_dointvec_minmax'
  | 'proc_doulongvec_minmax'
  | 'proc_douintvec_minmax'
  | 'ipv4_tcp_mem'
  | 'proc_tcp_ehash_entries';

/**
 * A bound from the `ctl_table` entry's extra1/extra2. `low` and `high` are equal unless the value depends on the
 * build (SOCK_MIN_RCVBUF depends on sizeof(struct sk_buff)): then every value between them is possible.
 */
export interface Bound {
  /** The kernel's name for it (`SYSCTL_ONE`, `tcp_min_rcvbuf`, `SOCK_MIN_RCVBUF`, …). */
  readonly kernelName: string;
  readonly low: bigint;
  readonly high: bigint;
}

/** What the kernel's handler checks on a write, apart from the C type's own range. */
export interface WriteRule {
  readonly handler: Versioned<ProcHandler>;
  readonly min: Versioned<Bound | undefined>;
  readonly max: Versioned<Bound | undefined>;
}

/**
 * Where a sysctl lives. `global`: one value for the host, kept by the initial network namespace. `per-netns`:
 * every network namespace has its own.
 */
export interface ScopeFacts {
  readonly scope: 'global' | 'per-netns';
  /** What a process in another network namespace finds at the sysctl's path. */
  readonly inChildNetns: 'absent' | 'read-only' | 'writable';
  /**
   * Where a new namespace's value comes from: a copy of the initial namespace's current value, the kernel's
   * compile-time default, the size of the namespace's ehash, a computation from free memory at creation, or
   * nothing (global).
   */
  readonly newNetnsValue: 'init-net-current' | 'compile-time-default' | 'derived-from-ehash' | 'computed-at-creation' | 'not-applicable';
  readonly note: string;
}

export interface SysctlDefinition {
  readonly name: SysctlName;
  /** The file, e.g. `/proc/sys/net/ipv4/tcp_rmem`. */
  readonly procPath: string;
  readonly shape: 'scalar' | 'triple';
  /** Element names in kernel order: `low, pressure, high`, `min, default, max`, or `value` for a scalar. */
  readonly fields: readonly string[];
  readonly unit: 'pages' | 'bytes' | 'count';
  readonly cType: CType;
  /** One line in operator terms. */
  readonly description: string;
  /** True for the sysctls of the schema's `$defs/Sysctls`. */
  readonly managed: boolean;
  /** False for files that are 0444 in every namespace. */
  readonly writable: boolean;
  /** The first series that has it; `3.10` (MODEL_FLOOR) for those older than every tree read. */
  readonly availableFrom: string;
  readonly scope: Versioned<ScopeFacts>;
  readonly write: WriteRule;
  /** The file that holds its `ctl_table` entry. */
  readonly kernelSource: string;
}
