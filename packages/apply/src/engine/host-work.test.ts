import type { Change, HostPlan } from '@tcpmem/schema';
import { fileText, planHostWork, UnsafePlanError } from './host-work';

const change = (sysctl: string, action: Change['action'], before: number[] | null, after: number[] | null, extra: Partial<Change> = {}): Change => ({
  sysctl,
  action,
  before,
  after,
  unit: 'count',
  reason: 'test',
  ...extra,
});

const host = (changes: Change[], persisted: Record<string, string> = {}, sysctls: Record<string, string> = {}, extra: Partial<HostPlan> = {}): HostPlan => ({
  name: 'web-1',
  status: 'ok',
  source: 'live',
  groups: [],
  kernel: { release: '6.1.0-26-amd64', series: '6.1' },
  observed: { fingerprint: 'sha256:x', release: '6.1.0-26-amd64', sysctls: { 'net.core.somaxconn': '4096', 'net.ipv4.tcp_rmem': '4096 131072 6291456', ...sysctls }, persisted },
  changes,
  problems: [],
  ...extra,
});

describe('planHostWork', () => {
  it('writes creates and updates live, and puts every managed value in the file, sorted', () => {
    const work = planHostWork(
      host([change('net.ipv4.tcp_rmem', 'update', [4096, 131072, 6291456], [4096, 131072, 8388608], { drift: 'both' }), change('net.core.somaxconn', 'create', [4096], [8192])], { 'net.ipv4.tcp_rmem': '4096 131072 6291456' }),
    );
    expect(work.writes.map((w) => [w.sysctl, w.path, w.values])).toEqual([
      ['net.ipv4.tcp_rmem', '/proc/sys/net/ipv4/tcp_rmem', [4096, 131072, 8388608]],
      ['net.core.somaxconn', '/proc/sys/net/core/somaxconn', [8192]],
    ]);
    expect(work.fileEntries).toEqual([
      ['net.core.somaxconn', [8192]],
      ['net.ipv4.tcp_rmem', [4096, 131072, 8388608]],
    ]);
    expect(work).toMatchObject({ fileChanged: true, empty: false });
  });

  it.each([
    ['a no-op host', [change('net.core.somaxconn', 'no-op', [8192], [8192])], { 'net.core.somaxconn': '8192' }, true, 0, false],
    ['file-only drift: no live write, the file is rewritten', [change('net.core.somaxconn', 'update', [8192], [8192], { drift: 'file-only' })], { 'net.core.somaxconn': '4096' }, false, 0, true],
    ['live-only drift: a live write, the file stays', [change('net.core.somaxconn', 'update', [4096], [8192], { drift: 'live-only' })], { 'net.core.somaxconn': '8192' }, false, 1, false],
  ] as const)('%s', (_name, changes, persisted, empty, writes, fileChanged) => {
    const work = planHostWork(host([...changes], persisted));
    expect(work.empty).toBe(empty);
    expect(work.writes).toHaveLength(writes);
    expect(work.fileChanged).toBe(fileChanged);
  });

  it('restores a deleted setting to its kernel default live and drops it from the file (the file goes when empty)', () => {
    const work = planHostWork(host([change('net.core.somaxconn', 'delete', [8192], [4096], { persistedBefore: [8192] })], { 'net.core.somaxconn': '8192' }));
    expect(work.writes).toMatchObject([{ sysctl: 'net.core.somaxconn', values: [4096], action: 'delete' }]);
    expect(work.fileEntries).toEqual([]);
    expect(work).toMatchObject({ fileChanged: true, fileExisted: true });
  });

  it('drops only the line of a deleted setting whose kernel default is unknown', () => {
    const work = planHostWork(host([change('net.core.somaxconn', 'delete', [8192], null)], { 'net.core.somaxconn': '8192' }));
    expect(work.writes).toEqual([]);
    expect(work.fileChanged).toBe(true);
  });

  it('reports a setting the host does not have (a whole-host sysctl in a network namespace) instead of writing it', () => {
    const work = planHostWork(host([change('net.ipv4.tcp_mem', 'create', null, [1000, 2000, 3000], { unit: 'pages' })]));
    expect(work.writes).toEqual([]);
    expect(work.fileEntries).toEqual([]);
    expect(work.unavailable).toEqual([{ sysctl: 'net.ipv4.tcp_mem', reason: expect.stringMatching(/does not have net\.ipv4\.tcp_mem: .*global.*network namespace/) as unknown }]);
  });

  it("carries the planner's TCPMEM_SYSCTL_NOT_ON_HOST warnings as unavailable settings", () => {
    const work = planHostWork(
      host([], {}, {}, { problems: [{ code: 'TCPMEM_SYSCTL_NOT_ON_HOST', severity: 'warning', message: 'net.ipv4.tcp_mem is not in this host\'s /proc/sys', path: '/hosts/web-1/sysctls/net.ipv4.tcp_mem' }] }),
    );
    expect(work.unavailable.map((u) => u.sysctl)).toEqual(['net.ipv4.tcp_mem']);
  });

  it('names the file that would shadow tcpmem at boot', () => {
    const work = planHostWork(host([change('net.core.somaxconn', 'create', [4096], [8192], { shadowedBy: '/etc/sysctl.d/zz-local.conf' })]));
    expect(work.shadowed).toEqual([{ sysctl: 'net.core.somaxconn', by: '/etc/sysctl.d/zz-local.conf' }]);
  });

  it.each([
    ['a name outside the registry', change('kernel.core_pattern', 'create', null, [1])],
    ['a name that is not managed', change('net.ipv4.tcp_ehash_entries', 'create', [1], [2])],
    ['a fraction', change('net.core.somaxconn', 'create', [4096], [1.5])],
    ['a value too large to be exact', change('net.core.somaxconn', 'create', [4096], [2 ** 60])],
    ['a triple with two values', change('net.ipv4.tcp_rmem', 'create', [1, 2, 3], [1, 2])],
    ['a string smuggled into the values', change('net.core.somaxconn', 'create', [4096], ['1; reboot' as unknown as number])],
  ])('refuses a plan with %s', (_name, bad) => {
    expect(() => planHostWork(host([bad]))).toThrow(UnsafePlanError);
  });

  it.each([
    ['update', 'an update'],
    ['create', 'a create'],
    ['no-op', 'a no-op'],
  ] as const)('refuses a plan with %s to no value, saying "%s without a value"', (action, named) => {
    expect(() => planHostWork(host([change('net.core.somaxconn', action, [4096], null)]))).toThrow(`net.core.somaxconn: ${named} without a value`);
  });
});

describe('fileText', () => {
  it('is a header naming the host and the version, then one line per sysctl', () => {
    expect(fileText([['net.core.somaxconn', [8192]], ['net.ipv4.tcp_rmem', [4096, 131072, 8388608]]], { host: 'web-1', tcpmemVersion: '0.1.0' })).toBe(
      '# Managed by tcpmem: do not edit. `tcpmem apply` rewrites this file, and drops a setting once it leaves the config.\n' +
        '# host web-1, tcpmem 0.1.0\n' +
        'net.core.somaxconn = 8192\n' +
        'net.ipv4.tcp_rmem = 4096 131072 8388608\n',
    );
  });
});
