/**
 * What the planner needs to know about one host's kernel, from kernel-model: its boot-time default of every
 * managed sysctl, how each sysctl is shaped, the page size and the RAM that shares of memory refer to.
 */
export interface HostKernel {
  readonly release: string;
  readonly series: string;
  readonly pageSize: number;
  /** The RAM `6%`-style shares refer to: MemTotal when facts give it, else the installed memory. */
  readonly memTotalBytes: number;
  /** The kernel's boot-time default of each sysctl this series has, as numbers (a triple has three). */
  readonly defaults: ReadonlyMap<string, readonly number[]>;
  /** How each sysctl is shaped and what its unit is. */
  readonly shapes: ReadonlyMap<string, SysctlShape>;
  /** Whether a write would be accepted by this kernel (the registry's acceptance rules). */
  checkWrite(name: string, values: readonly number[]): WriteCheck;
  /**
   * What `checkWrite`'s verdicts depend on, as a key: the release and the stable sublevel `/proc/version` gives,
   * not the hardware. Kernels with equal keys (of one kernel model) give the same verdict to the same write.
   */
  readonly writeRules: string;
  /** The effective tcp_limit_output_bytes ceiling check for a workload, from the TSQ model. */
  tsqCeilingBytesPerSecond(limitOutputBytes: number, completionLatencySeconds: number): number;
  /** The tcp_limit_output_bytes a flow rate needs, as `tcpmem model` prints it (kernel-model `tsqNeededLimit`). */
  tsqNeededLimitBytes(rateBytesPerSecond: number, completionLatencySeconds: number): number;
  /** What the model could not know for sure. */
  readonly notes: readonly string[];
}

/** A sysctl's shape: one value or a triple, and the unit of its values. */
export interface SysctlShape {
  readonly name: string;
  readonly fields: readonly string[];
  readonly unit: 'pages' | 'bytes' | 'count';
}

/** The kernel's answer to a write. */
export type WriteCheck = { readonly accepted: true } | { readonly accepted: false; readonly reason: string; readonly elementIndex: number };
