import { applyPlan, localExecutor, modelExecutor, RunInterrupt, SessionPool, sshExecutor, UnsafePlanError, type AcceptedHostKeyReport, type ApplyEvent, type ApplyReport, type Executor, type InterruptSignal, type MaxFail } from '@tcpmem/apply';
import { ConfigPathError, configRootOf, hostsInShard, summarize, type Shard } from '@tcpmem/plan';
import type { Plan } from '@tcpmem/schema';
import { ExitCode, type ExitCodeValue } from '../errors/exit-codes';
import { planWarnings, strictError, usageError, userError } from '../errors/errors';
import { loadPlanFile } from './load-plan-file';
import type { SelectionScope } from './load-selection';
import { localHostIndex } from './local-host';
import { makePlan, type LocalScope } from './make-plan';
import type { LiveReadProgress } from './read-live-hosts';

export interface ApplyFlowOptions extends SelectionScope {
  /** A config (file or folder) to plan, or a saved plan file. */
  readonly input: string;
  readonly dryRun: boolean;
  readonly autoApprove: boolean;
  readonly parallelism: number;
  readonly maxFail: MaxFail | undefined;
  readonly batchSize: number | undefined;
  readonly connectTimeoutMs: number | undefined;
  readonly commandTimeoutMs: number | undefined;
  readonly targets: readonly string[];
  readonly excludes: readonly string[];
  /** `--strict`: a plan with warnings (tcpmem's advice among them) is refused, after it is shown (TCPMEM_STRICT). */
  readonly strict?: boolean | undefined;
  /** The version of tcpmem that applies (and plans), recorded in the plan and in tcpmem's file on each host. */
  readonly tcpmemVersion: string;
  /** Told how far the live reads have come while planning a config. */
  readonly onReadProgress?: ((progress: LiveReadProgress) => void) | undefined;
  /** Shows the plan of a config before asking (not called for a saved plan). */
  readonly showPlan: (plan: Plan) => void;
  /** Asks the person at the terminal; undefined when there is none (then --auto-approve is required). */
  readonly confirm: ((plan: Plan) => Promise<boolean>) | undefined;
  readonly onEvent: (event: ApplyEvent) => void;
  /**
   * `--local`: apply only this machine's host entry, here, as root, with the same transaction as over SSH (the
   * config's entry, or the saved plan's host, that `--host` names or that matches this machine).
   */
  readonly local?: LocalScope | undefined;
  /** Whether this process runs as root (for --local). Default: process.geteuid() === 0. */
  readonly isRoot?: (() => boolean) | undefined;
  /**
   * Where the run learns of Ctrl-C. Default: SIGINT and SIGTERM of this process, caught while hosts are being
   * applied (the first stops new hosts, the second stops those not yet committing; see RunInterrupt).
   */
  readonly interrupt?: RunInterrupt;
}

export type ApplyFlowResult =
  | { readonly kind: 'applied'; readonly plan: Plan; readonly fromFile: boolean; readonly report: ApplyReport }
  | { readonly kind: 'cancelled'; readonly plan: Plan };

/**
 * What `tcpmem apply` does: a saved plan is applied exactly (every host checked again first, the whole plan refused
 * when one is stale); a config is planned (live, or offline for a dry run), shown, and confirmed (a terminal
 * prompt, or --auto-approve). With `strict`, a plan with warnings is refused (shown first when it is a config's).
 * The executor is chosen once here: the kernel model for --dry-run, else SSH.
 */
export async function runApply(options: ApplyFlowOptions): Promise<ApplyFlowResult> {
  if (options.local !== undefined && !options.dryRun && !(options.isRoot ?? isRoot)()) {
    throw userError('TCPMEM_LOCAL_NOT_ROOT', 'tcpmem apply --local writes /proc/sys and /etc/sysctl.d on this machine: it must run as root; nothing was read or changed', 'Run it as root (sudo tcpmem apply --local …), or see what it would do with `tcpmem plan --local` or --dry-run, which need no root.');
  }
  // a config applied over SSH: each host's connection, opened for the plan's read, is kept for its transaction
  const saved = loadPlanFile(options.input);
  const sessions = saved === undefined && !options.dryRun && options.local === undefined ? new SessionPool() : undefined;
  try {
    return await applyFlow(options, saved, sessions);
  } finally {
    // hosts not applied (declined, nothing to do, refused, skipped): their connections close here
    await sessions?.closeAll();
  }
}

