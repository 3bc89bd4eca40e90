import { createHash } from 'node:crypto';
import { fingerprint, type PersistedState } from './observation';

const sysctls = new Map<string, readonly number[]>([['net.core.somaxconn', [4096]]]);
const persisted = (overriding: [string, string, number[]][]): PersistedState => ({
  file: '/etc/sysctl.d/99-tcpmem.conf',
  own: new Map([['net.core.somaxconn', [4096]]]),
  overriding: new Map(overriding.map(([name, file, values]) => [name, { file, values }])),
});

describe('fingerprint', () => {
  it('is, without overriding files, the digest earlier versions made (their saved plans stay valid)', () => {
    const before = `sha256:${createHash('sha256').update(JSON.stringify({ sysctls: [['net.core.somaxconn', [4096]]], own: [['net.core.somaxconn', [4096]]] })).digest('hex')}`;
    expect(fingerprint(sysctls, persisted([]))).toBe(before);
  });

  type Overriding = [string, string, number[]][];
  const other: Overriding = [['net.core.somaxconn', '/etc/sysctl.d/zz-other.conf', [7777]]];
  it.each([
    ['a file that overrides tcpmem appears', [], other],
    ['the overriding value comes from another file', other, [['net.core.somaxconn', '/run/sysctl.d/zz-other.conf', [7777]]]],
    ['the overriding value changes', other, [['net.core.somaxconn', '/etc/sysctl.d/zz-other.conf', [7778]]]],
    ['the overriding file is removed', other, []],
  ] as [string, Overriding, Overriding][])('changes when %s', (_what, before, after) => {
    expect(fingerprint(sysctls, persisted(after))).not.toBe(fingerprint(sysctls, persisted(before)));
  });
});
