import type { ErrorObject, ValidateFunction } from 'ajv';
import { tcpmemSchema } from './generated/schema';
import type { Fleet, FactsDocument, Hardware, HardwareDocument, TcpmemDocument } from './generated/types';

/**
 * The validators of tcpmem: one per document and `$defs` entry of schemas/tcpmem.schema.json, compiled ahead of
 * time by scripts/generate.js from the one ajv configuration (2020-12, strict mode, every error reported, formats
 * checked) into src/generated/validators.ts, so no command pays for compiling the schema when it starts.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiled = require('./generated/validators') as Readonly<Record<string, ValidateFunction | undefined>>;

/** The names of the schema's `$defs`. */
export type DefinitionName = keyof typeof tcpmemSchema.$defs;

function validatorFor(name: string): ValidateFunction {
  const validate = compiled[name];
  if (validate === undefined) throw new Error(`the schema has no ${name}: run \`npm run generate\``);
  return validate;
}

/** A validation result: the typed value, or ajv's errors. */
export type SchemaResult<T> = { ok: true; value: T } | { ok: false; errors: ErrorObject[] };

function check<T>(name: string, value: unknown): SchemaResult<T> {
  const validate = validatorFor(name);
  if (validate(value)) return { ok: true, value: value as T };
  return { ok: false, errors: [...(validate.errors ?? [])] };
}

/** Validates any tcpmem document (the schema's root, dispatching on `kind`). */
export function validateDocument(value: unknown): SchemaResult<TcpmemDocument> {
  return check<TcpmemDocument>('TcpmemDocument', value);
}

/** Validates a value against one `$defs` entry, e.g. `validateDefinition('Hardware', x)`. */
export function validateDefinition<T = unknown>(name: DefinitionName, value: unknown): SchemaResult<T> {
  return check<T>(name, value);
}

/** Type guards over the compiled validators, for values that are already trusted to be close. */
export const isFleet = (value: unknown): value is Fleet => validatorFor('Fleet')(value);
export const isHardware = (value: unknown): value is Hardware => validatorFor('Hardware')(value);
export const isHardwareDocument = (value: unknown): value is HardwareDocument => validatorFor('HardwareDocument')(value);
export const isFactsDocument = (value: unknown): value is FactsDocument => validatorFor('Facts')(value);
