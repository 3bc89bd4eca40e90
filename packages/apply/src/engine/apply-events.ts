import type { AcceptedHostKeyReport, ApplyReport, ExecutorKind, HostApplyResult, HostFailure, HostState, RunRefusal, StaleSetting } from './apply-report';

/** A sysctl and its values, as events carry them. */
export interface SysctlValues {
  readonly sysctl: string;
  readonly values: readonly number[];
}

/**
 * How long each phase of one host's transaction took, on the client's clock, in ms. `connectMs`: connect and
 * authenticate (0-ish when `reused`: the live plan's connection was kept, and `planConnectMs`/`planReadMs` say
 * what it cost then); `readMs`: the remote command started, the lock taken, the host read again; `prepareMs`:
 * from the read to `prepared` (the script prepares in the same reply); `gateMs`: a saved plan's wait until every
 * host is known fresh; `commitMs`: COMMIT sent until the outcome is heard. A phase not reached is absent.
 */
export interface HostTimings {
  readonly reused: boolean;
  /** When `reused`: the transaction ran on the shell the live plan's read started (one `sudo -n sh -s` a host). */
  readonly reusedShell?: boolean;
  readonly connectMs?: number;
  readonly readMs?: number;
  readonly prepareMs?: number;
  readonly gateMs?: number;
  readonly commitMs?: number;
  readonly planConnectMs?: number;
  readonly planReadMs?: number;
}

/**
 * Progress of an apply, as typed events (a discriminated union on `type`): the engine never prints; the CLI
 * renders these (a progress display, `--events` JSON lines). Every event carries `elapsedMs` since the run
 * started. Per host the order is: host-started, host-read, then host-stale | host-prepared, host-written,
 * host-verified, host-persisted | host-rolled-back | host-failed | host-unreachable, and always host-done last
 * (with the host's per-phase `timings` when it was contacted). The hosts' connections close in the background
 * after their host-done; `sessions-closed` says how long each took, just before run-done.
 */
export type ApplyEvent = { readonly elapsedMs: number } & (
  | {
      readonly type: 'run-started';
      readonly executor: ExecutorKind;
      readonly hosts: number;
      /** Hosts with something to do. */
      readonly hostsToChange: number;
      readonly batches: number;
      readonly parallelism: number;
      /** Failures tolerated before no new host is started; undefined: no limit. */
      readonly maxFail: number | undefined;
    }
  /** A saved plan: every host with changes is read again before anything is touched. */
  | { readonly type: 'check-started'; readonly hosts: number }
  | { readonly type: 'host-checked'; readonly host: string; readonly fresh: boolean; readonly stale?: readonly StaleSetting[]; readonly unreachable?: string }
  /** The plan as a whole was refused: nothing was touched. */
  | ({ readonly type: 'run-refused' } & RunRefusal)
  | { readonly type: 'batch-started'; readonly batch: number; readonly batches: number; readonly canary: boolean; readonly hosts: readonly string[] }
  | { readonly type: 'batch-done'; readonly batch: number; readonly problems: number }
  | { readonly type: 'host-started'; readonly host: string; readonly address?: string }
  /** The host was read again inside its transaction; `fresh`: it is as the plan saw it. */
  | { readonly type: 'host-read'; readonly host: string; readonly fresh: boolean; readonly recovered?: string }
  | { readonly type: 'host-stale'; readonly host: string; readonly settings: readonly StaleSetting[] }
  /** Phase 1 done: values recorded, every sysctl and /etc/sysctl.d checked; nothing changed yet. */
  | { readonly type: 'host-prepared'; readonly host: string; readonly recorded: readonly SysctlValues[] }
  | { readonly type: 'host-written'; readonly host: string; readonly sysctls: readonly SysctlValues[] }
  | { readonly type: 'host-verified'; readonly host: string; readonly sysctls: readonly SysctlValues[] }
  | { readonly type: 'host-persisted'; readonly host: string; readonly file: string; readonly action: 'written' | 'removed' }
  | { readonly type: 'host-rolled-back'; readonly host: string; readonly failure: HostFailure; readonly restored: readonly SysctlValues[] }
  | { readonly type: 'host-failed'; readonly host: string; readonly failure: HostFailure; readonly state: HostState }
  | { readonly type: 'host-unreachable'; readonly host: string; readonly code: string; readonly message: string }
  | { readonly type: 'host-warning'; readonly host: string; readonly sysctl?: string; readonly message: string }
  /**
   * `hostKeyPolicy: accept-new` trusted a host key on first use and added it to a known_hosts file (while planning
   * a CONFIG, checking a saved plan, or applying): every one is reported.
   */
  | ({ readonly type: 'host-key-accepted' } & AcceptedHostKeyReport)
  /**
   * The run was interrupted (SIGINT, SIGTERM): no new host is started; `running` hosts go on to their end
   * (`forced`: a second signal, those not yet sent COMMIT stop untouched). run-done follows with the true results.
   */
  | { readonly type: 'run-interrupted'; readonly signal: 'SIGINT' | 'SIGTERM'; readonly running: readonly string[]; readonly forced: boolean }
  | { readonly type: 'host-skipped'; readonly host: string; readonly reason: string }
  | { readonly type: 'host-done'; readonly host: string; readonly result: HostApplyResult; readonly timings?: HostTimings }
  /** Every connection closed in the background after its host's end: per host, how long its close took (ms). */
  | { readonly type: 'sessions-closed'; readonly closeMs: Readonly<Record<string, number>> }
  | { readonly type: 'run-done'; readonly report: ApplyReport }
);

/** The event types, for renderers that switch on them. */
export type ApplyEventType = ApplyEvent['type'];

/** An event without its timestamp, as executors emit them (the engine stamps `elapsedMs`). */
export type ApplyEventInput = ApplyEvent extends infer E ? (E extends ApplyEvent ? Omit<E, 'elapsedMs'> : never) : never;

export type EmitEvent = (event: ApplyEventInput) => void;
