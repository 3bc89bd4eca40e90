import fs from 'node:fs';
import path from 'node:path';
import { createKernelLookup, loadFleet, locateProblems, planFleet } from '../src';
import type { Plan } from '@tcpmem/schema';

/**
 * One folder a case: a fleet (and maybe facts), planned offline; `expected.txt` beside it holds every change and
 * problem in a compact form. UPDATE_SCENARIOS=1 rewrites the expectations (review the diff!).
 */
const root = path.join(__dirname, 'scenarios');
const cases = fs.readdirSync(root).filter((name) => fs.statSync(path.join(root, name)).isDirectory());

function compact(plan: Plan): string {
  const lines: string[] = [];
  for (const host of plan.hosts) {
    lines.push(`host ${host.name}: ${host.status} (${host.source})${host.kernel === undefined ? '' : ` kernel ${host.kernel.series}`}`);
    for (const c of host.changes) {
      lines.push(`  ${c.action} ${c.sysctl}: ${c.before?.join(' ') ?? '-'} -> ${c.after?.join(' ') ?? '-'} [${c.unit}] ${c.reason}`);
    }
    for (const p of host.problems) lines.push(`  ${p.severity} ${p.code} ${p.file === undefined ? '' : path.basename(p.file)}:${p.line ?? '?'}:${p.column ?? '?'} ${p.path ?? ''}: ${p.message}`);
  }
  const s = plan.summary;
  lines.push(`summary: ${s.create} create, ${s.update} update, ${s.delete} delete, ${s.noop} no-op, ${s.invalid} invalid, ${s.hostsWithChanges}/${s.hosts} hosts`);
  return `${lines.join('\n')}\n`;
}

describe('plan scenarios (test/scenarios/<case>/fleet.yaml → expected.txt)', () => {
  it.each(cases)('%s plans as expected', (name) => {
    const dir = path.join(root, name);
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(load.fleet).toBeDefined();
    const fleet = load.fleet!;
    const plan = planFleet(fleet, {
      mode: 'offline',
      createdAt: '2026-01-01T00:00:00Z',
      tcpmemVersion: 'test',
      configPath: dir,
      digest: undefined,
      observations: new Map(),
      kernelFor: createKernelLookup(),
      hostIndexes: fleet.hosts.map((_h, i) => i),
      problems: load.problems,
    });
    for (const host of plan.hosts) host.problems = locateProblems(host.problems, load.documents);
    const actual = compact(plan);
    const expectedFile = path.join(dir, 'expected.txt');
    if (process.env['UPDATE_SCENARIOS'] === '1') fs.writeFileSync(expectedFile, actual);
    expect(actual).toBe(fs.readFileSync(expectedFile, 'utf8'));
  });
});
