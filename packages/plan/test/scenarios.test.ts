import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSource, schemaProblems, validateDefinition, type Plan, type Problem } from '@tcpmem/schema';
import { createKernelLookup, loadFleet, locateProblems, planFleet, type HostObservation } from '../src';
import { observationOf } from '../src/observe/observed-host';

/**
 * One folder a case: a fleet (and maybe facts), and `expected.txt` beside it with every change and problem in a
 * compact form. With an `observed.json` (`$defs/ObservedState`: each host's live values and sysctl.d files) the
 * hosts it names are planned as if read live; the others are planned offline. Folders under `_error_/` are cases
 * that must fail: the fleet does not load, or a host is invalid; their `expected.txt` lists the problems.
 * UPDATE_SCENARIOS=1 rewrites the expectations (review the diff!).
 */
const root = path.join(__dirname, 'scenarios');
const errorRoot = path.join(root, '_error_');
const foldersIn = (dir: string) => fs.readdirSync(dir).filter((name) => !name.startsWith('_') && fs.statSync(path.join(dir, name)).isDirectory());
const cases = foldersIn(root);
const errorCases = foldersIn(errorRoot);

const where = (p: Problem) => `${p.file === undefined ? '' : path.basename(p.file)}:${p.line ?? '?'}:${p.column ?? '?'} ${p.path ?? ''}`;
const problemLine = (p: Problem) => `${p.severity} ${p.code} ${where(p)}: ${p.message}`;

function compact(plan: Plan): string {
  const text = (values: readonly number[] | null | undefined) => (values === null || values === undefined ? '-' : values.join(' '));
  const lines: string[] = [];
  for (const host of plan.hosts) {
    lines.push(`host ${host.name}: ${host.status} (${host.source})${host.kernel === undefined ? '' : ` kernel ${host.kernel.series}`}`);
    for (const c of host.changes) {
      const file = c.persistedBefore === undefined ? '' : ` file ${text(c.persistedBefore)}`;
      const drift = c.drift === undefined || c.drift === 'none' ? '' : ` drift ${c.drift}`;
      const shadow = c.shadowedBy === undefined ? '' : ` shadowed by ${c.shadowedBy}`;
      lines.push(`  ${c.action} ${c.sysctl}: ${text(c.before)} -> ${text(c.after)} [${c.unit}] ${c.reason}${file}${drift}${shadow}`);
    }
    for (const p of host.problems) lines.push(`  ${problemLine(p)}`);
  }
  const s = plan.summary;
  lines.push(`summary: ${s.create} create, ${s.update} update, ${s.delete} delete, ${s.noop} no-op, ${s.invalid} invalid, ${s.hostsWithChanges}/${s.hosts} hosts`);
  return `${lines.join('\n')}\n`;
}

/**
 * The hosts of a case's `observed.json`, read live. A file that is not an ObservedState, or that names a host the
 * fleet does not have, is a mistake in the test: it throws, saying where and what to fix.
 */
function readObserved(dir: string, hostNames: readonly string[]): Map<string, HostObservation> {
  const file = path.join(dir, 'observed.json');
  const observations = new Map<string, HostObservation>();
  if (!fs.existsSync(file)) return observations;
  const parsed = parseSource(file, fs.readFileSync(file, 'utf8'));
  const checked = parsed.ok ? validateDefinition('ObservedState', parsed.document.value) : undefined;
  const problems = !parsed.ok ? parsed.problems : checked !== undefined && !checked.ok ? schemaProblems(checked.errors, parsed.document) : [];
  if (problems.length > 0 || checked === undefined || !checked.ok) {
    throw new Error(`${file} is not an ObservedState (schemas/tcpmem.schema.json $defs/ObservedState):\n${problems.map(problemLine).join('\n')}`);
  }
  for (const [name, host] of Object.entries(checked.value)) {
    if (host === undefined) continue;
    if (!hostNames.includes(name)) throw new Error(`${file}: host "${name}" is not in the fleet (hosts: ${hostNames.join(', ')}); rename it or add the host to fleet.yaml`);
    observations.set(name, observationOf(host));
  }
  return observations;
}

/** Plans a case's fleet with its observations; what comes out in the compact form, or the load problems. */
function planCase(dir: string): string {
  const load = loadFleet(path.join(dir, 'fleet.yaml'));
  if (load.fleet === undefined) return `${load.problems.map(problemLine).join('\n')}\n`;
  const fleet = load.fleet;
  const observations = readObserved(dir, fleet.hosts.map((h) => h.name));
  const plan = planFleet(fleet, {
    mode: observations.size === 0 ? 'offline' : 'live',
    createdAt: '2026-01-01T00:00:00Z',
    tcpmemVersion: 'test',
    configPath: dir,
    digest: undefined,
    observations,
    kernelFor: createKernelLookup(),
    hostIndexes: fleet.hosts.map((_h, i) => i),
    problems: load.problems,
  });
  for (const host of plan.hosts) host.problems = locateProblems(host.problems, load.documents);
  return [...load.problems.map((p) => `${problemLine(p)}\n`), compact(plan)].join('');
}

function expectCase(dir: string, actual: string): void {
  const expectedFile = path.join(dir, 'expected.txt');
  if (process.env['UPDATE_SCENARIOS'] === '1') fs.writeFileSync(expectedFile, actual);
  expect(actual).toBe(fs.readFileSync(expectedFile, 'utf8'));
}

describe('plan scenarios (test/scenarios/<case>/fleet.yaml [+ observed.json] → expected.txt)', () => {
  it.each(cases)('%s plans as expected, with no error', (name) => {
    const dir = path.join(root, name);
    const actual = planCase(dir);
    expectCase(dir, actual);
    expect(actual).not.toMatch(/^ *error /m);
  });
});

describe('plan scenarios that must fail (test/scenarios/_error_/<case>)', () => {
  it('has cases', () => {
    expect(errorCases.length).toBeGreaterThan(0);
  });

  it.each(errorCases)('%s reports the expected errors', (name) => {
    const dir = path.join(errorRoot, name);
    const actual = planCase(dir);
    expectCase(dir, actual);
    expect(actual).toMatch(/^ *error /m);
  });
});

describe('observed.json', () => {
  const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'tcpmem-observed-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const fleet = 'kind: fleet\nhosts:\n  h1:\n    hardware: { kernel: "6.1", memory: 8GiB }\n    sysctls: { net.core.somaxconn: 8192 }\n';

  it.each([
    ['a value that is not text', '{ "h1": { "sysctls": { "net.core.somaxconn": 8192 } } }', /observed\.json is not an ObservedState[\s\S]*error \S+ observed\.json:1:\d+ \/h1\/sysctls\/net\.core\.somaxconn/],
    ['a field an observed host does not have', '{ "h1": { "sysctls": {}, "file": {} } }', /observed\.json is not an ObservedState[\s\S]*observed\.json:1:\d+ \/h1/],
    ['text that is not JSON', '{ "h1": ', /observed\.json is not an ObservedState[\s\S]*observed\.json:1:/],
    ['a host the fleet does not have', '{ "h2": { "sysctls": {} } }', /observed\.json: host "h2" is not in the fleet \(hosts: h1\); rename it or add the host to fleet\.yaml/],
  ])('says where the mistake is when it has %s', (_what, observed, message) => {
    const dir = fs.mkdtempSync(path.join(tmp, 'case-'));
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), fleet);
    fs.writeFileSync(path.join(dir, 'observed.json'), observed);
    expect(() => planCase(dir)).toThrow(message);
  });
});
