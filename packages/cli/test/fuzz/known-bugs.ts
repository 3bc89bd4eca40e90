import type { Violation } from './oracle';

/**
 * Bugs the bad-input test found that are not fixed yet. Each has a saved case in regressions/ that runs as
 * `it.failing` (so the suite notices the day it is fixed), and a matcher so that the thousands of generated
 * cases it also breaks are counted here instead of failing the run again and again. When a bug is fixed: set
 * its regression to `"status": "fixed"` and delete its entry here.
 */
export interface KnownBug {
  readonly id: string;
  /** The regressions/*.json file that reproduces it. */
  readonly regression: string;
  readonly matches: (violation: Violation) => boolean;
}

// Fixed so far (regressions/ keeps each case): file-level problems without a line, TCPMEM_NO_FLEET without a line,
// toJS errors without a hint, stack overflow on deep YAML, problems located in '(built-in)', plan --json without
// the problems, FIFOs read forever, the quadratic kernel-release pattern, O(RAM) sections (bf59f32); a recursive
// alias overflowing the schema validator (fa3524d); only-raise keeping a discovered value the kernel cannot hold, and
// output cut at exit when piped, quadratic repeated-key checks and locate in big YAML mappings (all in the fleet-scale session).
export const knownBugs: readonly KnownBug[] = [];

/**
 * An error with this code lacks its line and column: in-process (`plan/unlocated/CODE/line+column`), on the
 * binary's stderr (`binary plan/unlocated/CODE`), or as the only error of an exit 1 (`…/no located error`).
 */
export function unlocated(v: Violation, code: string): boolean {
  if (v.rule !== 'unlocated') return false;
  if (new RegExp(`/unlocated/${code}/(file\\+)?line\\+column$`).test(v.signature) || v.signature.endsWith(`/unlocated/${code}`)) return true;
  return v.signature.endsWith('/unlocated/no located error') && v.detail.includes(code);
}

export function knownBugOf(violation: Violation): KnownBug | undefined {
  return knownBugs.find((bug) => bug.matches(violation));
}
