import path from 'node:path';
import type { Fleet } from '@tcpmem/schema';
import { inlineFleetFile, loadFleetConfig } from './load-fleet-config';

const examples = path.resolve(__dirname, '../../../../examples');

describe('loadFleetConfig', () => {
  it('takes a fleet as an object, validated like a file', () => {
    const load = loadFleetConfig({ kind: 'fleet', defaults: { sysctls: { 'net.core.somaxconn': 'lots' } }, hosts: {} } as unknown as Fleet);
    expect(load.ok).toBe(false);
    expect(!load.ok && load.problems[0]).toMatchObject({ code: 'TCPMEM_SCHEMA', file: inlineFleetFile, path: '/defaults/sysctls/net.core.somaxconn', line: 5 });
  });

  it('reports a missing path as a problem', () => {
    expect(loadFleetConfig('/nonexistent/fleet.yaml')).toMatchObject({ ok: false, problems: [{ code: 'TCPMEM_PATH' }] });
  });

  it('locates the problems of a config file by line and column', () => {
    const load = loadFleetConfig(path.join(__dirname, '../../test/fixtures/broken-fleet/fleet.yaml'));
    expect(load.ok).toBe(false);
    expect(!load.ok && load.problems.map((p) => [p.code, p.line])).toEqual([['TCPMEM_SCHEMA', 6]]);
  });
});

describe('loadFleetConfig on the examples', () => {
  it.each(['web-fleet', 'mixed-fleet', 'transfer-cluster', 'pulumi/tcpmem'])('loads examples/%s with its hosts in natural order', (example) => {
    const load = loadFleetConfig(path.join(examples, example));
    expect(load.ok).toBe(true);
    const names = load.ok ? load.fleet.hosts.map((h) => h.name) : [];
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual([...names].sort(new Intl.Collator('en', { numeric: true }).compare));
  });

  it('gives a fleet object the same natural order of hosts as a file', () => {
    const load = loadFleetConfig({ kind: 'fleet', hosts: { 'web-10': { address: 'a' }, 'web-2': { address: 'b' }, 'web-1': { address: 'c' } } });
    expect(load.ok && load.fleet.hosts.map((h) => h.name)).toEqual(['web-1', 'web-2', 'web-10']);
  });
});
