import type { Change } from '@tcpmem/schema';

/**
 * The result of `tcpmem apply`, as plain serialisable data (what `--json` prints and the `run-done` event
 * carries). Format version 1. Defined here until the schema gains `$defs/ApplyReport` (see docs/apply.md).
 */
export interface ApplyReport {
  readonly kind: 'apply-report';
  readonly formatVersion: 1;
  readonly executor: ExecutorKind;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  /** Which plan was applied: its creation time, a digest of the plan document, the config it came from. */
  readonly plan: PlanIdentity;
  readonly summary: ApplySummary;
  /** Set when nothing was applied because the plan as a whole was refused (a saved plan that is stale). */
  readonly refused?: RunRefusal;
  /** One result per host of the plan, in plan order. */
  readonly hosts: readonly HostApplyResult[];
}

export type ExecutorKind = 'ssh' | 'model';

export interface PlanIdentity {
  readonly createdAt: string;
  /** `sha256:` over the plan document as applied. */
  readonly digest: string;
  readonly configPath: string;
}

export interface ApplySummary {
  readonly hosts: number;
  readonly applied: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly stale: number;
  readonly unreachable: number;
  readonly skipped: number;
  /** Settings written (live and/or file) on hosts that were applied. */
  readonly settingsChanged: number;
  /** Settings that the hosts do not have (e.g. whole-host sysctls inside a network namespace), not applied. */
  readonly settingsUnavailable: number;
}

export interface RunRefusal {
  readonly reason: string;
  readonly staleHosts: readonly { readonly host: string; readonly settings: readonly StaleSetting[] }[];
}

/**
 * What happened to a host:
 * - `applied`: every change is live, verified and persisted;
 * - `unchanged`: the plan had nothing to do there (no contact);
 * - `failed`: something went wrong; `state` says where the host was left (untouched or rolled back, normally);
 * - `stale`: the host changed since the plan; nothing was touched;
 * - `unreachable`: no SSH session (connect, host key, authentication); nothing was touched;
 * - `skipped`: not attempted (`--max-fail` reached, canary batch failed, the host's plan is invalid or offline).
 */
export type HostStatus = 'applied' | 'unchanged' | 'failed' | 'stale' | 'unreachable' | 'skipped';

/**
 * Where a host was left: `changed` (the plan's values), `untouched` (nothing was written), `rolled-back` (values
 * were written and restored, verified), `unknown` (tcpmem could not tell: the connection went away during the
 * commit step and the host could not be read again, or the restore itself failed).
 */
export type HostState = 'changed' | 'untouched' | 'rolled-back' | 'unknown';

export interface HostApplyResult {
  readonly host: string;
  readonly address?: string;
  readonly status: HostStatus;
  readonly state: HostState;
  readonly settings: readonly SettingResult[];
  /** tcpmem's own sysctl file after the run. */
  readonly file?: FileResult;
  readonly failure?: HostFailure;
  /** Why the host was skipped. */
  readonly skipped?: string;
  /** Desired settings the host does not have (whole-host sysctls in a network namespace or container): not applied. */
  readonly unavailable?: readonly { readonly sysctl: string; readonly reason: string }[];
  /** For `stale`: the settings that changed since the plan. */
  readonly stale?: readonly StaleSetting[];
  readonly warnings: readonly string[];
  readonly durationMs: number;
}

/**
 * One setting's outcome:
 * - `written`: the live value was written and read back equal (and persisted);
 * - `persisted`: the live value was right already; only the file changed;
 * - `unchanged`: nothing to do (`no-op`, or the host already had the value);
 * - `restored`: a setting no longer managed was set back to its kernel default and dropped from the file;
 * - `dropped`: no longer managed, the kernel default is unknown: only the line was dropped;
 * - `unavailable`: the host does not have this sysctl (a whole-host setting in a network namespace or container);
 * - `rolled-back`: written, then restored with the rest of the host;
 * - `rejected`: the write (or its verification) failed: the reason is in `message`;
 * - `not-attempted`: the host failed or was skipped before this setting was written.
 */
export type SettingOutcome = 'written' | 'persisted' | 'unchanged' | 'restored' | 'dropped' | 'unavailable' | 'rolled-back' | 'rejected' | 'not-attempted';

export interface SettingResult {
  readonly sysctl: string;
  readonly action: Change['action'];
  readonly outcome: SettingOutcome;
  /** The live value before the run (as recorded on the host at the commit, else as planned). */
  readonly before: readonly number[] | null;
  /** The live value after the run (read back on the host; the model's result for a dry run). */
  readonly after: readonly number[] | null;
  readonly message?: string;
}

export interface FileResult {
  readonly path: string;
  readonly action: 'written' | 'removed' | 'unchanged';
  /** The entries the file holds after the run, `sysctl → "v v v"`. */
  readonly entries: Readonly<Record<string, string>>;
}

/** Stages a host can fail at, in order. */
export type FailureStage =
  | 'plan'
  | 'connect'
  | 'sudo'
  | 'lock'
  | 'read'
  | 'prepare'
  | 'write'
  | 'verify'
  | 'persist'
  | 'commit'
  | 'rollback';

export interface HostFailure {
  readonly stage: FailureStage;
  /** `TCPMEM_APPLY_*`, or the SSH transport's code (`CONNECTION_LOST`, `COMMAND_TIMEOUT`, …). */
  readonly code: string;
  readonly message: string;
  readonly sysctl?: string;
}

export interface StaleSetting {
  readonly sysctl: string;
  /** `live`: the kernel's value; `file`: tcpmem's own file. */
  readonly where: 'live' | 'file';
  /** As the plan observed it (null: absent). */
  readonly planned: string | null;
  /** As it is now (null: absent). */
  readonly now: string | null;
}

/** Whether a host counts against `--max-fail` and the canary. */
export const isProblem = (r: HostApplyResult): boolean => r.status === 'failed' || r.status === 'stale' || r.status === 'unreachable';
