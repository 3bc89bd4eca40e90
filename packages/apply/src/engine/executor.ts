import type { HostPlan } from '@tcpmem/schema';
import type { EmitEvent, HostTimings } from './apply-events';
import type { ExecutorKind, HostApplyResult, StaleSetting } from './apply-report';
import type { HostWork } from './host-work';

/** One host to apply: its part of the plan and the work derived from it. */
export interface HostTask {
  readonly plan: HostPlan;
  readonly work: HostWork;
  /** What the header of tcpmem's file names besides the host (see fileText). */
  readonly header: { readonly tcpmemVersion: string };
}

/** What reading a host again says about the plan. */
export type CheckOutcome =
  | { readonly fresh: true }
  | { readonly fresh: false; readonly stale: readonly StaleSetting[] }
  | { readonly unreachable: true; readonly code: string; readonly message: string };

/**
 * How the run asks a host's transaction to stop early (a second Ctrl-C): `stopped` turns true, and `onStop`
 * listeners run once. A transaction that has not been sent COMMIT then ends with the host untouched; one that
 * is committing goes on to its end (the remote commit step cannot be stopped half-way).
 */
export interface StopSignal {
  readonly stopped: boolean;
  onStop(listener: () => void): () => void;
}

/**
 * Asked by a gated executor once a host is read, found fresh and prepared under its lock, before COMMIT is sent:
 * true lets it commit; false withdraws it untouched. How a saved plan is checked inside its own transactions.
 */
export type CommitGate = () => Promise<boolean>;

/**
 * Where a plan is applied: hosts over SSH, or the kernel model (a dry run). Chosen once, at the top; the engine
 * (applyPlan) schedules hosts and never knows which one it drives.
 */
export interface Executor {
  readonly kind: ExecutorKind;
  /**
   * Reads the host again, changing nothing, and says whether it is still as the plan observed it. `emit` gets
   * what happens on the way that the run must report (a host key accepted).
   */
  check(task: HostTask, emit: EmitEvent): Promise<CheckOutcome>;
  /**
   * Applies one host's work as one transaction and reports it through `emit` (host-started … ; the engine
   * emits host-done). Never throws for a failure of the host, its connection or its kernel: those are results.
   */
  apply(task: HostTask, emit: EmitEvent, stop?: StopSignal, gate?: CommitGate): Promise<HostApplyResult>;
  /**
   * True when `apply` asks its `gate` before each COMMIT (after the host's locked read was found fresh): then a
   * saved plan is checked inside the transactions, not by `check` on connections of their own.
   */
  readonly gated?: boolean;
  /**
   * Waits for what finished hosts left to do in the background (closing their connections), each bounded; says
   * how long each host's close took.
   */
  drain?(): Promise<Record<string, number>>;
  /** How long each phase of a host's last transaction took (see HostTimings); undefined when not contacted. */
  timingsOf?(host: string): HostTimings | undefined;
}
