import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { tcpmemSchema } from './generated/schema';
import type { Fleet, FactsDocument, Hardware, HardwareDocument, TcpmemDocument } from './generated/types';

/**
 * The one ajv instance of tcpmem: strict mode, every error reported, formats checked. Every document and every
 * `$defs` entry of schemas/tcpmem.schema.json is validated through it.
 */
const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, verbose: false });
addFormats(ajv);
// `tsType` is an annotation for the type generator (json-schema-to-typescript), not a validation keyword.
ajv.addKeyword({ keyword: 'tsType', schemaType: 'string' });
ajv.addSchema(tcpmemSchema);

const schemaId = tcpmemSchema.$id;

/** The names of the schema's `$defs`. */
export type DefinitionName = keyof typeof tcpmemSchema.$defs;

const compiled = new Map<string, ValidateFunction>();

function validatorFor(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (validate === undefined) {
    validate = ajv.getSchema(ref);
    if (validate === undefined) throw new Error(`schema has no ${ref}`);
    compiled.set(ref, validate);
  }
  return validate;
}

/** A validation result: the typed value, or ajv's errors. */
export type SchemaResult<T> = { ok: true; value: T } | { ok: false; errors: ErrorObject[] };

function check<T>(ref: string, value: unknown): SchemaResult<T> {
  const validate = validatorFor(ref);
  if (validate(value)) return { ok: true, value: value as T };
  return { ok: false, errors: [...(validate.errors ?? [])] };
}

/** Validates any tcpmem document (the schema's root, dispatching on `kind`). */
export function validateDocument(value: unknown): SchemaResult<TcpmemDocument> {
  return check<TcpmemDocument>(schemaId, value);
}

/** Validates a value against one `$defs` entry, e.g. `validateDefinition('Hardware', x)`. */
export function validateDefinition<T = unknown>(name: DefinitionName, value: unknown): SchemaResult<T> {
  return check<T>(`${schemaId}#/$defs/${name}`, value);
}

/** Type guards over the compiled validators, for values that are already trusted to be close. */
export const isFleet = (value: unknown): value is Fleet => validatorFor(`${schemaId}#/$defs/Fleet`)(value);
export const isHardware = (value: unknown): value is Hardware =>
  validatorFor(`${schemaId}#/$defs/Hardware`)(value);
export const isHardwareDocument = (value: unknown): value is HardwareDocument =>
  validatorFor(`${schemaId}#/$defs/HardwareDocument`)(value);
export const isFactsDocument = (value: unknown): value is FactsDocument =>
  validatorFor(`${schemaId}#/$defs/Facts`)(value);
