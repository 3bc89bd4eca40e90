import path from 'node:path';
import { validateDefinition } from '@tcpmem/schema';
import { TcpmemError } from '../errors/errors';
import { examples, refusingFleet, tempDir } from '../../test/temp-config';
import { InvalidConfigError } from './load-selection';
import { makePlan } from './make-plan';
import type { LiveReadProgress } from './read-live-hosts';

const offline = { offline: true, targets: [], excludes: [], parallelism: 4, tcpmemVersion: '9.9.9-test' } as const;
const natural = new Intl.Collator('en', { numeric: true }).compare;

describe('makePlan', () => {
  it.each(['web-fleet', 'mixed-fleet', 'transfer-cluster'])('plans examples/%s offline: a schema-valid plan, hosts in natural order, no host read', async (example) => {
    const progress: LiveReadProgress[] = [];
    const { plan, fleet } = await makePlan(path.join(examples, example), { ...offline, onReadProgress: (p) => progress.push(p) });
    const checked = validateDefinition('Plan', plan);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(plan).toMatchObject({ mode: 'offline', tcpmemVersion: '9.9.9-test', config: { path: path.join(examples, example) } });
    expect(plan.hosts.map((h) => h.name)).toEqual(fleet.hosts.map((h) => h.name));
    expect(plan.hosts.map((h) => h.name)).toEqual([...plan.hosts.map((h) => h.name)].sort(natural));
    expect(progress).toEqual([]);
  });

  it('plans only the hosts --target and --exclude select', async () => {
    const { plan } = await makePlan(path.join(examples, 'web-fleet'), { ...offline, targets: ['frontend'], excludes: ['web-2'] });
    expect(plan.hosts.map((h) => h.name)).toEqual(['web-1', 'web-3', 'web-4']);
  });

  it.each([
    ['a target that names nothing', { targets: ['nope'] }, 'TCPMEM_USAGE', 64, /no host or group is named "nope"/],
    ['an exclude that names nothing', { excludes: ['nope'] }, 'TCPMEM_USAGE', 64, /no host or group is named "nope"/],
    ['an exclude that leaves no host', { excludes: ['*'] }, 'TCPMEM_USAGE', 64, /^no host is left after --exclude "\*": none of the fleet's 6 hosts are selected$/],
    ['an exclude that leaves none of the targets', { targets: ['web-1'], excludes: ['frontend'] }, 'TCPMEM_USAGE', 64, /^no host is left after --target "web-1" --exclude "frontend"/],
    ['an exclude that leaves none in a shard either', { excludes: ['*'], shard: { index: 1, count: 2 } }, 'TCPMEM_USAGE', 64, /^no host is left after --exclude "\*"/],
  ])('refuses %s as a usage error', async (_what, selection, code, exitCode, message) => {
    const made = makePlan(path.join(examples, 'web-fleet'), { ...offline, ...selection });
    await expect(made).rejects.toMatchObject({ code, exitCode, message: expect.stringMatching(message) });
  });

  it('plans no host, with no error, in a shard the hash of the names leaves empty (8 shards of 6 hosts)', async () => {
    const { plan } = await makePlan(path.join(examples, 'web-fleet'), { ...offline, shard: { index: 1, count: 8 } });
    expect(plan.hosts).toEqual([]);
    expect(plan.summary.hosts).toBe(0);
  });

  it('refuses a path that does not exist as TCPMEM_PATH (exit 1)', async () => {
    await expect(makePlan('/nonexistent/fleet.yaml', offline)).rejects.toMatchObject({ code: 'TCPMEM_PATH', exitCode: 1 });
  });

  it('refuses a config with errors with an InvalidConfigError that carries the located problems', async () => {
    const error: unknown = await makePlan(path.join(__dirname, '../../test/fixtures/broken-fleet/fleet.yaml'), offline).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error).toBeInstanceOf(TcpmemError);
    expect((error as InvalidConfigError).problems.map((p) => [p.code, p.line])).toEqual([['TCPMEM_SCHEMA', 6]]);
  });

  it('reads hosts with an address live, reports progress, and plans a host that refuses SSH as unreachable', async () => {
    const { dir, remove } = tempDir();
    try {
      const progress: LiveReadProgress[] = [];
      const { plan } = await makePlan(refusingFleet(dir, ['db-10', 'db-2'], ['edge-1']), { ...offline, offline: false, onReadProgress: (p) => progress.push(p) });
      expect(plan.mode).toBe('live');
      expect(plan.hosts.map((h) => [h.name, h.status, h.source])).toEqual([
        ['db-2', 'unreachable', 'model'],
        ['db-10', 'unreachable', 'model'],
        ['edge-1', 'ok', 'model'],
      ]);
      expect(plan.hosts[0]!.problems.find((p) => p.code === 'TCPMEM_UNREACHABLE')?.message).toMatch(/db-2 could not be read: .*127\.0\.0\.1/);
      expect(progress[0]).toEqual({ done: 0, unreachable: 0, total: 2, finished: false });
      expect(progress.at(-1)).toEqual({ done: 2, unreachable: 2, total: 2, finished: true });
      expect(progress).toHaveLength(4);
    } finally {
      remove();
    }
  });
});
