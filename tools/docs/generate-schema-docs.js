#!/usr/bin/env node
// Renders docs/config-reference.md and docs/plan-format.md from schemas/tcpmem.schema.json, so the pages cannot
// drift from the schema: every `$defs` entry gets a section (field table or list of forms), placed by the page
// layout below; definitions the layout does not name are placed on the page whose documents use them. The prose
// that the schema cannot carry (how settings layer, what plan actions mean) is kept here as text. Examples shown
// on the pages are validated against the schema at generation time, and the example fleet is read from
// examples/. `--check` fails instead of writing when a committed page is stale (run by
// packages/schema/test/docs.test.ts).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
// The schema package's own ajv 8 and yaml 2: the copies hoisted to the root node_modules are older majors.
const fromSchemaPackage = (id) => require(require.resolve(id, { paths: [path.join(root, 'packages/schema')] }));
const YAML = fromSchemaPackage('yaml');
const Ajv2020 = fromSchemaPackage('ajv/dist/2020').default;
const schemaFile = 'schemas/tcpmem.schema.json';
const exampleFleet = 'examples/mixed-fleet/fleet.yaml';
const generator = path.relative(root, __filename);

// ---------------------------------------------------------------------------------------------------------------
// Hand-written text

const configIntro = `A tcpmem config repo is a folder of YAML (or JSON) files. Operators write **fleet files**
(\`kind: fleet\`): hosts, the groups they are in, presets of sysctls and the fleet's defaults. \`tcpmem discover\`
writes **facts files** (\`kind: facts\`) with what it read from a host; **hardware files** (\`kind: hardware\`)
describe a machine for \`tcpmem model\`. \`tcpmem validate PATH\` runs the checks \`tcpmem plan --offline\` runs — the
schema, the fleet (includes, groups, presets, duplicates) and every host's values on its kernel — without contacting
any host, and reports each problem with its file, line and column ([errors](errors.md)).

## How a host's settings are layered

A host's settings are built from three levels; a later level wins over an earlier one:

1. the fleet's \`defaults\`;
2. each group the host lists in \`groups\`, **in the host's order** (with \`groups: [a, b]\`, \`b\` wins over \`a\`);
3. the host itself.

Within one level, the presets it names (in the order of its \`presets\` list) come first, then the level's own
\`sysctls\`. So a group's own sysctls win over its presets, and a host's presets win over its groups' sysctls.
Presets are defined under the fleet's \`presets\`; names that start with \`tcpmem:\` are presets that ship with
tcpmem.

How a later level combines with what the earlier ones set depends on the setting:

| setting | a later level that sets it… |
|---|---|
| \`ssh\` | merges field by field: a host that sets only \`port\` keeps the \`user\` of its group |
| \`hardware\` | merges field by field, except that setting \`memory\` or \`nodes\` replaces both |
| a sysctl in object form (\`{ max: 16MiB }\`) | merges field by field into an earlier object form; over an earlier array or string it replaces the whole value, and the fields it does not name are the kernel default |
| a sysctl as an array, a string or an integer (\`[4096, 131072, 16MiB]\`, \`2x\`, \`default\`) | replaces the whole value |
| \`workload\` | replaces the whole workload |

A \`workload\` makes tcpmem derive \`tcp_rmem\`, \`tcp_wmem\` and \`tcp_mem\` for the host from the flows' targets.
A sysctl set explicitly, at any level, wins over the value a workload derives for it. When it is set at a broader
level than the workload (in \`defaults\` for a group's workload, or in a group the host lists before the workload's)
to a value other than the one the workload derives, \`plan\` warns at the workload (TCPMEM_WORKLOAD_OVERRIDDEN),
naming the setting and both values; a setting at the workload's own level or a narrower one is taken as meant.

## Includes

\`include\` lists files or folders, **relative to the file that names them**; a folder brings in every \`.yaml\`,
\`.yml\` and \`.json\` file below it (a FIFO, socket or device with such a name is an error, TCPMEM_FILE_UNREADABLE,
never opened). An included file is a fleet file too (\`kind: fleet\`) and may include more.
A cycle of includes is an error. Each host, group and preset name is defined once in the whole fleet, whichever
file defines it, and \`defaults\` is set in one file only: a second definition is an error that names the first.

## Facts

A host's facts (what \`tcpmem discover\` read from it: memory layout, kernel release, boot command line, live
values) make the kernel model exact for that host. When you plan a fleet file, tcpmem reads the facts files in \`facts/\`
beside it; when you plan a folder, every facts file anywhere in it. Facts are matched to hosts by the \`host\`
name they carry; when several name one host, the newest (\`capturedAt\`) is used. A live plan uses what it reads
from the host instead.

What a host's facts say (discovered, or read live) wins over its \`hardware\` block: the kernel release, the
memory (with zoneinfo or meminfo, \`memory\` and \`nodes\` are not read, and shares of RAM such as \`6%\` are of
the RAM the facts give), \`cpus\`, \`pageSize\` and \`cmdline\`. The block is what tcpmem plans from where the facts
say nothing and for hosts without facts, so a \`defaults.hardware\` written for hosts not yet discovered, or a
block left from before a RAM upgrade, never sizes a host that has facts.

## Removing a setting

A setting left out of the config is not managed. Removing a sysctl that tcpmem managed means **stop managing
it**: the next plan shows a \`delete\` for it, and apply drops its line from tcpmem's file,
\`/etc/sysctl.d/99-tcpmem.conf\`, and sets the value the host gets at boot without that line: what another of its
sysctl.d files sets (read live; the last one in systemd-sysctl's order), else the kernel default. tcpmem never
touches sysctls it does not manage.`;

