import fs from 'node:fs';
import path from 'node:path';
import { hasErrors, validateDefinition, type Plan, type Problem } from '@tcpmem/schema';
import { checkWrite, isSysctlName, parseKernelRelease } from '@tcpmem/kernel-model';
import { TcpmemError } from '../../src/errors';
import { InvalidConfigError, makePlan, validatePath } from '@tcpmem/app';
import { renderPlan } from '../../src/render/plan';
import { renderProblems } from '../../src/render/problems';
import { styleFor } from '../../src/render/style';
import { version } from '../../src/version';

/**
 * The bad-input test's oracle: what must hold of any run of `validate` or `plan`, whatever the input. A run ends
 * with a valid plan (schema `$defs/Plan`) or with errors that are located (file, line, column), coded
 * (`TCPMEM_…`) and hinted, and exits 0, 1 or 64 — never with an exception of ours or of JavaScript's, a problem
 * nobody can find, or a plan the schema refuses.
 */

export type Command = 'validate' | 'plan';

/** One broken rule, with a signature that groups the many cases one bug produces. */
export interface Violation {
  readonly command: Command;
  /** `crash`, `unlocated`, `invalid-problem`, `invalid-plan`, `inconsistent`, `slow`, and the binary's `exit`, `stdout`, `stderr`, `terminal`, `hang`. */
  readonly rule: string;
  /** e.g. `plan/crash/TypeError at layer-settings.ts:52` or `validate/unlocated/TCPMEM_FILE_UNREADABLE`. */
  readonly signature: string;
  readonly detail: string;
}

/** What a run ended with, as the CLI's exit code would say it. */
export interface RunOutcome {
  readonly exitCode: number | undefined;
  /** The codes of the error problems (or of the error) the run ended with. */
  readonly errorCodes: readonly string[];
  /** CPU time of this process while the command ran (wall time means little on a loaded machine). */
  readonly ms: number;
}

const errorCodes = (problems: readonly Problem[]): string[] => problems.filter((p) => p.severity === 'error').map((p) => p.code);
const thrownCode = (error: unknown): string => (error instanceof TcpmemError ? error.code : 'a thrown exception');

/** CPU milliseconds (user + system) of this process since `start`. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const codePattern = /^TCPMEM_[A-Z0-9_]+$/;
const plain = styleFor({ isTTY: false }, {}, true);

/** The first stack frame inside the project, `file.ts:line`, to tell bugs apart. */
export function whereThrown(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const frame = /\((?:[^()]*\/)?(packages\/[^()]+?):(\d+):\d+\)/.exec(stack) ?? /at (?:[^()]*\/)?(packages\/\S+?):(\d+):\d+/.exec(stack);
  return frame === null ? 'unknown place' : `${frame[1]}:${frame[2]}`;
}

/** Lines of each file, read once per list of problems (a run may report 100,000 problems in one file). */
function lineCounter(cwd: string): (file: string) => number | undefined {
  const counts = new Map<string, number | undefined>();
  return (file) => {
    if (counts.has(file)) return counts.get(file);
    let count: number | undefined;
    try {
      const full = path.resolve(cwd, file);
      const stat = fs.statSync(full);
      // Never read a FIFO or a device (it could block), nor a huge file.
      if (stat.isFile() && stat.size <= 32 * 1024 * 1024) count = fs.readFileSync(full, 'latin1').split('\n').length;
    } catch {
      count = undefined;
    }
    counts.set(file, count);
    return count;
  };
}

/**
 * Checks a list of problems: each must be a valid `$defs/Problem`; each error must name an existing file, a line
 * (within the file) and a column, a code and a hint.
 */
