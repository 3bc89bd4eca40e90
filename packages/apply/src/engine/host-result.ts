import { persistedFile } from '@tcpmem/plan';
import type { HostPlan } from '@tcpmem/schema';
import type { EmitEvent } from './apply-events';
import type { FileResult, HostApplyResult, HostFailure, HostState, SettingOutcome, SettingResult, StaleSetting } from './apply-report';
import type { HostTask } from './executor';
import type { HostWork } from './host-work';
import { describeStale } from './stale';

/** What an executor knows after a commit step (the remote transaction's log, or the model's). */
export interface CommitRecord {
  /** Sysctls whose live value was written. */
  readonly wrote: readonly string[];
  /** Live values recorded before the commit. */
  readonly old: ReadonlyMap<string, readonly number[]>;
  /** Live values read back after the writes. */
  readonly verified: ReadonlyMap<string, readonly number[]>;
  /** Values restored by a rollback. */
  readonly restored: ReadonlyMap<string, readonly number[]>;
  readonly persisted?: 'written' | 'removed' | undefined;
}

export function fail(emit: EmitEvent, result: ResultBuilder, state: HostState, failure: HostFailure, log?: CommitRecord): HostApplyResult {
  emit({ type: 'host-failed', host: result.host, failure, state });
  return result.failed(state, failure, log);
}

export function shadowWarning(sysctl: string, by: string): string {
  return `${by} also sets ${sysctl} and systemd-sysctl reads it after ${persistedFile}: at boot it would override tcpmem's value; remove the line there or let tcpmem manage it alone`;
}

export type ResultBuilder = ReturnType<typeof resultBuilder>;

/** Builds a host's result from its plan and what happened. */
export function resultBuilder(task: HostTask, started: number) {
  const { plan, work } = task;
  const warnings: string[] = hostWarnings(work);
  const base = () => ({
    host: plan.name,
    ...(plan.address === undefined ? {} : { address: plan.address }),
    ...(work.unavailable.length === 0 ? {} : { unavailable: work.unavailable }),
    warnings: [...warnings],
    durationMs: Date.now() - started,
  });
  const unavailable = new Map(work.unavailable.map((u) => [u.sysctl, u.reason]));
  const planned = (outcome: (c: HostPlan['changes'][number]) => SettingOutcome, message?: (c: HostPlan['changes'][number]) => string | undefined): SettingResult[] =>
    plan.changes.map((c) => {
      const m = unavailable.get(c.sysctl) ?? message?.(c);
      return {
        sysctl: c.sysctl,
        action: c.action,
        outcome: unavailable.has(c.sysctl) ? 'unavailable' : outcome(c),
        before: c.before ?? null,
        after: c.before ?? null,
        ...(m === undefined ? {} : { message: m }),
      };
    });
  const fileBefore = (): FileResult => ({ path: persistedFile, action: 'unchanged', entries: observedFileEntries(plan) });
  const fileAfter = (action: FileResult['action']): FileResult => ({
    path: persistedFile,
    action,
    entries: Object.fromEntries(work.fileEntries.map(([n, v]) => [n, v.join(' ')])),
  });
  const written = (log: CommitRecord | undefined): SettingResult[] =>
    plan.changes.map((c) => {
      const reason = unavailable.get(c.sysctl);
      if (reason !== undefined) return { sysctl: c.sysctl, action: c.action, outcome: 'unavailable' as const, before: c.before ?? null, after: c.before ?? null, message: reason };
      const w = work.writes.find((x) => x.sysctl === c.sysctl);
      const before = log?.old.get(c.sysctl) ?? c.before ?? null;
      const after = log?.verified.get(c.sysctl) ?? (w === undefined ? (c.before ?? null) : w.values);
      let outcome: SettingOutcome;
      if (c.action === 'delete') outcome = c.after === null ? 'dropped' : 'restored';
      else if (c.action === 'no-op') outcome = 'unchanged';
      else if (w !== undefined && (log === undefined || log.wrote.includes(c.sysctl))) outcome = 'written';
      else outcome = work.fileChanged ? 'persisted' : 'unchanged';
      return { sysctl: c.sysctl, action: c.action, outcome, before, after: outcome === 'dropped' ? (c.before ?? null) : after };
    });
  return {
    host: plan.name,
    warn(message: string) {
      warnings.push(message);
    },
    unreachable(code: string, message: string): HostApplyResult {
      return { ...base(), status: 'unreachable', state: 'untouched', settings: planned(() => 'not-attempted'), file: fileBefore(), failure: { stage: 'connect', code, message } };
    },
    stale(stale: readonly StaleSetting[]): HostApplyResult {
      return {
        ...base(),
        status: 'stale',
        state: 'untouched',
        settings: planned(() => 'not-attempted'),
        file: fileBefore(),
        stale,
        failure: { stage: 'read', code: 'TCPMEM_APPLY_STALE', message: `the host changed since the plan: ${describeStale(stale)}; nothing was changed. Plan again` },
      };
    },
    failed(state: HostState, failure: HostFailure, log?: CommitRecord): HostApplyResult {
      const rolledBack = new Set(log?.restored.keys() ?? []);
      return {
        ...base(),
        status: 'failed',
        state,
        settings: planned(
          (c) => (c.sysctl === failure.sysctl ? 'rejected' : rolledBack.has(c.sysctl) ? 'rolled-back' : 'not-attempted'),
          (c) => (c.sysctl === failure.sysctl ? failure.message : undefined),
        ),
        file: state === 'unknown' ? { path: persistedFile, action: 'unchanged', entries: {} } : fileBefore(),
        failure,
      };
    },
    committed(log: CommitRecord): HostApplyResult {
      return { ...base(), status: 'applied', state: 'changed', settings: written(log), file: fileAfter(log.persisted ?? 'unchanged') };
    },
    /** Applied, as seen by reading the host again (the commit's own report was lost). */
    appliedFromRead(live: ReadonlyMap<string, readonly number[]>): HostApplyResult {
      const verified = new Map(task.work.writes.map((w) => [w.sysctl, live.get(w.sysctl) ?? w.values]));
      return {
        ...base(),
        status: 'applied',
        state: 'changed',
        settings: written({ wrote: task.work.writes.map((w) => w.sysctl), old: new Map(), verified, restored: new Map() }),
        file: fileAfter(!work.fileChanged ? 'unchanged' : work.fileEntries.length === 0 ? 'removed' : 'written'),
      };
    },
  };
}

