import type * as schema from '@tcpmem/schema';
import type { Immutable } from '@tcpmem/schema';

/**
 * The result of `tcpmem apply`, as plain serialisable data (what `--json` prints and the `run-done` event
 * carries). The schema's `$defs/ApplyReport` (format version 1) is its only definition; these are read-only
 * views of it and of its parts.
 */
export type ApplyReport = Immutable<schema.ApplyReport>;
export type ApplySummary = Immutable<schema.ApplySummary>;
export type HostApplyResult = Immutable<schema.HostApplyResult>;
export type SettingResult = Immutable<schema.SettingResult>;
export type StaleSetting = Immutable<schema.StaleSetting>;
/** A host key accept-new trusted on first use (the fleet host, the address that presented it, the file it went to). */
export type AcceptedHostKeyReport = Immutable<schema.AcceptedHostKey>;
export type RunInterruption = NonNullable<ApplyReport['interrupted']>;

export type ExecutorKind = ApplyReport['executor'];
export type PlanIdentity = ApplyReport['plan'];
export type RunRefusal = NonNullable<ApplyReport['refused']>;
/** applied, unchanged, failed, stale, unreachable or skipped (see the schema's HostApplyResult). */
export type HostStatus = HostApplyResult['status'];
/** changed, untouched, rolled-back or unknown. */
export type HostState = HostApplyResult['state'];
export type SettingOutcome = SettingResult['outcome'];
export type FileResult = NonNullable<HostApplyResult['file']>;
export type HostFailure = NonNullable<HostApplyResult['failure']>;
export type FailureStage = HostFailure['stage'];

/** A host result that an operator must look at. */
export const isProblem = (r: HostApplyResult): boolean => r.status === 'failed' || r.status === 'stale' || r.status === 'unreachable';
