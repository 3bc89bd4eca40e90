#!/usr/bin/env node
// Regenerates packages/schema/src/generated/ from schemas/tcpmem.schema.json: the TypeScript types (one per
// `$defs` entry, named by its `title`) and the schema itself as a module, so no package reads the schema file
// at run time. `--check` fails instead of writing when the committed files are stale (run by the tests and CI).
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

async function render() {
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const types = await compile(structuredClone(schema), 'TcpmemDocument', {
    bannerComment: banner.trim(),
    unreachableDefinitions: true,
    additionalProperties: false,
    strictIndexSignatures: true,
    format: true,
    cwd: path.dirname(schemaFile),
  });
  const module = `${banner}export const tcpmemSchema = ${JSON.stringify(schema, null, 2)} as const;\n`;
  return { 'types.ts': types, 'schema.ts': module, 'validators.ts': validators(schema) };
}

/**
 * Every validator compiled ahead of time (ajv standalone code): the root document and each `$defs` entry, with
 * the same options as src/validator.ts, so no command pays for compiling the schema when it starts.
 */
function validators(schema) {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, code: { source: true, lines: false, formats: _`require("ajv-formats/dist/formats").fullFormats` } });
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
