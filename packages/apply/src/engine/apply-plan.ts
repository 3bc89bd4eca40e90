import { createHash } from 'node:crypto';
import type { HostPlan, Plan } from '@tcpmem/schema';
import type { ApplyEvent, ApplyEventInput, EmitEvent, HostTimings } from './apply-events';
import { isProblem, type AcceptedHostKeyReport, type ApplyReport, type ApplySummary, type HostApplyResult, type RunInterruption, type RunRefusal, type StaleSetting } from './apply-report';
import type { Executor, HostTask } from './executor';
import type { RunInterrupt } from './run-interrupt';
import { resultWithoutContact, shadowWarning } from './host-result';
import { planHostWork, UnsafePlanError, type HostWork } from './host-work';
import { runPool } from './run-pool';
import { describeStale } from './stale';

/** A limit on failures: a number of hosts, or a share of the hosts to change. */
export type MaxFail = { readonly count: number } | { readonly percent: number };

export interface ApplyOptions {
  /** Hosts in flight at once. Default 16. */
  readonly parallelism?: number;
  /** Once more hosts than this have failed (failed, stale or unreachable), no new host is started. */
  readonly maxFail?: MaxFail;
  /** Roll out in batches of this many hosts, one batch after the other; the first is the canary: if any of its hosts fails, nothing more is started. */
  readonly batchSize?: number;
  /**
   * A saved plan: read every host with changes again first (read-only) and refuse the whole plan, touching
   * nothing, if any has changed since. (Every host is also checked again inside its own transaction.)
   */
  readonly checkFirst?: boolean;
  readonly tcpmemVersion: string;
  /** Host keys accept-new trusted before the run (while planning a CONFIG): reported with the run's own. */
  readonly acceptedHostKeys?: readonly AcceptedHostKeyReport[];
  /**
   * Ctrl-C: once interrupted, no new host is started and the running ones go on to their end; interrupted
   * again (forced), those not yet sent COMMIT stop untouched. The report says so in `interrupted`.
   */
  readonly interrupt?: RunInterrupt;
  /** Receives every event, in order. */
  readonly onEvent?: (event: ApplyEvent) => void;
  readonly now?: () => Date;
}

/** Parses `--max-fail`: `N` or `N%`. */
export function parseMaxFail(text: string): MaxFail | undefined {
  const match = /^\s*(\d+)\s*(%?)\s*$/.exec(text);
  if (match === null) return undefined;
  const n = Number(match[1]);
  if (match[2] === '%') return n <= 100 ? { percent: n } : undefined;
  return { count: n };
}

/** The number of failures tolerated for `hosts` hosts. */
export function maxFailCount(maxFail: MaxFail | undefined, hosts: number): number | undefined {
  if (maxFail === undefined) return undefined;
  return 'count' in maxFail ? maxFail.count : Math.floor((maxFail.percent * hosts) / 100);
}

