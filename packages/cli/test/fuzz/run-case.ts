import fs from 'node:fs';
import path from 'node:path';
import { writeRepo, type FuzzCase } from './fuzz-case';
import { checkPlan, checkValidate, type Command, type RunOutcome, type Violation } from './oracle';

/** The result of one case run in-process. */
export interface CaseResult {
  readonly fuzzCase: FuzzCase;
  readonly validate: RunOutcome | undefined;
  readonly plan: RunOutcome | undefined;
  readonly violations: Violation[];
}

export interface RunOptions {
  /** A command taking more CPU time than this (in-process) is reported as a (near) hang. */
  readonly slowMs: number;
  readonly commands?: readonly Command[];
}

/**
 * Writes a case into a fresh folder below `root`, runs `validate` and `plan --offline` on it in-process through
 * the functions the commands call, checks both (oracle.ts) and that they agree — a config `validate` rejects
 * must not plan cleanly — and removes the folder.
 */
export async function runCaseInProcess(fuzzCase: FuzzCase, root: string, options: RunOptions): Promise<CaseResult> {
  const dir = fs.mkdtempSync(path.join(root, 'case-'));
  const violations: Violation[] = [];
  const commands = options.commands ?? ['validate', 'plan'];
  let validate: RunOutcome | undefined;
  let plan: RunOutcome | undefined;
  try {
    const target = writeRepo(fuzzCase.repo, dir);
    const cwd = process.cwd();
    if (commands.includes('validate')) validate = checkValidate(target, cwd, violations);
    if (commands.includes('plan')) plan = await checkPlan(target, cwd, violations);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const [command, outcome] of [['validate', validate], ['plan', plan]] as const) {
    if (outcome !== undefined && outcome.ms > options.slowMs) {
      violations.push({ command, rule: 'slow', signature: `${command}/slow`, detail: `took ${Math.round(outcome.ms)} ms of CPU (limit ${options.slowMs} ms)` });
    }
  }
  if (validate?.exitCode === 1 && plan?.exitCode === 0) {
    violations.push({ command: 'plan', rule: 'inconsistent', signature: 'plan/inconsistent/validate-rejects-plan-accepts', detail: 'validate found errors, but plan planned every host' });
  }
  return { fuzzCase, validate, plan, violations };
}
