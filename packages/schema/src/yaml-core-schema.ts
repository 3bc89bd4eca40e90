import { FAILSAFE_SCHEMA, Type } from 'js-yaml';

// The YAML 1.2 core schema exactly as the `yaml` library (2.x, yaml/dist/schema/core/) resolves scalars, for
// js-yaml. js-yaml's own CORE_SCHEMA reads otherwise — `0b101` as 5, `-0x1` as -1, `!!float 5` as 5, `+.5` and
// `1e400` as strings — so a file would mean one thing on the fast path and another when it is read again to
// locate a problem. Each pattern below is the `test` of the `yaml` tag named beside it, and each value is built as
// that tag's `resolve` builds it.

const nullForms = /^(?:~|[Nn]ull|NULL)?$/; // nullTag
const boolForms = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/; // boolTag
const octal = /^0o[0-7]+$/; // intOct
const decimal = /^[-+]?[0-9]+$/; // int
const hexadecimal = /^0x[0-9a-fA-F]+$/; // intHex
const nanOrInfinity = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/; // floatNaN
const exponent = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/; // floatExp
const fraction = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/; // float

const isString = (data: unknown): data is string => typeof data === 'string';

// Most plain scalars are words: a look at the first character spares them the patterns.
const mayBeNumber = (data: string): boolean => /^[-+.0-9]/.test(data);

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: unknown) => data === null || (isString(data) && nullForms.test(data)),
  construct: () => null,
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) => isString(data) && boolForms.test(data),
  construct: (data: string) => data.startsWith('t') || data.startsWith('T'),
});

// Integers are numbers (not BigInts) and may round, or be Infinity past 1.8e308, as `yaml` reads them.
const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => isString(data) && mayBeNumber(data) && (decimal.test(data) || octal.test(data) || hexadecimal.test(data)),
  construct: (data: string) => (octal.test(data) ? parseInt(data.slice(2), 8) : hexadecimal.test(data) ? parseInt(data.slice(2), 16) : parseInt(data, 10)),
});

const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: unknown) => isString(data) && mayBeNumber(data) && (nanOrInfinity.test(data) || exponent.test(data) || fraction.test(data)),
  construct: (data: string) => {
    if (!nanOrInfinity.test(data)) return parseFloat(data);
    if (data.slice(-3).toLowerCase() === 'nan') return NaN;
    return data.startsWith('-') ? -Infinity : Infinity;
  },
});

/** js-yaml schema that reads plain scalars as the `yaml` library's YAML 1.2 core schema does, and nothing more. */
export const yamlCoreSchema = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });
