import type { Plan, Problem } from '@tcpmem/schema';
import { ExitCode, type ExitCodeValue } from './exit-codes';

/** An error the CLI shows as it is: a stable code, what is wrong, what to do, and the exit code. */
export class TcpmemError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly exitCode: ExitCodeValue,
    /** The located problems behind the error (a config with errors), printed with it; with --json, in the document. */
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'TcpmemError';
  }
}

/** The user's mistake: a path that does not exist, flags that contradict each other. */
export const userError = (code: string, message: string, hint: string): TcpmemError =>
  new TcpmemError(code, message, hint, ExitCode.invalidInput);

/** A flag or argument that is wrong. */
export const usageError = (message: string, hint: string): TcpmemError =>
  new TcpmemError('TCPMEM_USAGE', message, hint, ExitCode.usage);

/** An outside system failed. */
export const externalError = (code: string, message: string, hint: string): TcpmemError =>
  new TcpmemError(code, message, hint, ExitCode.external);

/** The warnings of a plan: those of its config and each host's, a warning several hosts share once. */
export function planWarnings(plan: Plan): Problem[] {
  const seen = new Map<string, Problem>();
  // Hosts planned alike share their problem objects: key each object once.
  const keyed = new Set<Problem>();
  for (const p of [...(plan.problems ?? []), ...plan.hosts.flatMap((h) => h.problems)]) {
    if (p.severity !== 'warning' || keyed.has(p)) continue;
    keyed.add(p);
    seen.set(JSON.stringify([p.code, p.file, p.line, p.column, p.path, p.message, p.hint]), p);
  }
  return [...seen.values()];
}

/**
 * `--strict` refuses what has warnings (tcpmem's advice among them): TCPMEM_STRICT, exit code 5. `problems`: the
 * warnings, for --json and for a person who has not seen them yet.
 */
export const strictError = (message: string, problems: readonly Problem[] = []): TcpmemError =>
  new TcpmemError('TCPMEM_STRICT', message, 'Fix what the warnings say (each names the file and place), or run without --strict to accept them.', ExitCode.warnings, problems);
