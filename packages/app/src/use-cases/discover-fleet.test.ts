import fs from 'node:fs';
import path from 'node:path';
import { examples, refusingFleet, tempDir } from '../../test/temp-config';
import { discoverFleet, factsDirFor, type DiscoveredHost } from './discover-fleet';

describe('factsDirFor', () => {
  it.each([
    ['a fleet file', path.join(examples, 'web-fleet/fleet.yaml'), path.join(examples, 'web-fleet/facts')],
    ['a config folder', path.join(examples, 'web-fleet'), path.join(examples, 'web-fleet/facts')],
  ])('puts facts where the loader looks for them, for %s', (_what, config, dir) => {
    expect(factsDirFor(config)).toBe(dir);
  });
});

describe('discoverFleet', () => {
  it('reports every selected host in the fleet\'s order, whether it has no address or refuses SSH, and writes no file for them', async () => {
    const { dir, remove } = tempDir();
    try {
      const seen: [string, number, number][] = [];
      const report = await discoverFleet(refusingFleet(dir, ['db-10', 'db-2'], ['edge-1']), {
        targets: [],
        excludes: [],
        parallelism: 2,
        connectTimeoutMs: 5000,
        onHost: (result: DiscoveredHost, done, total) => seen.push([result.host, done, total]),
      });
      expect(report.factsDir).toBe(path.join(dir, 'facts'));
      expect(report.hosts.map((h) => [h.host, h.ok, h.code])).toEqual([
        ['db-2', false, 'CONNECT_REFUSED'],
        ['db-10', false, 'CONNECT_REFUSED'],
        ['edge-1', false, 'TCPMEM_NO_ADDRESS'],
      ]);
      expect(seen.map(([, done, total]) => [done, total])).toEqual([[1, 3], [2, 3], [3, 3]]);
      expect(fs.existsSync(report.factsDir)).toBe(false);
    } finally {
      remove();
    }
  });
});
