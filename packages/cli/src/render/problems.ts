import { formatProblem, type Problem } from '@tcpmem/schema';
import type { Style } from './style';

/** Renders problems for a person: one block each, errors in red, warnings in yellow, and a count. */
export function renderProblems(problems: readonly Problem[], style: Style): string {
  const lines = problems.map((p) => {
    const text = formatProblem(p);
    return p.severity === 'error' ? text.replace(/ error /, ` ${style.red('error')} `) : text.replace(/ warning /, ` ${style.yellow('warning')} `);
  });
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n');
}
