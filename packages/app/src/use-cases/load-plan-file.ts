import fs from 'node:fs';
import { checkSource, formatProblem, type Plan } from '@tcpmem/schema';
import { userError } from '../errors/errors';

/**
 * Reads a saved plan (`tcpmem plan --out FILE`) through the schema gate, or says that the path is not one:
 * `undefined` for anything but a JSON document of `kind: plan` (a config file or folder). A file that says it is
 * a plan and does not validate is an error (exit 1), with every problem located.
 */
export function loadPlanFile(file: string): Plan | undefined {
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