/** For the engine: a host with nothing to do, or skipped, as a result (no executor needed). */
export function resultWithoutContact(task: { plan: HostPlan; work: HostWork | undefined }, status: 'unchanged' | 'skipped' | 'unreachable', why?: string): HostApplyResult {
  const { plan } = task;
  return {
    host: plan.name,
    ...(plan.address === undefined ? {} : { address: plan.address }),
    status,
    state: 'untouched',
    settings: plan.changes.map((c) => ({
      sysctl: c.sysctl,
      action: c.action,
      outcome: status === 'unchanged' ? 'unchanged' : 'not-attempted',
      before: c.before ?? null,
      after: c.before ?? null,
    })),
    file: { path: persistedFile, action: 'unchanged', entries: observedFileEntries(plan) },
    ...(why === undefined || status === 'unchanged' ? {} : status === 'skipped' ? { skipped: why } : { failure: unreachableFailure(plan, why) }),
    ...(task.work === undefined || task.work.unavailable.length === 0 ? {} : { unavailable: task.work.unavailable }),
    // a host key refused when planning (changed, revoked, unknown) stays in sight as a warning, in the transport's words
    warnings: [...(status === 'unreachable' && plan.unreachable?.code.startsWith('HOST_KEY_') === true ? [plan.unreachable.message] : []), ...(task.work === undefined ? [] : hostWarnings(task.work))],
    durationMs: 0,
  };
}

/**
 * The failure of a host the plan found unreachable: the transport's code (`HOST_KEY_CHANGED`, …) and words when
 * the plan kept them, then `why`.
 */
function unreachableFailure(plan: HostPlan, why: string): HostFailure {
  const seen = plan.unreachable;
  return { stage: 'connect', code: seen?.code ?? 'TCPMEM_UNREACHABLE', message: seen === undefined ? why : `${seen.message.replace(/\.\s*$/, '')} (when the plan was made: plan again once that is fixed)` };
}

/** What to tell an operator about a host before anything happens: settings it lacks, files that shadow tcpmem's. */
export function hostWarnings(work: HostWork): string[] {
  return [...work.unavailable.map((u) => u.reason), ...work.shadowed.map((s) => shadowWarning(s.sysctl, s.by))];
}

/** tcpmem's file as the plan observed it. */
export function observedFileEntries(plan: HostPlan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(plan.observed?.persisted ?? {})) if (text !== undefined) out[name] = text;
  return out;
}