const planIntro = `\`tcpmem plan --json\` prints a plan, and \`tcpmem plan --out FILE\` saves one; \`tcpmem apply FILE\`
applies exactly the saved plan. A plan is plain data: per host, what was observed and, per sysctl, what would
change and why. It is a versioned format: \`formatVersion\` is \`1\`, and the schema accepts no other, so a reader
that validates a plan refuses a version it does not know.

## Actions

Each entry of a host's \`changes\` has an \`action\`, as in Terraform:

| action | meaning |
|---|---|
| \`create\` | start managing the sysctl: it is in the config but not in tcpmem's file yet (an offline plan, which cannot read the file, shows every configured sysctl as \`create\`) |
| \`update\` | tcpmem manages it, but the live value or tcpmem's file differs from the desired value; \`drift\` says which |
| \`delete\` | it is in tcpmem's file but no longer in the config: restore (\`after\`) what the host's other sysctl.d files set at boot, else the kernel default, and drop its line from the file |
| \`no-op\` | managed, and both the live value and tcpmem's file already hold the desired value |

\`drift\` is \`live-only\` when only the live value differs (someone ran \`sysctl -w\`), \`file-only\` when only
tcpmem's file differs (the next boot would change the value), \`both\`, or \`none\`. \`shadowedBy\` names a sysctl
file that systemd-sysctl reads after tcpmem's and that would override the value at boot. A \`{atLeast: …}\` value
keeps the host's live value when it is higher, and \`reason\` says so.

Values (\`before\`, \`after\`, \`kernelDefault\`, \`persistedBefore\`) are integers in the sysctl's \`unit\`: one
integer, or three for a triple.

## Stale plans

\`observed.fingerprint\` is a digest of what plan saw on the host: the live values and tcpmem's own file. Before
changing anything, \`apply\` reads the host again and refuses the plan for a host whose fingerprint differs; plan
again and review the new plan.

## Exit codes

| \`tcpmem plan --detailed-exitcode\` exits | when |
|---|---|
| 0 | nothing would change |
| 1 | an error: a host's config is invalid, or an input could not be read |
| 2 | the plan has changes |
| 4 | some hosts could not be reached, and neither 1 nor 2 applies |

Without \`--detailed-exitcode\`, a plan with changes exits 0. Every exit code: [errors and exit codes](errors.md).`;

