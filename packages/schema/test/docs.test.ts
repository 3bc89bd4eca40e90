import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// The pages docs/config-reference.md and docs/plan-format.md are generated from schemas/tcpmem.schema.json by
// tools/docs/generate-schema-docs.js. These tests read the committed pages, so they fail when a page is stale,
// when a definition has no section, or when a description the schema gives an operator is missing.

type SchemaNode = Readonly<Record<string, unknown>>;

const root = path.resolve(__dirname, '../../..');
const generator = path.join(root, 'tools/docs/generate-schema-docs.js');
const pageFiles = ['docs/config-reference.md', 'docs/plan-format.md'];

const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas/tcpmem.schema.json'), 'utf8')) as SchemaNode & {
  $defs: Record<string, SchemaNode>;
};
const definitions = Object.keys(schema.$defs);
const pages = pageFiles.map((file) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));

const isNode = (value: unknown): value is SchemaNode => typeof value === 'object' && value !== null;

/** Table cells escape `|` and every line break is a space: compare text with both undone. */
const normalize = (text: string): string => text.replace(/\\\|/g, '|').replace(/\s+/g, ' ');

/** The section a page gives a definition: from its heading to the next heading of its level or above. */
function sectionOf(name: string): { file: string; text: string } | undefined {
  const marker = `Schema: \`$defs/${name}\``;
  for (const page of pages) {
    const at = page.text.indexOf(marker);
    if (at < 0) continue;
    const start = page.text.lastIndexOf('\n### ', at);
    const next = page.text.slice(at).search(/\n#{1,3} /);
    return { file: page.file, text: page.text.slice(start, next < 0 ? undefined : at + next) };
  }
  return undefined;
}

/** Every `description` inside a schema node, without following `$ref`s. */
function descriptionsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child) => descriptionsIn(child, found));
  else if (isNode(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'description' && typeof value === 'string') found.push(value);
      else descriptionsIn(value, found);
    }
  }
  return found;
}

/** The definitions that describe a whole document of each `kind` the schema accepts. */
function documentDefinitions(): [string, string[]][] {
  const kinds = ((schema.properties as { kind?: { enum?: string[] } } | undefined)?.kind?.enum ?? []);
  return kinds.map((kind) => [
    kind,
    definitions.filter((name) => {
      const kindField = (schema.$defs[name]!.properties as Record<string, SchemaNode> | undefined)?.kind;
      return kindField?.const === kind;
    }),
  ]);
}

describe('generated docs', () => {
  it('are what tools/docs/generate-schema-docs.js renders from the schema (run `npm run generate` when this fails)', () => {
    const result = spawnSync(process.execPath, [generator, '--check'], { encoding: 'utf8' });
    expect({ exitCode: result.status, stderr: result.stderr }).toMatchObject({ exitCode: 0 });
  });

  it.each(documentDefinitions())('document the whole `kind: %s` document', (_kind, names) => {
    expect(names).not.toHaveLength(0);
    for (const name of names) expect(sectionOf(name)).toBeDefined();
  });

  it.each(definitions)('give $defs/%s a section with its title as heading', (name) => {
    const section = sectionOf(name);
    expect(section).toBeDefined();
    const { title } = schema.$defs[name]!;
    const heading = typeof title === 'string' ? title : name;
    expect(section!.text.startsWith(`\n### ${heading}\n`)).toBe(true);
  });

  it.each(definitions)("list every field of $defs/%s in its section's table", (name) => {
    const fields = Object.keys((schema.$defs[name]!.properties as Record<string, unknown> | undefined) ?? {});
    const section = sectionOf(name)?.text ?? '';
    for (const field of fields) expect(section).toContain(`| \`${field}\` |`);
  });

  it.each(definitions)('show every description of $defs/%s in its section', (name) => {
    const section = normalize(sectionOf(name)?.text ?? '');
    for (const description of descriptionsIn(schema.$defs[name])) expect(section).toContain(normalize(description));
  });

  it.each(['Fleet', 'Settings', 'Host', 'Ssh', 'Workload', 'Sysctls'])('put $defs/%s, the fleet config, in config-reference.md', (name) => {
    expect(sectionOf(name)?.file).toBe('docs/config-reference.md');
  });

  it.each(['Plan', 'PlanSummary', 'HostPlan', 'Observation', 'Change', 'ModelReport', 'TsqReport'])('put $defs/%s, an output format, in plan-format.md', (name) => {
    expect(sectionOf(name)?.file).toBe('docs/plan-format.md');
  });

  it('show the example fleet as it is in examples/', () => {
    const example = fs.readFileSync(path.join(root, 'examples/mixed-fleet/fleet.yaml'), 'utf8').trimEnd();
    expect(pages[0]!.text).toContain(`\`\`\`yaml\n${example}\n\`\`\``);
  });
});
