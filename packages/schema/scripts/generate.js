#!/usr/bin/env node
// Regenerates packages/schema/src/generated/ from schemas/tcpmem.schema.json: the TypeScript types (one per
// `$defs` entry, named by its `title`, and `TcpmemDocument`, the union of the documents keyed by `kind`), the
// schema itself as a module, so no package reads the schema file at run time, the validators compiled ahead of
// time, and over them a type guard per document kind and the type of each definition. `--check` fails instead
// of writing when the committed files are stale (run by the tests and CI).
const fs = require('node:fs');
const path = require('node:path');
const { compile } = require('json-schema-to-typescript');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const standaloneCode = require('ajv/dist/standalone').default;
const { _ } = require('ajv/dist/compile/codegen');

const root = path.resolve(__dirname, '../../..');
const schemaFile = path.join(root, 'schemas/tcpmem.schema.json');
const outDir = path.resolve(__dirname, '../src/generated');
const banner = '/* Generated from schemas/tcpmem.schema.json by packages/schema/scripts/generate.js. Do not edit. */\n';

/** The options of the one ajv configuration; src/validator.ts runs the code compiled with them. */
const ajvOptions = { strict: true, allErrors: true, allowUnionTypes: true, discriminator: true };

/** The name of the empty root interface `typeSchema` adds, and its text in json-schema-to-typescript's output. */
const typesRoot = 'TcpmemSchema';
const typesRootText = `export interface ${typesRoot} {}\n`;

async function render() {
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const kinds = documentKinds(schema);
  const withRoot = await compile(typeSchema(schema), typesRoot, {
    bannerComment: banner.trim(),
    unreachableDefinitions: true,
    additionalProperties: false,
    strictIndexSignatures: true,
    format: true,
    cwd: path.dirname(schemaFile),
  });
  if (!withRoot.includes(typesRootText)) throw new Error(`json-schema-to-typescript no longer writes ${JSON.stringify(typesRootText)}: update typeSchema`);
  const types = withRoot.replace(typesRootText, '');
  const module = `${banner}export const tcpmemSchema = ${JSON.stringify(schema, null, 2)} as const;\n`;
  return { 'types.ts': types, 'schema.ts': module, 'validators.ts': validators(schema), 'guards.ts': guards(schema, kinds) };
}

/**
 * The document kinds: the root's `oneOf` picked by `discriminator` on `kind`, each a `$ref` to a `$defs` entry
 * whose `kind` is a `const`. The root also lists the kinds in `properties.kind.enum` (so a missing or unknown
 * kind is one clear error); the two lists must agree.
 */
function documentKinds(schema) {
  if (schema.discriminator?.propertyName !== 'kind' || !Array.isArray(schema.oneOf)) {
    throw new Error('the schema\'s root must pick the document with `discriminator: {propertyName: kind}` over a `oneOf`');
  }
  const kinds = schema.oneOf.map((branch) => {
    const name = String(branch.$ref).replace('#/$defs/', '');
    const def = schema.$defs[name];
    const kind = def?.properties?.kind?.const;
    if (typeof kind !== 'string' || !def.required?.includes('kind')) throw new Error(`the root's oneOf must name $defs with a required \`kind\` const; ${branch.$ref} has none`);
    return { kind, name, title: def.title ?? name };
  });
  const listed = schema.properties?.kind?.enum ?? [];
  if (JSON.stringify(listed) !== JSON.stringify(kinds.map((k) => k.kind))) {
    throw new Error(`the root's properties.kind.enum (${listed.join(', ')}) must list the kinds of its oneOf in order (${kinds.map((k) => k.kind).join(', ')})`);
  }
  return kinds;
}

/**
 * The schema as json-schema-to-typescript reads it: the root's `oneOf` alone becomes `TcpmemDocument`, the union
 * of the document types (each with its `kind` literal; the root's own `kind` checks are for ajv's errors). The
 * tool emits definitions nothing references (`ValidationReport`) only below an object root, so the root given to
 * it is an empty object, which `render` drops from the output.
 */
