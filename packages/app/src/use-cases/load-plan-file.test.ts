import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { examples, tempDir } from '../../test/temp-config';
import type { Plan } from '@tcpmem/schema';
import { loadPlanFile } from './load-plan-file';
import { makePlan } from './make-plan';

describe('loadPlanFile', () => {
  const temp = tempDir({ 'config.json': JSON.stringify({ kind: 'fleet', hosts: {} }), 'broken.json': '{ "kind": "plan"', 'forged.json': JSON.stringify({ kind: 'plan', formatVersion: 1, hosts: 'none' }) });
  afterAll(() => temp.remove());

  it.each([
    ['a path that does not exist', '/nonexistent/plan.json'],
    ['a folder', examples],
    ['a YAML config', path.join(examples, 'web-fleet/fleet.yaml')],
    ['a JSON config (kind: fleet)', path.join(temp.dir, 'config.json')],
    ['a file that is not JSON', path.join(temp.dir, 'broken.json')],
  ])('says %s is no plan (undefined), for the config loader to read', (_what, file) => {
    expect(loadPlanFile(file)).toBeUndefined();
  });

  it('reads a saved plan back exactly', async () => {
    const { plan } = await makePlan(path.join(examples, 'web-fleet'), { offline: true, targets: [], excludes: [], parallelism: 1, tcpmemVersion: 't' });
    const file = path.join(temp.dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify(plan));
    expect(loadPlanFile(file)).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  it('refuses a file that says it is a plan and is not one, naming every problem (TCPMEM_INVALID_PLAN)', () => {
    expect(() => loadPlanFile(path.join(temp.dir, 'forged.json'))).toThrow(expect.objectContaining({ code: 'TCPMEM_INVALID_PLAN', exitCode: 1, message: expect.stringContaining('forged.json is not a valid plan') }));
  });
});

describe('loadPlanFile refuses a saved plan edited by hand, before any host is contacted (TCPMEM_UNSAFE_PLAN)', () => {
  const temp = tempDir({});
  afterAll(() => temp.remove());

  /** examples/web-fleet planned offline and saved, then edited: the file's path. */
  async function editedPlan(name: string, edit: (plan: Plan) => void): Promise<string> {
    const { plan } = await makePlan(path.join(examples, 'web-fleet'), { offline: true, targets: [], excludes: [], parallelism: 1, tcpmemVersion: 't' });
    const saved = JSON.parse(JSON.stringify(plan)) as Plan;
    edit(saved);
    const file = path.join(temp.dir, name);
    fs.writeFileSync(file, JSON.stringify(saved));
    return file;
  }

  it('names the file, the host, the JSON pointer of the value and the fix, with every problem for --json', async () => {
    const file = await editedPlan('reversed.json', (plan) => {
      const change = plan.hosts[0]!.changes.find((c) => c.sysctl === 'net.ipv4.tcp_mem')!;
      change.after = [...change.after!].reverse();
    });
    const host = JSON.parse(fs.readFileSync(file, 'utf8')) as Plan;
    const index = host.hosts[0]!.changes.findIndex((c) => c.sysctl === 'net.ipv4.tcp_mem');
    let error: unknown;
    try {
      loadPlanFile(file);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'TCPMEM_UNSAFE_PLAN',
      exitCode: 1,
      message: expect.stringMatching(new RegExp(`^refusing ${file}, before contacting any host: cache-1: net.ipv4.tcp_mem \\d+ \\d+ \\d+ is not non-decreasing \\(low ≤ pressure ≤ high\\) \\(at /hosts/0/changes/${index}/after, TCPMEM_TRIPLE_ORDER\\)$`)),
      hint: expect.stringContaining('a saved plan is not edited by hand'),
      problems: [expect.objectContaining({ code: 'TCPMEM_TRIPLE_ORDER', file, path: `/hosts/0/changes/${index}/after` })],
    });
  });

  it('lists ten problems and counts the others', async () => {
    const file = await editedPlan('many.json', (plan) => {
      for (const host of plan.hosts) for (const change of host.changes) change.after = change.after!.map(() => -1);
    });
    expect(() => loadPlanFile(file)).toThrow(expect.objectContaining({ code: 'TCPMEM_UNSAFE_PLAN', message: expect.stringMatching(/\n {4}… and \d+ more \(--json lists each\)$/) }));
  });

  it('is still only "a saved plan, not a config" to `tcpmem plan` (TCPMEM_NO_FLEET)', async () => {
    const file = await editedPlan('for-plan.json', (plan) => {
      plan.hosts[0]!.changes[0]!.after = [4294967296];
    });
    await expect(makePlan(file, { offline: true, targets: [], excludes: [], parallelism: 1, tcpmemVersion: 't' })).rejects.toMatchObject({ code: 'TCPMEM_NO_FLEET' });
  });
});

describe('loadPlanFile takes every plan tcpmem writes', () => {
  const temp = tempDir({});
  afterAll(() => temp.remove());
  // the benchmark's generators: every config form (synthetic), real captures varied per host (discovered facts)
  const requireJs = createRequire(__filename);
  const synthetic = requireJs('../../../../bench/plan/generate-fleet.js') as { generate: (o: { hosts: number; out: string; seed: number; perFile: number; format: string }) => unknown };
  const discovered = requireJs('../../../../bench/plan/generate-discovered-fleet.js') as { generate: (o: { hosts: number; out: string; seed: number; perFile: number }) => unknown };

  it.each<[string, () => string]>([
    ['examples/web-fleet', () => path.join(examples, 'web-fleet')],
    ['examples/mixed-fleet', () => path.join(examples, 'mixed-fleet')],
    ['examples/transfer-cluster', () => path.join(examples, 'transfer-cluster')],
    ['a bench fleet of 200 hosts (generate-fleet.js --hosts 200)', () => {
      const out = path.join(temp.dir, 'synthetic');
      synthetic.generate({ hosts: 200, out, seed: 1, perFile: 1000, format: 'yaml' });
      return out;
    }],
    ['a discovered bench fleet of 200 hosts (generate-discovered-fleet.js --hosts 200)', () => {
      const out = path.join(temp.dir, 'discovered');
      discovered.generate({ hosts: 200, out, seed: 1, perFile: 1000 });
      return out;
    }],
  ])('%s, planned offline and saved', async (_what, config) => {
    const { plan } = await makePlan(config(), { offline: true, targets: [], excludes: [], parallelism: 1, tcpmemVersion: 't' });
    expect(plan.summary.hostsWithChanges).toBeGreaterThan(0);
    const file = path.join(temp.dir, `plan-${plan.summary.hosts}-${plan.summary.create}.json`);
    fs.writeFileSync(file, JSON.stringify(plan));
    expect(loadPlanFile(file)).toEqual(JSON.parse(JSON.stringify(plan)));
  });
});
