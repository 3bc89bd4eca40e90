import type { Problem, SourceDocument } from '@tcpmem/schema';

/** Adds line and column to problems that name a file and a JSON pointer, from the parsed files. */
export function locateProblems(problems: readonly Problem[], documents: ReadonlyMap<string, SourceDocument>): Problem[] {
  return problems.map((p) => {
    if (p.line !== undefined || p.file === undefined || p.path === undefined) return p;
    const position = documents.get(p.file)?.locate(p.path, { key: true });
    return position === undefined ? p : { ...p, line: position.line, column: position.column };
  });
}