function typeSchema(schema) {
  const { $schema, $id, title, description, oneOf, $defs } = structuredClone(schema);
  return { $schema, $id, title: typesRoot, type: 'object', additionalProperties: false, properties: {}, $defs: refsAlone({ [title]: { title, description, oneOf }, ...$defs }) };
}

/**
 * A `$ref` with a `description` (or `default`) beside it makes json-schema-to-typescript declare a copy of the
 * referenced type (`SshConnection1`, …); wrapped in `allOf` the reference names the one type, and the
 * description stays on the property.
 */
function refsAlone(node) {
  if (Array.isArray(node)) return node.map(refsAlone);
  if (node === null || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, refsAlone(value)]));
  if (typeof out.$ref !== 'string' || Object.keys(out).length === 1) return out;
  const { $ref, ...rest } = out;
  return { ...rest, allOf: [{ $ref }] };
}

/**
 * Type guards over the compiled validators: one per document kind, and `validateDefinition`'s map from each
 * `$defs` name to its type, so a validated value is typed without a cast.
 */
function guards(schema, kinds) {
  const names = Object.keys(schema.$defs);
  const title = (name) => schema.$defs[name].title ?? name;
  const quote = (text) => `'${text}'`;
  const imported = [...new Set(['TcpmemDocument', ...names.map(title)])].sort();
  const lines = [
    banner.trimEnd(),
    `import type { ${imported.join(', ')} } from './types';`,
    "import { validatorFor } from '../validator';",
    '',
    '/** The kinds of document, each with the `$defs` entry that defines it (the schema\'s root picks it by `kind`). */',
    'export const documentDefinitions = {',
    ...kinds.map((k) => `  ${quote(k.kind)}: ${quote(k.name)},`),
    '} as const;',
    '',
    '/** The `kind` of a document. */',
    "export type DocumentKind = TcpmemDocument['kind'];",
    '',
    '/** The document of one kind, e.g. `DocumentOfKind<\'plan\'>` is `Plan`. */',
    'export type DocumentOfKind<K extends DocumentKind> = Extract<TcpmemDocument, { kind: K }>;',
    '',
    '/** The type of each `$defs` entry, by its name in the schema. */',
    'export interface DefinitionTypes {',
    ...names.map((name) => `  ${name}: ${title(name)};`),
    '}',
    '',
    '/** Any tcpmem document, validated against the definition its `kind` picks. */',
    "export const isTcpmemDocument = (value: unknown): value is TcpmemDocument => validatorFor('TcpmemDocument')(value);",
    ...kinds.flatMap((k) => [
      '',
      `/** A \`kind: ${k.kind}\` document, valid against \`$defs/${k.name}\`. */`,
      `export const is${k.title} = (value: unknown): value is ${k.title} => validatorFor(${quote(k.name)})(value);`,
    ]),
    '',
  ];
  return lines.join('\n');
}

/**
 * Every validator compiled ahead of time (ajv standalone code): the root document and each `$defs` entry, with
 * the same options as src/validator.ts, so no command pays for compiling the schema when it starts.
 */
function validators(schema) {
  const ajv = new Ajv2020({ ...ajvOptions, code: { source: true, lines: false, formats: _`require("ajv-formats/dist/formats").fullFormats` } });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'tsType', schemaType: 'string' });
  ajv.addSchema(schema);
  const refs = { TcpmemDocument: schema.$id };
  for (const name of Object.keys(schema.$defs)) refs[name] = `${schema.$id}#/$defs/${name}`;
  return `${banner}// @ts-nocheck\n${standaloneCode(ajv, refs)}\n`;
}

async function main() {
  const check = process.argv.includes('--check');
  const files = await render();
  let stale = [];
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(outDir, name);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current === text) continue;
    if (check) stale.push(path.relative(root, file));
    else fs.writeFileSync(file, text);
  }
  if (stale.length > 0) {
    console.error(`Generated files are stale: ${stale.join(', ')}. Run \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(70);
});
