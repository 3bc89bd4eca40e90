import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DefinitionTypes } from './generated/guards';
import type { Hardware, TcpmemDocument } from './generated/types';

/**
 * The validators of tcpmem: one per document and `$defs` entry of schemas/tcpmem.schema.json, compiled ahead of
 * time by scripts/generate.js from the one ajv configuration (2020-12, strict mode, every error reported, formats
 * checked, the document picked by its `kind`) into src/generated/validators.ts, so no command pays for compiling
 * the schema when it starts. src/generated/guards.ts holds a type guard per document kind over them.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiled = require('./generated/validators') as Readonly<Record<string, ValidateFunction | undefined>>;

/** The names of the schema's `$defs`. */
export type DefinitionName = keyof DefinitionTypes;

/** The compiled validator of the root document (`TcpmemDocument`) or of a `$defs` entry. */
export function validatorFor(name: DefinitionName | 'TcpmemDocument'): ValidateFunction {
  const validate = compiled[name];
  if (validate === undefined) throw new Error(`the schema has no ${name}: run \`npm run generate\``);
  return validate;
}

/** One error of ajv's, as validation results carry them (schemaProblems turns them into problems). */
export type SchemaError = ErrorObject;

/** A validation result: the typed value, or ajv's errors. */
export type SchemaResult<T> = { ok: true; value: T } | { ok: false; errors: SchemaError[] };

function check<T>(validate: (value: unknown) => value is T, errors: () => ErrorObject[] | null | undefined, value: unknown): SchemaResult<T> {
  if (validate(value)) return { ok: true, value };
  return { ok: false, errors: [...(errors() ?? [])] };
}

/**
 * Validates any tcpmem document: the schema's root picks the definition by `kind` and validates against that
 * one alone. The value is the union of the documents, so `value.kind === 'plan'` narrows it to a `Plan`.
 */
export function validateDocument(value: unknown): SchemaResult<TcpmemDocument> {
  const validate = validatorFor('TcpmemDocument');
  return check((v): v is TcpmemDocument => validate(v), () => validate.errors, value);
}

/** Validates a value against one `$defs` entry, e.g. `validateDefinition('Hardware', x)`, typed by that entry. */
export function validateDefinition<N extends DefinitionName>(name: N, value: unknown): SchemaResult<DefinitionTypes[N]> {
  const validate = validatorFor(name);
  return check((v): v is DefinitionTypes[N] => validate(v), () => validate.errors, value);
}

/** A type guard over the compiled `Hardware` validator (the guards of the documents are in generated/guards.ts). */
export const isHardware = (value: unknown): value is Hardware => validatorFor('Hardware')(value);
