import type { Problem } from '@tcpmem/schema';
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
