import type { Problem, TcpmemDocument } from './generated/types';
import { documentDefinitions } from './generated/guards';
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
  return checkParsed(parsed.document);
}

/** Validates a parsed document against the schema (the definition its `kind` picks), every problem located. */
export function checkParsed(document: SourceDocument): SourceCheck {
  const result = validateDocument(document.value);
  if (!result.ok) return { ok: false, document, problems: schemaProblems(result.errors, document) };
  return { ok: true, document, value: result.value };
}

/**
 * Why a parsed value is not a tcpmem document at all — not a mapping, no `kind`, or a `kind` tcpmem does not
 * have (a package.json, a Kubernetes manifest, a Pulumi.yaml) — or undefined when it says it is one (whether it
 * is a valid one is the schema's business). A folder walk skips such files; a file named on its own is checked.
 */
export function foreignShape(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `it is ${Array.isArray(value) ? 'a list' : value === null ? 'empty' : `a ${typeof value}`}, not a mapping`;
  const kind = (value as { kind?: unknown }).kind;
  if (kind === undefined) return 'it has no `kind`';
  if (typeof kind !== 'string' || !Object.hasOwn(documentDefinitions, kind)) return `its kind ${JSON.stringify(kind)} is none of tcpmem's: ${Object.keys(documentDefinitions).join(', ')}`;
  return undefined;
}
