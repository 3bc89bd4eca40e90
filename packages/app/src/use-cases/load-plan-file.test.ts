import fs from 'node:fs';
import path from 'node:path';
import { examples, tempDir } from '../../test/temp-config';
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