async function applyFlow(options: ApplyFlowOptions, saved: Plan | undefined, sessions: SessionPool | undefined): Promise<ApplyFlowResult> {
  const local = options.local;
  if (saved !== undefined && (options.targets.length > 0 || options.excludes.length > 0)) {
    throw usageError('--target and --exclude select hosts of a config; a saved plan is applied exactly as it was made', 'Make a new plan with --target/--exclude (`tcpmem plan CONFIG --target … --out FILE`), or apply the config.');
  }
  let plan: Plan;
  let acceptedHostKeys: readonly AcceptedHostKeyReport[] = [];
  if (saved !== undefined) {
    plan = local !== undefined ? localPlan(saved, options.input, local) : options.shard === undefined ? saved : planShard(saved, options.shard);
    if (plan.mode === 'offline' && !options.dryRun) {
      throw userError('TCPMEM_PLAN_OFFLINE', `${options.input} was planned offline: it holds no observation of the hosts to check, so tcpmem will not apply it over SSH`, 'Plan live (without --offline) and apply that plan, or apply the config; --dry-run applies an offline plan to the kernel model.');
    }
  } else {
    // A path that is not there is said first: a CI job whose plan artifact was not downloaded must see that, not
    // that it has no terminal to confirm on.
    requirePath(options.input);
    if (!options.dryRun && !options.autoApprove && options.confirm === undefined) {
      throw usageError('refusing to apply without confirmation: there is no terminal to ask on', 'Pass --auto-approve to apply without asking (in CI), or save a plan with `tcpmem plan CONFIG --out FILE`, review it, and apply the file.');
    }
    const made = await makePlan(options.input, { offline: options.dryRun, targets: options.targets, excludes: options.excludes, shard: options.shard, allowOutsideRoot: options.allowOutsideRoot, parallelism: options.parallelism, tcpmemVersion: options.tcpmemVersion, onReadProgress: options.onReadProgress, local, keepSessions: sessions });
    plan = made.plan;
    acceptedHostKeys = made.acceptedHostKeys;
  }
  if (plan.summary.invalid > 0) {
    const invalid = plan.hosts.filter((h) => h.status === 'invalid').map((h) => h.name);
    throw userError('TCPMEM_INVALID_PLAN', `the plan has ${invalid.length} invalid host(s) (${invalid.slice(0, 5).join(', ')}${invalid.length > 5 ? ', …' : ''}); nothing was applied`, 'Fix the problems `tcpmem plan` reports for them, or leave them out with --exclude, then apply again.');
  }
  const changes = plan.summary.create + plan.summary.update + plan.summary.delete;
  // a host with nothing to apply needs no transaction: its connection closes now, in the background
  sessions?.release(plan.hosts.filter((h) => !h.changes.some((c) => c.action !== 'no-op')).map((h) => h.name));
  const warnings = options.strict === true ? planWarnings(plan) : [];
  const refuseWarnings = () => strictError(`the plan has ${warnings.length} warning${warnings.length === 1 ? '' : 's'} and --strict is on; nothing was applied`, warnings);
  if (saved !== undefined && warnings.length > 0) throw refuseWarnings();
  if (saved === undefined) {
    options.showPlan(plan);
    if (warnings.length > 0) throw refuseWarnings();
    if (changes > 0 && !options.dryRun && !options.autoApprove) {
      // confirm is defined here: checked above
      if (!(await options.confirm!(plan))) return { kind: 'cancelled', plan };
    }
  }
  const interrupt = options.interrupt ?? new RunInterrupt();
  const release = options.interrupt === undefined ? catchSignals(interrupt) : () => undefined;
  try {
    const report = await applyPlan(plan, executorFor(options, sessions), {
      parallelism: options.parallelism,
      ...(options.maxFail === undefined ? {} : { maxFail: options.maxFail }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      checkFirst: saved !== undefined && !options.dryRun,
      tcpmemVersion: options.tcpmemVersion,
      acceptedHostKeys,
      interrupt,
      onEvent: options.onEvent,
    });
    return { kind: 'applied', plan, fromFile: saved !== undefined, report };
  } catch (error) {
    if (error instanceof UnsafePlanError) throw userError('TCPMEM_UNSAFE_PLAN', `refusing the plan: ${error.message}`, 'A plan names only sysctls tcpmem manages, with integer values; make it again with `tcpmem plan`.');
    throw error;
  } finally {
    release();
  }
}

/**
 * Catches SIGINT and SIGTERM while hosts are applied, so that Ctrl-C cannot cut a run short without its report:
 * each signal goes to `interrupt` instead of ending the process. Returns the function that lets them go again.
 */
function catchSignals(interrupt: RunInterrupt): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal: InterruptSignal) => {
    const handler = (): void => {
      interrupt.interrupt(signal);
    };
    process.on(signal, handler);
    return () => process.removeListener(signal, handler);
  });
  return () => {
    for (const off of handlers) off();
  };
}

/**
 * The exit code of a finished apply (docs/errors.md): interrupted 130, a refused (stale) plan 1, failures 3,
 * unreachable hosts 4.
 */
export function applyExitCode(report: ApplyReport): ExitCodeValue {
  if (report.interrupted !== undefined) return ExitCode.interrupted;
  if (report.refused !== undefined) return ExitCode.invalidInput;
  const s = report.summary;
  if (s.failed > 0) return ExitCode.hostsFailed;
  if (s.unreachable > 0) return ExitCode.hostsUnreachable;
  if (s.stale > 0) return ExitCode.invalidInput;
  return ExitCode.ok;
}

/** The executor, chosen once: the kernel model for --dry-run, this machine for --local, else SSH. */
function executorFor(options: ApplyFlowOptions, sessions: SessionPool | undefined): Executor {
  const commandTimeout = options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs };
  if (options.dryRun) return modelExecutor();
  if (options.local !== undefined) return localExecutor(commandTimeout);
  return sshExecutor({ ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }), ...commandTimeout, ...(sessions === undefined ? {} : { sessions }) });
}

/** Throws TCPMEM_PATH, as loading the config would, when `input` is neither a file nor a folder that exists. */
function requirePath(input: string): void {
  try {
    configRootOf(input);
  } catch (error) {
    if (error instanceof ConfigPathError) throw userError('TCPMEM_PATH', error.message, error.hint);
    throw error;
  }
}

const isRoot = (): boolean => process.geteuid?.() === 0;

/** The one host of a saved plan that is this machine (`--host`, else by its names), as a plan of its own. */
function localPlan(plan: Plan, file: string, local: LocalScope): Plan {
  const index = localHostIndex(plan.hosts.map((h) => ({ name: h.name, address: h.address })), file, local.host, ...(local.identity === undefined ? [] : [local.identity]));
  const hosts = [plan.hosts[index]!];
  return { ...plan, hosts, summary: summarize(hosts) };
}

/** One shard of a saved plan: N controllers apply one reviewed plan, each its own share of the hosts. */
function planShard(plan: Plan, shard: Shard): Plan {
  const hosts = hostsInShard(plan.hosts, shard);
  return { ...plan, hosts, summary: summarize(hosts) };
}
