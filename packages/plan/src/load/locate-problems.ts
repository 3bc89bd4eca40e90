import type { Problem, SourceDocument } from '@tcpmem/schema';

/**
 * Adds line and column to problems that name a file and a JSON pointer, from the parsed files. Hosts that share
 * a problem (one group's bad value) share its object; pass one `located` map for all of them to locate it once.
 */
export function locateProblems(problems: readonly Problem[], documents: ReadonlyMap<string, SourceDocument>, located = new Map<Problem, Problem>()): Problem[] {
  return problems.map((p) => {
    if (p.line !== undefined || p.file === undefined || p.path === undefined) return p;
    let result = located.get(p);
    if (result === undefined) {
      const position = documents.get(p.file)?.locate(p.path, { key: true });
      result = position === undefined ? p : { ...p, line: position.line, column: position.column };
      located.set(p, result);
    }
    return result;
  });
}
