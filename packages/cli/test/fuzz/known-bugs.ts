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

export const knownBugs: readonly KnownBug[] = [
  {
    id: 'file-level problems have no line or column',
    regression: 'file-problems-are-located.json',
    matches: (v) => unlocated(v, 'TCPMEM_FILE_UNREADABLE') || unlocated(v, 'TCPMEM_FILE_TOO_LARGE'),
  },
  {
    id: 'TCPMEM_NO_FLEET has no line or column',
    regression: 'folder-without-fleet-names-a-place.json',
    matches: (v) => unlocated(v, 'TCPMEM_NO_FLEET'),
  },
  {
    id: 'errors of toJS (alias count, unresolved alias) have no hint',
    regression: 'alias-bomb-is-a-located-hinted-error.json',
    matches: (v) => v.rule === 'unlocated' && v.signature.endsWith('/TCPMEM_SYNTAX/hint') && /Excessive alias count|Unresolved alias/.test(v.detail),
  },
  {
    id: 'deeply nested YAML overflows the stack',
    regression: 'deep-block-sequence-is-a-syntax-error.json',
    matches: (v) => v.rule === 'crash' && v.signature.includes('RangeError at packages/schema/node_modules/yaml/'),
  },
  {
    id: 'problems from built-in presets point at a file named (built-in)',
    regression: 'builtin-preset-problems-point-at-the-config.json',
    matches: (v) => v.rule === 'unlocated' && v.detail.includes('"file":"(built-in)"'),
  },
  {
    id: 'plan --json drops the located problems of an invalid config',
    regression: 'plan-json-carries-the-problems.json',
    matches: (v) => v.signature === 'binary plan --json/unlocated/TCPMEM_INVALID_CONFIG without problems',
  },
];

/**
 * An error with this code lacks its line and column: in-process (`plan/unlocated/CODE/line+column`), on the
 * binary's stderr (`binary plan/unlocated/CODE`), or as the only error of an exit 1 (`…/no located error`).
 */
function unlocated(v: Violation, code: string): boolean {
  if (v.rule !== 'unlocated') return false;
  if (new RegExp(`/unlocated/${code}/(file\\+)?line\\+column$`).test(v.signature) || v.signature.endsWith(`/unlocated/${code}`)) return true;
  return v.signature.endsWith('/unlocated/no located error') && v.detail.includes(code);
}

export function knownBugOf(violation: Violation): KnownBug | undefined {
  return knownBugs.find((bug) => bug.matches(violation));
}