/** `sha256:` over the plan document, as the apply report names it. */
export function planDigest(plan: Plan): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(plan)).digest('hex')}`;
}

/**
 * Applies a plan with an executor (SSH, or the kernel model for a dry run), host by host, as the options say:
 * `parallelism` hosts at once, in batches (the first a canary), no new host once `maxFail` is passed. Hosts with
 * nothing to do are not contacted. A saved plan (`checkFirst`) is refused as a whole, before anything is touched,
 * when any host changed since it was made. Progress goes to `onEvent`; the result is the report. Never throws for
 * a host's failure; throws UnsafePlanError for a plan that names a sysctl outside the registry or a value that is
 * no integer (before anything is contacted).
 */
export async function applyPlan(plan: Plan, executor: Executor, options: ApplyOptions): Promise<ApplyReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const t0 = Date.now();
  const accepted: AcceptedHostKeyReport[] = [];
  const emit = (event: ApplyEventInput): void => {
    if (event.type === 'host-key-accepted') accepted.push({ host: event.host, address: event.address, port: event.port, keyType: event.keyType, fingerprint: event.fingerprint, file: event.file });
    options.onEvent?.({ ...event, elapsedMs: Date.now() - t0 });
  };
  // Ctrl-C: start nothing new; the hosts under way end as they end (or, forced, before COMMIT)
  const running = new Set<string>();
  let interrupted: RunInterruption | undefined;
  const stopListening = options.interrupt?.onInterrupt((signal, forced) => {
    const hostsRunning = [...running];
    interrupted = { signal, elapsedMs: Date.now() - t0, hostsRunning: interrupted?.hostsRunning ?? hostsRunning, ...(forced ? { forced } : {}) };
    emit({ type: 'run-interrupted', signal, running: hostsRunning, forced });
  });
  const notStarted = (): string => `not started: the run was interrupted (${interrupted?.signal ?? 'SIGINT'})`;
  const digest = planDigest(plan);
  const header = { tcpmemVersion: options.tcpmemVersion };

  // Every host's work, decided (and checked for safety) before anything is contacted.
  const results = new Map<string, HostApplyResult>();
  const tasks: HostTask[] = [];
  const warningsOf = new Map<string, HostWork>();
  const emitWarnings = (host: string): void => {
    const work = warningsOf.get(host);
    for (const u of work?.unavailable ?? []) emit({ type: 'host-warning', host, sysctl: u.sysctl, message: u.reason });
    for (const s of work?.shadowed ?? []) emit({ type: 'host-warning', host, sysctl: s.sysctl, message: shadowWarning(s.sysctl, s.by) });
  };
  for (const host of plan.hosts) {
    const early = withoutWork(host, executor.kind);
    if (early !== undefined) {
      results.set(host.name, resultWithoutContact({ plan: host, work: undefined }, early.status, early.why));
      continue;
    }
    const work: HostWork = planHostWork(host);
    if (work.empty) {
      results.set(host.name, resultWithoutContact({ plan: host, work }, 'unchanged'));
      warningsOf.set(host.name, work);
      continue;
    }
    warningsOf.set(host.name, work);
    tasks.push({ plan: host, work, header });
  }

  const parallelism = Math.max(1, options.parallelism ?? 16);
  const batchSize = options.batchSize === undefined || options.batchSize <= 0 ? Math.max(1, tasks.length) : options.batchSize;
  const batches: HostTask[][] = [];
  for (let i = 0; i < tasks.length; i += batchSize) batches.push(tasks.slice(i, i + batchSize));
  const maxFail = maxFailCount(options.maxFail, tasks.length);
  emit({ type: 'run-started', executor: executor.kind, hosts: plan.hosts.length, hostsToChange: tasks.length, batches: batches.length, parallelism, maxFail });
  for (const key of options.acceptedHostKeys ?? []) emit({ type: 'host-key-accepted', ...key });
  for (const host of plan.hosts) {
    const r = results.get(host.name);
    if (r?.status === 'skipped') emit({ type: 'host-skipped', host: host.name, reason: r.skipped ?? 'skipped' });
    if (r?.status === 'unreachable') emit({ type: 'host-unreachable', host: host.name, code: r.failure?.code ?? 'TCPMEM_UNREACHABLE', message: r.failure?.message ?? 'unreachable when planned' });
    if (r !== undefined) {
      emitWarnings(host.name);
      emit({ type: 'host-done', host: host.name, result: r });
    }
  }

  let refused: RunRefusal | undefined;
  // A saved plan is checked inside the transactions themselves when the executor can hold them before COMMIT
  // and every host runs at once (one batch, parallelism enough): each locked read is the check, and no host is
  // sent COMMIT until every one is known fresh. Otherwise, as before, on read-only connections of their own first.
  const gated = options.checkFirst === true && tasks.length > 0 && executor.gated === true && batches.length === 1 && tasks.length <= parallelism;
  if (gated) {
    refused = await checkedInTransactions();
  } else if (options.checkFirst === true && tasks.length > 0) {
    emit({ type: 'check-started', hosts: tasks.length });
    const stale: { host: string; settings: readonly StaleSetting[] }[] = [];
    const unreachable = new Map<string, { code: string; message: string }>();
    await runPool(tasks, parallelism, async (task) => {
      if (interrupted !== undefined) return;
      const outcome = await executor.check(task, emit);
      if ('unreachable' in outcome) {
        unreachable.set(task.plan.name, outcome);
        emit({ type: 'host-checked', host: task.plan.name, fresh: false, unreachable: outcome.message });
      } else if (!outcome.fresh) {
        stale.push({ host: task.plan.name, settings: outcome.stale });
        emit({ type: 'host-checked', host: task.plan.name, fresh: false, stale: outcome.stale });
      } else {
        emit({ type: 'host-checked', host: task.plan.name, fresh: true });
      }
    });
    if (stale.length > 0) {
      const order = new Map(tasks.map((t, i) => [t.plan.name, i]));
      stale.sort((a, b) => (order.get(a.host) ?? 0) - (order.get(b.host) ?? 0));
      refused = {
        reason: `the plan is stale: ${stale.length} host(s) changed since it was made (${stale.map((s) => `${s.host}: ${describeStale(s.settings)}`).join('; ')}); nothing was applied. Make a new plan`,
        staleHosts: stale,
      };
      emit({ type: 'run-refused', ...refused });
      for (const task of tasks) {
        const s = stale.find((x) => x.host === task.plan.name);
        results.set(task.plan.name, resultWithoutContact(task, 'skipped', s === undefined ? 'the plan was refused: other hosts are stale' : `stale: ${describeStale(s.settings)}`));
      }
    } else {
      for (const task of tasks) {
        if (interrupted !== undefined) break;
        const u = unreachable.get(task.plan.name);
        if (u === undefined) continue;
        const r = resultWithoutContact(task, 'unreachable', u.message);
        results.set(task.plan.name, { ...r, failure: { stage: 'connect', code: u.code, message: u.message } });
        emit({ type: 'host-unreachable', host: task.plan.name, code: u.code, message: u.message });
        emit({ type: 'host-done', host: task.plan.name, result: results.get(task.plan.name)! });
      }
    }
  }

  if (refused === undefined && !gated) {
    let problems = [...results.values()].filter(isProblem).length;
    let stopped: string | undefined;
    for (const [index, batch] of batches.entries()) {
      const todo = batch.filter((t) => !results.has(t.plan.name));
      if (stopped !== undefined || interrupted !== undefined) {
        for (const task of todo) skip(task, stopped ?? notStarted());
        continue;
      }
      emit({ type: 'batch-started', batch: index + 1, batches: batches.length, canary: index === 0 && batches.length > 1, hosts: todo.map((t) => t.plan.name) });
      let batchProblems = 0;
      await runPool(todo, parallelism, async (task) => {
        if (interrupted !== undefined) {
          skip(task, notStarted());
          return;
        }
        if (maxFail !== undefined && problems > maxFail) {
          stopped ??= `--max-fail ${maxFail} was passed (${problems} hosts failed); no new host was started`;
          skip(task, stopped);
          return;
        }
        emitWarnings(task.plan.name);
        let result: HostApplyResult;
        running.add(task.plan.name);
        try {
          result = await executor.apply(task, emit, options.interrupt);
        } catch (error) {
          // an executor bug must not hide the other hosts' results
          result = { ...resultWithoutContact(task, 'skipped'), status: 'failed', state: 'unknown', failure: { stage: 'commit', code: 'TCPMEM_INTERNAL', message: `tcpmem failed unexpectedly: ${(error as Error).message}` } };
          emit({ type: 'host-failed', host: task.plan.name, failure: result.failure!, state: 'unknown' });
        } finally {
          running.delete(task.plan.name);
        }
        results.set(task.plan.name, result);
        if (isProblem(result)) {
          problems += 1;
          batchProblems += 1;
        }
        emit({ type: 'host-done', host: task.plan.name, result, ...timed(task.plan.name) });
      });
      emit({ type: 'batch-done', batch: index + 1, problems: batchProblems });
      if (index === 0 && batches.length > 1 && batchProblems > 0) stopped = `the canary batch (${batch.length} hosts) had ${batchProblems} failure(s); later batches were not started`;
      if (maxFail !== undefined && problems > maxFail) stopped ??= `--max-fail ${maxFail} was passed (${problems} hosts failed); no new host was started`;
    }
  }

  // what finished hosts left in the background (their connections closing), bounded, before the run's end
  const closeMs = await executor.drain?.();
  if (closeMs !== undefined && Object.keys(closeMs).length > 0) emit({ type: 'sessions-closed', closeMs });
  stopListening?.();
  const hosts = plan.hosts.map((h) => results.get(h.name) ?? resultWithoutContact({ plan: h, work: undefined }, 'skipped', interrupted === undefined ? 'not reached' : notStarted()));
  const finishedAt = now();
  const report: ApplyReport = {
    kind: 'apply-report',
    formatVersion: 1,
    executor: executor.kind,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: Date.now() - t0,
    plan: { createdAt: plan.createdAt, digest, configPath: plan.config.path },
    ...(plan.shard === undefined ? {} : { shard: { ...plan.shard } }),
    summary: summarize(hosts),
    ...(refused === undefined ? {} : { refused }),
    ...(interrupted === undefined ? {} : { interrupted }),
    ...(accepted.length === 0 ? {} : { acceptedHostKeys: accepted }),
    hosts,
  };
  emit({ type: 'run-done', report });
  return report;

  /**
   * The saved plan's check, inside the transactions: every host's transaction starts at once, takes its lock, reads
   * and prepares, and waits at its gate. Once every host has arrived (or ended before it: unreachable, busy, stale),
   * the run decides: no host stale and no interruption, every waiting host commits; else every one is withdrawn,
   * untouched, and (stale) the plan is refused as a whole. A host's events wait with it, so that a refused plan
   * reports only its check (as when it was checked on connections of its own).
   */
  async function checkedInTransactions(): Promise<RunRefusal | undefined> {
    emit({ type: 'check-started', hosts: tasks.length });
    const stale: { host: string; settings: readonly StaleSetting[] }[] = [];
    const held = new Map<string, ApplyEventInput[]>(tasks.map((t) => [t.plan.name, []]));
    let decided: boolean | undefined;
    let decide: (go: boolean) => void = () => undefined;
    const decision = new Promise<boolean>((resolve) => {
      decide = (go) => {
        if (decided !== undefined) return;
        decided = go;
        if (go) {
          // the check passed: what each host said so far is told, in order, and what follows goes straight on
          emit({ type: 'batch-started', batch: 1, batches: 1, canary: false, hosts: tasks.map((t) => t.plan.name) });
          for (const events of held.values()) for (const event of events) emit(event);
        }
        held.clear();
        resolve(go);
      };
    });
    let waiting = tasks.length;
    const arrive = (): void => {
      waiting -= 1;
      if (waiting === 0) decide(stale.length === 0 && interrupted === undefined);
    };
    // Ctrl-C while the hosts are being checked: none of them is sent COMMIT
    const stopDeciding = options.interrupt?.onInterrupt(() => {
      decide(false);
    });
    const hostEmit =
      (host: string): EmitEvent =>
      (event) => {
        if (event.type === 'host-key-accepted' || decided === true) emit(event);
        else if (decided === undefined) held.get(host)?.push(event);
      };
    let problems = 0;
    await runPool(tasks, tasks.length, async (task) => {
      const host = task.plan.name;
      const reached = { gate: false };
      const gate = async (): Promise<boolean> => {
        reached.gate = true;
        emit({ type: 'host-checked', host, fresh: true });
        arrive();
        return await decision;
      };
      let result: HostApplyResult;
      running.add(host);
      try {
        result = interrupted !== undefined ? resultWithoutContact(task, 'skipped', notStarted()) : await executor.apply(task, hostEmit(host), options.interrupt, gate);
      } catch (error) {
        result = { ...resultWithoutContact(task, 'skipped'), status: 'failed', state: 'unknown', failure: { stage: 'commit', code: 'TCPMEM_INTERNAL', message: `tcpmem failed unexpectedly: ${(error as Error).message}` } };
        hostEmit(host)({ type: 'host-failed', host, failure: result.failure!, state: 'unknown' });
      } finally {
        running.delete(host);
      }
      if (!reached.gate) {
        // ended before its gate: stale (it changed since the plan), unreachable, or failed before COMMIT
        if (result.status === 'stale') {
          stale.push({ host, settings: result.stale ?? [] });
          emit({ type: 'host-checked', host, fresh: false, stale: result.stale ?? [] });
        } else if (result.status === 'unreachable') {
          emit({ type: 'host-checked', host, fresh: false, unreachable: result.failure?.message ?? 'unreachable' });
        }
        arrive();
      }
      if (!(await decision)) return;
      results.set(host, result);
      if (isProblem(result)) problems += 1;
      emit({ type: 'host-done', host, result, ...timed(host) });
    });
    stopDeciding?.();
    if (decided === true) {
      emit({ type: 'batch-done', batch: 1, problems });
      return undefined;
    }
    if (stale.length === 0) {
      // interrupted before the decision: every host was withdrawn before COMMIT
      for (const task of tasks) skip(task, notStarted());
      return undefined;
    }
    const order = new Map(tasks.map((t, i) => [t.plan.name, i]));
    stale.sort((a, b) => (order.get(a.host) ?? 0) - (order.get(b.host) ?? 0));
    const refusal: RunRefusal = {
      reason: `the plan is stale: ${stale.length} host(s) changed since it was made (${stale.map((s) => `${s.host}: ${describeStale(s.settings)}`).join('; ')}); nothing was applied. Make a new plan`,
      staleHosts: stale,
    };
    emit({ type: 'run-refused', ...refusal });
    for (const task of tasks) {
      const s = stale.find((x) => x.host === task.plan.name);
      results.set(task.plan.name, resultWithoutContact(task, 'skipped', s === undefined ? 'the plan was refused: other hosts are stale' : `stale: ${describeStale(s.settings)}`));
    }
    return refusal;
  }

  /** The executor's per-phase timings of a host it contacted, for its host-done. */
  function timed(host: string): { timings?: HostTimings } {
    const timings = executor.timingsOf?.(host);
    return timings === undefined ? {} : { timings };
  }

  function skip(task: HostTask, why: string): void {
    const r = resultWithoutContact(task, 'skipped', why);
    results.set(task.plan.name, r);
    emit({ type: 'host-skipped', host: task.plan.name, reason: why });
    emit({ type: 'host-done', host: task.plan.name, result: r });
  }
}

/** Hosts the executor cannot or must not touch, decided from the plan alone. */
function withoutWork(host: HostPlan, executor: Executor['kind']): { status: 'skipped' | 'unreachable'; why: string } | undefined {
  const hasChanges = host.changes.some((c) => c.action !== 'no-op');
  if (host.status === 'invalid') return { status: 'skipped', why: 'its plan is invalid (see the plan\'s problems); nothing was planned for it' };
  // unreachable when planned: so reported over SSH, with changes or without (then nothing could be planned)
  if (executor !== 'model' && host.status === 'unreachable') return { status: 'unreachable', why: 'it could not be reached when the plan was made; plan again once it is up' };
  if (!hasChanges) return undefined;
  if (executor !== 'model') {
    if (host.source !== 'live') return { status: 'skipped', why: `it was planned from ${host.source === 'none' ? 'nothing' : `its ${host.source === 'facts' ? 'discovered facts' : 'kernel model'}`}, not read live${host.address === undefined ? ' (it has no address)' : ''}: tcpmem applies only what it has seen on the host` };
    if (host.observed === undefined) return { status: 'skipped', why: 'the plan holds no observation of it to check against' };
  }
  return undefined;
}

/** Counts hosts by status. */
export function summarize(hosts: readonly HostApplyResult[]): ApplySummary {
  const count = (status: HostApplyResult['status']) => hosts.filter((h) => h.status === status).length;
  return {
    hosts: hosts.length,
    applied: count('applied'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    stale: count('stale'),
    unreachable: count('unreachable'),
    skipped: count('skipped'),
    settingsChanged: hosts
      .filter((h) => h.status === 'applied')
      .reduce((n, h) => n + h.settings.filter((s) => s.outcome === 'written' || s.outcome === 'persisted' || s.outcome === 'restored' || s.outcome === 'dropped').length, 0),
    settingsUnavailable: hosts.reduce((n, h) => n + (h.unavailable?.length ?? 0), 0),
  };
}

export { UnsafePlanError };