export function checkProblems(command: Command, problems: readonly Problem[], cwd: string, violations: Violation[]): void {
  const lineCount = lineCounter(cwd);
  const exists = new Map<string, boolean>();
  const before = violations.length;
  for (const p of problems) {
    // One bug can break 100,000 problems of a run: twenty say enough.
    if (violations.length - before >= 20) return;
    const shape = validateDefinition('Problem', p);
    if (!shape.ok) {
      violations.push({ command, rule: 'invalid-problem', signature: `${command}/invalid-problem/${p.code}`, detail: `not a $defs/Problem (${JSON.stringify(shape.errors.map((e) => `${e.instancePath} ${e.message ?? ''}`))}): ${JSON.stringify(p)}` });
    }
    if (p.severity !== 'error') continue;
    const missing: string[] = [];
    if (typeof p.file !== 'string' || p.file === '') missing.push('file');
    else if (!(exists.get(p.file) ?? exists.set(p.file, fs.existsSync(path.resolve(cwd, p.file))).get(p.file))) missing.push(`an existing file (${p.file})`);
    if (!Number.isInteger(p.line) || (p.line ?? 0) < 1) missing.push('line');
    else if (typeof p.file === 'string') {
      const lines = lineCount(p.file);
      if (lines !== undefined && p.line! > lines + 1) missing.push(`a line inside the file (${p.line} > ${lines})`);
    }
    if (!Number.isInteger(p.column) || (p.column ?? 0) < 1) missing.push('column');
    if (!codePattern.test(p.code)) missing.push('a TCPMEM_ code');
    if (typeof p.message !== 'string' || p.message.trim() === '') missing.push('message');
    if (typeof p.hint !== 'string' || p.hint.trim() === '') missing.push('hint');
    if (missing.length > 0) {
      violations.push({ command, rule: 'unlocated', signature: `${command}/unlocated/${p.code}/${missing.map((m) => m.replace(/ \(.*$/, '')).join('+')}`, detail: `error without ${missing.join(', ')}: ${JSON.stringify(p)}` });
    }
  }
}

function checkThrown(command: Command, error: unknown, violations: Violation[]): number | undefined {
  if (error instanceof TcpmemError) {
    const bad: string[] = [];
    if (!codePattern.test(error.code) || error.code === 'TCPMEM_INTERNAL') bad.push(`code ${error.code}`);
    if (error.exitCode !== 1 && error.exitCode !== 64) bad.push(`exit code ${error.exitCode}`);
    if (error.message.trim() === '' || error.hint.trim() === '') bad.push('an empty message or hint');
    if (bad.length > 0) violations.push({ command, rule: 'crash', signature: `${command}/crash/TcpmemError ${error.code}`, detail: `TcpmemError with ${bad.join(', ')}: ${error.message}` });
    return error.exitCode;
  }
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  violations.push({ command, rule: 'crash', signature: `${command}/crash/${name} at ${whereThrown(error)}`, detail: `threw ${stack.split('\n').slice(0, 12).join('\n')}` });
  return 70;
}

/** Runs what `tcpmem validate PATH` runs, in-process, and checks it. */
export function checkValidate(target: string, cwd: string, violations: Violation[]): RunOutcome {
  const start = process.cpuUsage();
  try {
    // What the command calls: plan --offline's gate (validatePath), whose problems come sorted.
    const report = validatePath(target);
    const problems = report.problems;
    renderProblems(problems, plain);
    checkProblems('validate', problems, cwd, violations);
    const shape = validateDefinition('ValidationReport', JSON.parse(JSON.stringify(report)));
    if (!shape.ok) violations.push({ command: 'validate', rule: 'invalid-report', signature: 'validate/invalid-report', detail: JSON.stringify(shape.errors.slice(0, 3)) });
    return { exitCode: report.valid ? 0 : 1, errorCodes: errorCodes(problems), ms: cpuMsSince(start) };
  } catch (error) {
    if (error instanceof TcpmemError && error.code === 'TCPMEM_PATH') {
      if (error.message === '' || error.hint === '') violations.push({ command: 'validate', rule: 'unlocated', signature: 'validate/unlocated/TCPMEM_PATH', detail: error.message });
      return { exitCode: 1, errorCodes: ['TCPMEM_PATH'], ms: cpuMsSince(start) };
    }
    return { exitCode: checkThrown('validate', error, violations), errorCodes: [thrownCode(error)], ms: cpuMsSince(start) };
  }
}

