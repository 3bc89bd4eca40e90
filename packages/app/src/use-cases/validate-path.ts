import { ConfigPathError, validateConfig } from '@tcpmem/plan';
import { hasErrors, sortProblems, type ValidationReport } from '@tcpmem/schema';
import { userError } from '../errors/errors';

/**
 * `tcpmem validate`: checks a file, or every config file below a folder, against the schema and the kernel's
 * rules, and reports every problem in one run, sorted and located. A path that does not exist is TCPMEM_PATH.
 */
export function validatePath(target: string): ValidationReport {
  try {
    const result = validateConfig(target);
    return { valid: !hasErrors(result.problems), files: result.files, problems: sortProblems(result.problems) };
  } catch (error) {
    if (error instanceof ConfigPathError) throw userError('TCPMEM_PATH', error.message, error.hint);
    throw error;
  }
}
