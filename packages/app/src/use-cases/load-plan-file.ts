import fs from 'node:fs';
import { checkSavedPlan, savedPlanHint } from '@tcpmem/plan';
import { checkSource, formatProblem, type Plan, type Problem } from '@tcpmem/schema';
import { ExitCode } from '../errors/exit-codes';
import { TcpmemError, userError } from '../errors/errors';

/**
 * Reads a saved plan (`tcpmem plan --out FILE`) through both gates, or says that the path is not one: the schema
 * (`readPlanFile`), then whether it holds only what `tcpmem plan` writes (`checkSavedPlan`: every value checked
 * as the planner checks one, the observation and the changes consistent). What `apply` takes; nothing is
 * contacted before it returns. A plan that fails the second gate is TCPMEM_UNSAFE_PLAN (exit 1), every problem
 * named with its host and JSON pointer.
 */
export function loadPlanFile(file: string): Plan | undefined {
  const plan = readPlanFile(file);
  if (plan === undefined) return undefined;
  const problems = checkSavedPlan(plan, file);
  if (problems.length > 0) throw unsafePlanError(file, problems);
  return plan;
}

/**
 * Reads a saved plan through the schema gate, or says that the path is not one: `undefined` for anything but a
 * JSON document of `kind: plan` (a config file or folder). A file that says it is a plan and does not validate
 * is an error (exit 1), with every problem located.
 */
export function readPlanFile(file: string): Plan | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined; // the config loader reports a missing path
  }
  if (!stat.isFile() || !file.endsWith('.json')) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  let kind: unknown;
  try {
    kind = (JSON.parse(text) as { kind?: unknown }).kind;
  } catch {
    return undefined; // not JSON: the config loader reports it with a position
  }
  if (kind !== 'plan') return undefined;
  const checked = checkSource(file, text);
  if (!checked.ok) {
    throw userError('TCPMEM_INVALID_PLAN', `${file} is not a valid plan:\n${checked.problems.map(formatProblem).join('\n')}`, 'Make the plan again with `tcpmem plan CONFIG --out FILE`; do not edit a saved plan.');
  }
  if (checked.value.kind !== 'plan') return undefined; // unreachable: the text said `kind: plan`
  return checked.value;
}

/** How many of an unsafe plan's problems the message lists (--json carries every one). */
const problemsShown = 10;

/** TCPMEM_UNSAFE_PLAN: the first problem on the error's own line, the next ones below it. */
function unsafePlanError(file: string, problems: readonly Problem[]): TcpmemError {
  const line = (p: Problem): string => `${p.message} (at ${p.path ?? '/'}${p.code === 'TCPMEM_UNSAFE_PLAN' ? '' : `, ${p.code}`})`;
  const more = problems.length > problemsShown ? [`… and ${problems.length - problemsShown} more (--json lists each)`] : [];
  const lines = [...problems.slice(0, problemsShown).map(line), ...more];
  const message = `refusing ${file}, before contacting any host: ${lines.join('\n    ')}`;
  return new TcpmemError('TCPMEM_UNSAFE_PLAN', message, savedPlanHint, ExitCode.invalidInput, problems);
}
