import type { Problem } from './generated/types';
import { printable } from './printable';

/** Optional parts of a problem. */
export type ProblemDetails = Omit<Problem, 'code' | 'message' | 'severity'> & { severity?: Problem['severity'] };

/** Makes an error-severity problem (pass `severity: 'warning'` for a warning). */
export function problem(code: string, message: string, details: ProblemDetails = {}): Problem {
  const { severity = 'error', ...rest } = details;
  return { code, severity, message, ...rest };
}

/** True when a list holds at least one error (warnings alone do not fail a run). */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/**
 * Renders one problem the way compilers do: `file:line:column: error CODE: message` and an indented hint, for a
 * person. Its file, message, place and hint may quote what a file or a host said (a key, a kernel release, a file
 * name): each is `printable`, so a problem is exactly these two lines and drives no terminal. `--json` keeps the
 * problem as it is.
 */
export function formatProblem(p: Problem): string {
  const where = p.file === undefined ? '' : `${printable(p.file)}${p.line === undefined ? '' : `:${p.line}:${p.column ?? 1}`}: `;
  const at = p.path !== undefined && p.path !== '' ? ` (at ${printable(p.path)})` : '';
  const hint = p.hint === undefined ? '' : `\n    hint: ${printable(p.hint)}`;
  return `${where}${p.severity} ${p.code}: ${printable(p.message)}${at}${hint}`;
}

/** Orders problems by file, line, column, then code, so output is stable. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}
