import type { Problem, TcpmemDocument } from './generated/types';
import { schemaProblems } from './ajv-problems';
import { parseSource, type SourceDocument } from './source-document';
import { validateDocument } from './validator';

/**
 * The result of reading one source file through the schema gate. `value` is the union of the documents keyed by
 * `kind`: test `value.kind` to get the one document type, no cast needed.
 */
export type SourceCheck =
  | { ok: true; document: SourceDocument; value: TcpmemDocument }
  | { ok: false; document?: SourceDocument; problems: Problem[] };

/**
 * Parses one file's text and validates it against the schema (the definition its `kind` picks); every problem is
 * located in that file.
 */
export function checkSource(file: string, text: string): SourceCheck {
  const parsed = parseSource(file, text);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const { document } = parsed;
  const result = validateDocument(document.value);
  if (!result.ok) return { ok: false, document, problems: schemaProblems(result.errors, document) };
  return { ok: true, document, value: result.value };
}