const modelIntro = `\`tcpmem model --json\` prints a model report: the boot-time TCP memory defaults a kernel computes for
a host's hardware, and how it got there (see [kernel-model](kernel-model.md)). With a workload, \`tsq\` reports
whether TCP Small Queues cap a flow below its target rate.`;

const validationIntro = `\`tcpmem validate --json\` prints a validation report: the files it read and every problem found.`;

const otherIntro = `Definitions that no page section names yet; the documents above may use them.`;

/** Examples of the value forms, each checked against its definition when the pages are generated. */
const valueExamples = {
  ValueExpr: [
    ['65536', 'an integer, in the unit the kernel uses for the sysctl: pages for `tcp_mem` and `udp_mem`, bytes for buffer sizes, a count otherwise'],
    ['16MiB', '16 × 2²⁰ bytes; for a page-valued sysctl, that many bytes in pages (rounded up). A count takes no unit'],
    ['16M', 'the same: a one-letter unit (k, K, m, M, g, G, t, T, either case as memparse reads it) is binary'],
    ['16MB', '16 000 000 bytes: decimal units (kB, KB, MB, GB, TB) are read as written, with a warning (TCPMEM_DECIMAL_UNIT)'],
    ['6%', "6% of the host's RAM, in bytes or pages; not for counts"],
    ['2x', "twice the host's kernel default for this sysctl (or field), rounded down"],
    ['0.5x', "half the host's kernel default"],
    ['default', "the host's kernel default, managed explicitly"],
    ['{ atLeast: 4096 }', "4096, or the host's live value when that is higher: never lowers a value"],
    ['{ atLeast: 2x }', "twice the kernel default, or the live value when that is higher"],
  ],
  PagesTriple: [
    ['[98304, 131072, 196608]', 'low, pressure and high, in pages'],
    ['[4%, 6%, 8%]', "each field a share of the host's RAM"],
    ['{ pressure: 6%, high: 8% }', 'two fields by name; `low` is the kernel default (about 4.5% of RAM: a `pressure` below it is refused as out of order)'],
    ['"94002 125338 188004"', 'the sysctl.conf form, as `sysctl -n` prints it (spaces or tabs): low, pressure and high, in pages'],
    ['1.5x', 'every field 1.5 times its kernel default'],
    ['default', 'the kernel default, managed explicitly'],
  ],
  BufferTriple: [
    ['[4096, 131072, 16MiB]', 'min, default and max, in bytes'],
    ['"4096 131072 16777216"', 'the sysctl.conf form, as `sysctl -n` prints it and sysctl.conf files hold it (spaces or tabs)'],
    ['{ max: 16MiB }', 'only the maximum; `min` and `default` are the kernel default'],
    ['{ max: { atLeast: 8MiB } }', 'a maximum of at least 8 MiB, never lowering a higher live value'],
    ['2x', 'every field twice its kernel default'],
  ],
  Size: [
    ['4096', '4096 bytes'],
    ['16MiB', '16 × 1024² bytes'],
    ['1.5GiB', '1.5 × 1024³ bytes'],
    ['8G', '8 × 1024³ bytes: one letter (k, K, m, M, g, G, t, T) is binary, as the kernel\'s memparse reads it'],
    ['16k', '16 384 bytes'],
    ['64kB', '64 000 bytes (decimal units: kB, KB, MB, GB, TB; for a sysctl value tcpmem warns, TCPMEM_DECIMAL_UNIT)'],
  ],
  Duration: [
    ['100ms', '100 milliseconds'],
    ['500us', '500 microseconds (also `500µs`)'],
    ['1.5s', '1.5 seconds'],
  ],
  Rate: [
    ['10Gbit', '10 × 10⁹ bits per second'],
    ['800Mbit', '800 × 10⁶ bits per second'],
    ['1.25GB/s', '1.25 × 10⁹ bytes per second'],
    ['100MiB/s', '100 × 1024² bytes per second'],
  ],
  KernelRelease: [
    ['6.1.0-26-cloud-amd64', 'a Debian 12 cloud kernel, as `uname -r` prints it'],
    ['5.15.0-91-generic', 'an Ubuntu 22.04 kernel'],
    ['"6.12"', 'a bare series (quote it in YAML, or it is read as a number)'],
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Page layout: which definitions each section documents, in reading order

const pages = [
  {
    file: 'docs/config-reference.md',
    title: 'Config reference',
    intro: configIntro,
    example: true,
    roots: ['Fleet', 'HardwareDocument', 'Facts'],
    sections: [
      { heading: 'Fleet files (`kind: fleet`)', defs: ['Fleet', 'Settings', 'Group', 'Host', 'Preset', 'Ssh', 'Workload', 'Name'] },
      { heading: 'Sysctls and their values', defs: ['Sysctls', 'ValueExpr', 'PagesTriple', 'BufferTriple'] },
      { heading: 'Describing hardware', defs: ['HardwareFields', 'Hardware', 'NumaNode'] },
      { heading: 'Units', defs: ['Size', 'Duration', 'Rate', 'KernelRelease'] },
      { heading: 'Hardware files (`kind: hardware`)', defs: ['HardwareDocument'] },
      { heading: 'Facts files (`kind: facts`)', defs: ['Facts', 'HostFacts'] },
      { heading: 'Pulumi resource inputs', intro: 'What a `HostTcpMemory` resource takes ([pulumi.md](pulumi.md)): the settings of one host in the forms above, and how to reach it.', defs: ['HostTcpMemoryInputs'] },
    ],
  },
  {
    file: 'docs/plan-format.md',
    title: 'Plan and report formats',
    intro: planIntro,
    roots: ['Plan', 'ApplyReport', 'ModelReport', 'ValidationReport'],
    sections: [
      { heading: 'The plan document', defs: ['Plan', 'PlanSummary', 'HostPlan', 'Observation', 'ObservedState', 'ObservedHost', 'Change', 'SysctlValues', 'Problem'] },
      { heading: 'The apply report', intro: 'What `tcpmem apply --json` prints, per host and per setting; [apply.md](apply.md) explains the transaction behind it.', defs: ['ApplyReport', 'ApplySummary', 'HostApplyResult', 'SettingResult', 'StaleSetting'] },
      { heading: 'The model report', intro: modelIntro, defs: ['ModelReport', 'TsqReport'] },
      { heading: 'The validation report', intro: validationIntro, defs: ['ValidationReport'] },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Schema helpers

function loadSchema() {
  return JSON.parse(fs.readFileSync(path.join(root, schemaFile), 'utf8'));
}

function refName(ref) {
  const prefix = '#/$defs/';
  if (!ref.startsWith(prefix)) throw new Error(`${generator} only follows local $defs references, not ${ref}`);
  return ref.slice(prefix.length);
}

/** The `$defs` names referenced anywhere inside a schema node, in document order. */
function refsIn(node, found = []) {
  if (Array.isArray(node)) node.forEach((child) => refsIn(child, found));
  else if (node !== null && typeof node === 'object') {
    if (typeof node.$ref === 'string' && !found.includes(refName(node.$ref))) found.push(refName(node.$ref));
    Object.values(node).forEach((child) => refsIn(child, found));
  }
  return found;
}

/** Every definition reachable from the given ones, themselves included, in breadth-first order. */
function reachable(schema, names) {
  const seen = [...names];
  for (let i = 0; i < seen.length; i++) {
    for (const next of refsIn(schema.$defs[seen[i]])) if (!seen.includes(next)) seen.push(next);
  }
  return seen;
}

/** GitHub's anchor for a heading. */
function slug(heading) {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
}

// ---------------------------------------------------------------------------------------------------------------
// Layout: place every definition in one section of one page

/**
 * Resolves the page layout against the schema: listed definitions that exist, then on each page a section for
 * the definitions its documents use that no section names, then a last section for definitions nothing places.
 */
function layout(schema) {
  const names = Object.keys(schema.$defs);
  const placed = new Map();
  const resolved = pages.map((page) => ({ ...page, sections: page.sections.map((s) => ({ ...s, listed: s.defs, defs: [] })) }));
  const place = (page, section, name) => {
    if (placed.has(name) || !(name in schema.$defs)) return;
    section.defs.push(name);
    placed.set(name, { file: page.file, anchor: slug(titleOf(schema, name)) });
  };
  for (const page of resolved) for (const section of page.sections) section.listed.forEach((name) => place(page, section, name));
  for (const page of resolved) {
    const extra = { heading: 'Other types used on this page', defs: [] };
    reachable(schema, page.roots.filter((r) => r in schema.$defs)).forEach((name) => place(page, extra, name));
    if (extra.defs.length > 0) page.sections.push(extra);
  }
  const last = resolved[resolved.length - 1];
  const orphans = { heading: 'Other definitions', intro: otherIntro, defs: [] };
  names.forEach((name) => place(last, orphans, name));
  if (orphans.defs.length > 0) {
    last.sections.push(orphans);
    console.warn(`${generator}: no page section names ${orphans.defs.join(', ')}; placed under "Other definitions" in ${last.file}.`);
  }
  return { pages: resolved, placed };
}

function titleOf(schema, name) {
  return schema.$defs[name].title ?? name;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering types and constraints

const code = (value) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

function either(parts) {
  const unique = [...new Set(parts)];
  return unique.length <= 1 ? unique.join('') : `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/** Limits written out: lengths, ranges, counts, patterns. */
function constraints(node) {
  const out = [];
  if (node.minLength === 1) out.push('not empty');
  else if (node.minLength !== undefined) out.push(`at least ${node.minLength} characters`);
  if (node.pattern !== undefined) out.push(`matching ${code(node.pattern)}`);
  if (node.format !== undefined) out.push(`format ${node.format}`);
  if (node.minimum !== undefined && node.maximum !== undefined) out.push(`${node.minimum} to ${node.maximum}`);
  else if (node.minimum !== undefined) out.push(`at least ${node.minimum}`);
  else if (node.maximum !== undefined) out.push(`at most ${node.maximum}`);
  if (node.minItems !== undefined && node.minItems === node.maxItems) out.push(`exactly ${node.minItems} items`);
  else if (node.minItems !== undefined && node.maxItems !== undefined) out.push(`${node.minItems} to ${node.maxItems} items`);
  else if (node.minItems !== undefined) out.push(`at least ${node.minItems} items`);
  else if (node.maxItems !== undefined) out.push(`at most ${node.maxItems} items`);
  if (node.uniqueItems) out.push('no duplicates');
  if (node.minProperties !== undefined) out.push(`at least ${node.minProperties} field${node.minProperties === 1 ? '' : 's'}`);
  const names = node.propertyNames?.$ref === undefined ? node.propertyNames : loadSchema().$defs[refName(node.propertyNames.$ref)];
  if (names?.pattern !== undefined) out.push(`names matching ${code(names.pattern)}`);
  return out;
}

/** A type in words: `$ref`s become links to their titles, `anyOf` reads "a or b", enums list their values. */
function typeText(node, link) {
  if (node === true) return 'anything';
  if (node.$ref !== undefined) return link(refName(node.$ref));
  if ('const' in node) return code(node.const);
  if (node.enum !== undefined) return either(node.enum.map(code));
  if (node.anyOf !== undefined) return either(node.anyOf.map((branch) => typeText(branch, link)));
  if (node.allOf?.length === 1) return typeText(node.allOf[0], link);
  const types = [].concat(node.type ?? []);
  const base = types.length === 0 ? 'object' : either(types.map((type) => baseTypeText(type, node, link)));
  const limits = constraints(node);
  return limits.length === 0 ? base : `${base} (${limits.join(', ')})`;
}

function baseTypeText(type, node, link) {
  if (type === 'array') return `list of ${node.items === undefined ? 'values' : itemText(node.items, link)}`;
  if (type === 'object' && isSchema(node.additionalProperties)) return `map of name → ${typeText(node.additionalProperties, link)}`;
  return type;
}

/** A list's item type, its limits moved into the list's own: `list of string (each not empty, no duplicates)`. */
function itemText(items, link) {
  const limits = constraints(items);
  if (limits.length === 0) return typeText(items, link);
  const bare = Object.fromEntries(Object.entries(items).filter(([key]) => !constraintKeys.includes(key)));
  return `${typeText(bare, link)}, each ${limits.join(', ')}`;
}

const constraintKeys = ['minLength', 'pattern', 'format', 'minimum', 'maximum', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'propertyNames'];

const isSchema = (value) => value === true || (value !== null && typeof value === 'object');
const hasFields = (node) => node.properties !== undefined;

// ---------------------------------------------------------------------------------------------------------------
// Rendering definitions

const cell = (text) => String(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** One table row per field; fields of inline objects follow their parent as `parent.field` or `list[].field`. */
function fieldRows(node, link, prefix = '') {
  const required = node.required ?? [];
  const rows = [];
  for (const [name, field] of Object.entries(node.properties ?? {})) {
    const isRequired = required.includes(name) ? 'yes' : '';
    const fallback = field.default === undefined ? '' : code(field.default);
    rows.push([code(prefix + name), typeText(field, link), isRequired, fallback, field.description ?? ''].map(cell));
    if (hasFields(field)) rows.push(...fieldRows(field, link, `${prefix}${name}.`));
    if (field.items !== undefined && hasFields(field.items)) rows.push(...fieldRows(field.items, link, `${prefix}${name}[].`));
    if (isSchema(field.additionalProperties) && hasFields(field.additionalProperties)) rows.push(...fieldRows(field.additionalProperties, link, `${prefix}${name}.*.`));
  }
  return rows;
}

/** The field table; the default column only when some field has a default. */
function fieldTable(node, link) {
  const rows = fieldRows(node, link);
  if (rows.length === 0) return [];
  const columns = ['field', 'type', 'required', 'default', 'description'];
  const shown = columns.map((_, i) => i !== 3 || rows.some((row) => row[i] !== ''));
  const pick = (cells) => `| ${cells.filter((_, i) => shown[i]).join(' | ')} |`;
  return [pick(columns), pick(columns.map(() => '---')), ...rows.map(pick)];
}

/** Rules the field table cannot show: fields that exclude each other, closed or open objects. */
function objectNotes(node, link) {
  const notes = [];
  for (const part of node.allOf ?? []) if (part.$ref !== undefined) notes.push(`Has every field of ${link(refName(part.$ref))}; the table lists what differs.`);
  if (node.not?.required !== undefined) notes.push(`${either(node.not.required.map(code)).replace(/ or /, ' and ')} exclude each other: set at most one of them.`);
  const limits = constraints(node);
  if (hasFields(node) && limits.length > 0) notes.push(`Constraints: ${limits.join(', ')}.`);
  return notes;
}

/** The forms of an `anyOf` definition, one bullet each. */
function formList(node, link) {
  return node.anyOf.map((branch) => {
    const text = hasFields(branch) ? objectFormText(branch, link) : typeText(branch, link);
    return `- ${text}${branch.description === undefined ? '' : `: ${branch.description}`}`;
  });
}

function objectFormText(node, link) {
  const required = node.required ?? [];
  const fields = Object.entries(node.properties).map(([name, field]) => `${code(name)}${required.includes(name) ? ' (required)' : ''}: ${typeText(field, link)}`);
  const limits = constraints(node);
  return `object with ${fields.join('; ')}${limits.length === 0 ? '' : ` (${limits.join(', ')})`}`;
}

function examplesTable(examples) {
  if (examples.length === 0) return [];
  return ['Examples:', '', '| write | means |', '|---|---|', ...examples.map(([text, meaning]) => `| ${cell(code(text))} | ${cell(meaning)} |`)];
}

function renderDefinition(schema, name, link) {
  const def = schema.$defs[name];
  const out = [`### ${titleOf(schema, name)}`, '', `Schema: \`$defs/${name}\``];
  if (def.description !== undefined) out.push('', def.description);
  const notes = objectNotes(def, link);
  if (def.anyOf !== undefined) out.push('', 'One of:', '', ...formList(def, link));
  else if (!hasFields(def)) out.push('', `A ${typeText(def, link)}.`);
  if (notes.length > 0) out.push('', ...notes);
  const table = fieldTable(def, link);
  if (table.length > 0) out.push('', ...table);
  const examples = checkedExamples(schema, name);
  if (examples.length > 0) out.push('', ...examplesTable(examples));
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Examples: checked against the schema, never copied by hand

let ajv;
let ajvSchema;
function validatorFor(schema, name) {
  if (ajvSchema !== schema) {
    ajvSchema = schema;
    ajv = new Ajv2020({ strict: true, allowUnionTypes: true, validateFormats: false, discriminator: true });
    ajv.addKeyword({ keyword: 'tsType', schemaType: 'string' });
    ajv.addSchema(schema);
  }
  return ajv.getSchema(`${schema.$id}#/$defs/${name}`);
}

/** Our examples of a definition, then those of the schema's `examples` we do not show yet; each must validate. */
function checkedExamples(schema, name) {
  const ours = valueExamples[name] ?? [];
  const fromSchema = (schema.$defs[name].examples ?? [])
    .map((value) => (typeof value === 'string' ? value : YAML.stringify(value, { collectionStyle: 'flow' }).trim()))
    .filter((text) => !ours.some(([known]) => known === text))
    .map((text) => [text, '']);
  const examples = [...ours, ...fromSchema];
  const validate = examples.length === 0 ? undefined : validatorFor(schema, name);
  for (const [text] of examples) {
    if (!validate(YAML.parse(text))) throw new Error(`${generator}: the example ${text} is not a valid ${name}: ${ajv.errorsText(validate.errors)}. Fix the example or the schema.`);
  }
  return examples;
}

/** The example fleet file, and where each of its parts is documented (first place each definition is used). */
function renderExampleFleet(schema, link) {
  const text = fs.readFileSync(path.join(root, exampleFleet), 'utf8');
  const document = YAML.parse(text);
  const validate = validatorFor(schema, 'Fleet');
  if (!validate(document)) throw new Error(`${generator}: ${exampleFleet} is not a valid fleet: ${ajv.errorsText(validate.errors)}`);
  const uses = new Map();
  walkExample(schema, { $ref: '#/$defs/Fleet' }, document, '', uses);
  const where = [...uses].map(([name, pointer]) => `- \`${pointer || '/'}\`: ${link(name)}`);
  return [
    '## A complete example',
    '',
    `[\`${exampleFleet}\`](../${exampleFleet}), as it is in the repository:`,
    '',
    '```yaml',
    text.trimEnd(),
    '```',
    '',
    'Where each part is described (JSON pointers into the example, the first place each kind of value is used):',
    '',
    ...where,
  ].join('\n');
}

/** Records, for each definition the value uses, the JSON pointer of its first use. */
function walkExample(schema, node, value, pointer, uses) {
  if (node.$ref !== undefined) {
    const name = refName(node.$ref);
    if (!uses.has(name)) uses.set(name, pointer);
    return walkExample(schema, schema.$defs[name], value, pointer, uses);
  }
  if (node.anyOf !== undefined) {
    const branch = node.anyOf.find((b) => accepts(schema, b, value));
    return branch === undefined ? undefined : walkExample(schema, branch, value, pointer, uses);
  }
  for (const part of node.allOf ?? []) walkExample(schema, part, value, pointer, uses);
  const at = (key) => `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (Array.isArray(value) && node.items !== undefined) value.forEach((item, i) => walkExample(schema, node.items, item, at(i), uses));
  else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      const fieldNode = node.properties?.[key] ?? (isSchema(node.additionalProperties) ? node.additionalProperties : undefined);
      if (isSchema(fieldNode) && fieldNode !== true) walkExample(schema, fieldNode, child, at(key), uses);
    }
  }
  return undefined;
}

/** Whether a value has the JSON type a schema branch allows (enough to pick an `anyOf` branch). */
function accepts(schema, node, value) {
  if (node.$ref !== undefined) return accepts(schema, schema.$defs[refName(node.$ref)], value);
  if (node.anyOf !== undefined) return node.anyOf.some((b) => accepts(schema, b, value));
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value === 'object' ? 'object' : typeof value;
  const types = [].concat(node.type ?? (node.properties !== undefined ? 'object' : []));
  const typeOk = types.length === 0 || types.includes(type) || (type === 'integer' && types.includes('number'));
  return typeOk && (typeof value !== 'string' || node.pattern === undefined || new RegExp(node.pattern, 'u').test(value));
}

// ---------------------------------------------------------------------------------------------------------------
// Pages

function linker(placed, pageFile, schema) {
  return (name) => {
    const at = placed.get(name);
    const title = titleOf(schema, name);
    if (at === undefined) return title;
    const file = at.file === pageFile ? '' : path.basename(at.file);
    return `[${title}](${file}#${at.anchor})`;
  };
}

function documentKinds(schema) {
  return either((schema.properties?.kind?.enum ?? []).map(code));
}

function renderPage(schema, page, placed) {
  const link = linker(placed, page.file, schema);
  const out = [
    `# ${page.title}`,
    '',
    `<!-- Generated by ${generator} from ${schemaFile}; do not edit by hand. Change the schema, or the text in the generator, and run \`npm run generate\`. -->`,
    '',
    `Every tcpmem document says what it is with \`kind\`: ${documentKinds(schema)}. The tables below are generated from [\`${schemaFile}\`](../${schemaFile}) (JSON Schema 2020-12); editors that understand JSON Schema can check files against it.`,
    '',
    page.intro,
  ];
  if (page.example) out.push('', renderExampleFleet(schema, link));
  for (const section of page.sections.filter((s) => s.defs.length > 0)) {
    out.push('', `## ${section.heading}`);
    if (section.intro !== undefined) out.push('', section.intro);
    for (const name of section.defs) out.push('', renderDefinition(schema, name, link));
  }
  checkAnchors(page.file, out.join('\n'));
  return `${out.join('\n')}\n`;
}

/** Two headings with one anchor would make links land on the wrong section (comments in code blocks are no headings). */
function checkAnchors(file, markdown) {
  const seen = new Set();
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  for (const [, heading] of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const anchor = slug(heading);
    if (seen.has(anchor)) throw new Error(`${generator}: two headings in ${file} share the anchor #${anchor}; rename a section.`);
    seen.add(anchor);
  }
}

function render() {
  const schema = loadSchema();
  const { pages: laidOut, placed } = layout(schema);
  return Object.fromEntries(laidOut.map((page) => [page.file, renderPage(schema, page, placed)]));
}

function main() {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, text] of Object.entries(render())) {
    const target = path.join(root, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (current === text) continue;
    if (check) stale.push(file);
    else fs.writeFileSync(target, text);
  }
  if (stale.length > 0) {
    console.error(`Stale generated docs: ${stale.join(', ')} ${stale.length === 1 ? 'differs' : 'differ'} from what ${generator} renders from ${schemaFile}. Run \`node ${generator}\` and commit the result.`);
    process.exit(1);
  }
}

if (require.main === module) main();

module.exports = { render };
