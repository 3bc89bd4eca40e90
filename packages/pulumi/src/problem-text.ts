import type { Problem } from '@tcpmem/schema';
import { toPropertyPath } from './property-path';

/** A `check` failure as Pulumi's dynamic providers return it. */
export interface PropertyFailure {
  readonly property: string;
  readonly reason: string;
}

/** One problem as a sentence: `CODE: message. hint` (the property path is said separately). */
export function problemReason(p: Problem): string {
  const hint = p.hint === undefined ? '' : ` ${p.hint}`;
  return `${p.code}: ${p.message}.${hint}`.replace(/\.\./g, '.');
}

/** Problems as `check` failures: the errors only, each at its input's property path (warnings are not failures). */
export function toCheckFailures(problems: readonly Problem[]): PropertyFailure[] {
  return problems.filter((p) => p.severity === 'error').map((p) => ({ property: toPropertyPath(p.path ?? ''), reason: problemReason(p) }));
}

/** Problems as the lines of an error message: `  - sysctls["net.ipv4.tcp_rmem"]: CODE: message. hint`. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `  - ${toPropertyPath(p.path ?? '') || '(inputs)'}: ${problemReason(p)}`).join('\n');
}

/** Warnings as sentences for the `warnings` output. */
export function warningTexts(problems: readonly Problem[]): string[] {
  return problems.filter((p) => p.severity === 'warning').map((p) => `${toPropertyPath(p.path ?? '') || '(inputs)'}: ${problemReason(p)}`);
}