/** Runs what `tcpmem plan PATH --offline` runs, in-process (load, plan, render), and checks it. */
export async function checkPlan(target: string, cwd: string, violations: Violation[]): Promise<RunOutcome> {
  const start = process.cpuUsage();
  let made: Awaited<ReturnType<typeof makePlan>>;
  try {
    made = await makePlan(target, { offline: true, targets: [], excludes: [], parallelism: 1, tcpmemVersion: version });
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      checkProblems('plan', error.problems, cwd, violations);
      renderProblems(error.problems, plain);
      if (!hasErrors(error.problems)) violations.push({ command: 'plan', rule: 'inconsistent', signature: 'plan/inconsistent/invalid-config-without-errors', detail: `InvalidConfigError with no error problem: ${JSON.stringify(error.problems)}` });
      return { exitCode: 1, errorCodes: errorCodes(error.problems), ms: cpuMsSince(start) };
    }
    return { exitCode: checkThrown('plan', error, violations), errorCodes: [thrownCode(error)], ms: cpuMsSince(start) };
  }
  const { plan } = made;
  let json: unknown;
  try {
    json = JSON.parse(JSON.stringify(plan));
    renderPlan(plan, plain);
  } catch (error) {
    return { exitCode: checkThrown('plan', error, violations), errorCodes: [thrownCode(error)], ms: cpuMsSince(start) };
  }
  const shape = validateDefinition('Plan', json);
  if (!shape.ok) {
    const errors = shape.errors.slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    violations.push({ command: 'plan', rule: 'invalid-plan', signature: `plan/invalid-plan/${shape.errors[0]?.instancePath.replace(/\/\d+/g, '/N') ?? ''}`, detail: `the plan is not a $defs/Plan: ${errors.join('; ')}` });
  }
  const notJson = nonJsonValues(plan);
  if (notJson.length > 0) violations.push({ command: 'plan', rule: 'invalid-plan', signature: 'plan/invalid-plan/not-json', detail: `the plan holds values JSON cannot carry: ${notJson.slice(0, 5).join(', ')}` });
  const problems = [...(plan.problems ?? []), ...plan.hosts.flatMap((h) => h.problems)];
  checkProblems('plan', problems, cwd, violations);
  for (const host of plan.hosts) {
    const invalid = host.status === 'invalid';
    if (invalid !== hasErrors(host.problems)) {
      violations.push({ command: 'plan', rule: 'inconsistent', signature: `plan/inconsistent/status-${host.status}-errors-${hasErrors(host.problems)}`, detail: `host ${host.name} is ${host.status} with problems ${JSON.stringify(host.problems)}` });
    }
  }
  checkPlannedValues(plan, violations);
  if (hasErrors(plan.problems ?? [])) violations.push({ command: 'plan', rule: 'inconsistent', signature: 'plan/inconsistent/plan-with-load-errors', detail: JSON.stringify(plan.problems) });
  return { exitCode: plan.summary.invalid > 0 ? 1 : 0, errorCodes: errorCodes(problems), ms: cpuMsSince(start) };
}

/** Pointers to NaN, ±Infinity, undefined array items and functions: what JSON.stringify silently turns into null or drops. */
function nonJsonValues(value: unknown, at = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${at || '/'} = ${value}`];
  if (typeof value === 'function' || typeof value === 'bigint' || typeof value === 'symbol') return [`${at || '/'} is a ${typeof value}`];
  if (Array.isArray(value)) return value.flatMap((item: unknown, i) => (item === undefined ? [`${at}/${i} = undefined`] : nonJsonValues(item, `${at}/${i}`)));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => nonJsonValues(v, `${at}/${k}`));
  return [];
}

/**
 * What a plan proposes must be writable: every `after` value of a planned host is accepted by that host's kernel
 * (kernel-model's checkWrite, the rules of proc_dointvec & co.), and triples are non-decreasing (but for a step the
 * kernel's own default has). A value that
 * would fail at apply time should have been a TCPMEM_KERNEL_REJECTS or TCPMEM_TRIPLE_ORDER error at plan time.
 */
function checkPlannedValues(plan: Plan, violations: Violation[]): void {
  const triples = new Set(['net.ipv4.tcp_mem', 'net.ipv4.udp_mem', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
  for (const host of plan.hosts) {
    if (host.status === 'invalid' || host.kernel === undefined) continue;
    const version = parseKernelRelease(host.kernel.release);
    if (version === undefined) continue;
    for (const change of host.changes) {
      const after = change.after;
      if (after === null || !isSysctlName(change.sysctl)) continue;
      const check = checkWrite(change.sysctl, after, version);
      if (!check.accepted) {
        violations.push({ command: 'plan', rule: 'unwritable', signature: `plan/unwritable/${change.sysctl}`, detail: `host ${host.name} (${host.kernel.release}): the plan writes ${change.sysctl} = ${after.join(' ')}, which the kernel rejects (${check.reason}); no error said so (reason: ${change.reason})` });
      }
      // a step down is the kernel's own when its default steps down there with the same two values (tcp_wmem on a
      // 64 KiB-page kernel: 65536 16384): a config raising only the max keeps it, and the kernel takes it
      const own = (i: number): boolean => change.kernelDefault?.[i] === after[i] && change.kernelDefault?.[i + 1] === after[i + 1];
      if (triples.has(change.sysctl) && after.length === 3 && !((after[0]! <= after[1]! || own(0)) && (after[1]! <= after[2]! || own(1)))) {
        violations.push({ command: 'plan', rule: 'unwritable', signature: `plan/unwritable/${change.sysctl} order`, detail: `host ${host.name}: the plan writes ${change.sysctl} = ${after.join(' ')}, not non-decreasing, and no error said so` });
      }
    }
  }
}
