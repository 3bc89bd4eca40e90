import type { Observation as PlanObservation } from '@tcpmem/schema';
import type { Observation } from '@tcpmem/plan';
import { describeStale, staleSettings } from './stale';

const planned: PlanObservation = {
  fingerprint: 'sha256:x',
  sysctls: { 'net.core.somaxconn': '4096' },
  persisted: {},
  overriding: { 'net.ipv4.tcp_rmem': { file: '/etc/sysctl.d/zz-a.conf', value: '4096 131072 6291456' } },
};
const now = (overriding: [string, string, number[]][]): Observation => ({
  source: 'live',
  release: undefined,
  facts: undefined,
  sysctls: new Map([['net.core.somaxconn', [4096]]]),
  persisted: { file: '/etc/sysctl.d/99-tcpmem.conf', own: new Map(), overriding: new Map(overriding.map(([n, file, values]) => [n, { file, values }])), beneath: new Map() },
});

describe('staleSettings: files that override tcpmem at boot', () => {
  it.each([
    ['nothing when the overriding files are as planned', [['net.ipv4.tcp_rmem', '/etc/sysctl.d/zz-a.conf', [4096, 131072, 6291456]]], []],
    [
      'a file added since',
      [['net.ipv4.tcp_rmem', '/etc/sysctl.d/zz-a.conf', [4096, 131072, 6291456]], ['net.core.somaxconn', '/run/sysctl.d/zz-b.conf', [7777]]],
      [{ sysctl: 'net.core.somaxconn', where: 'override', planned: null, now: '7777', file: '/run/sysctl.d/zz-b.conf' }],
    ],
    ['a file removed since', [], [{ sysctl: 'net.ipv4.tcp_rmem', where: 'override', planned: '4096 131072 6291456', now: null, file: '/etc/sysctl.d/zz-a.conf' }]],
    [
      'the same value from another file',
      [['net.ipv4.tcp_rmem', '/etc/sysctl.d/zz-c.conf', [4096, 131072, 6291456]]],
      [{ sysctl: 'net.ipv4.tcp_rmem', where: 'override', planned: '4096 131072 6291456', now: '4096 131072 6291456', file: '/etc/sysctl.d/zz-c.conf' }],
    ],
  ] as [string, [string, string, number[]][], unknown[]][])('names %s', (_what, overriding, stale) => {
    expect(staleSettings(planned, now(overriding))).toEqual(stale);
  });

  it('says which file overrides tcpmem in its message', () => {
    expect(describeStale(staleSettings(planned, now([])))).toBe("net.ipv4.tcp_rmem (set by /etc/sysctl.d/zz-a.conf, which overrides tcpmem's file at boot: planned from 4096 131072 6291456, now absent)");
  });
});
