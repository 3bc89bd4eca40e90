import { createHash } from 'node:crypto';
import { fingerprint, type PersistedState } from './observation';

const sysctls = new Map<string, readonly number[]>([['net.core.somaxconn', [4096]]]);
const persisted = (overriding: [string, string, number[]][]): PersistedState => ({
  file: '/etc/sysctl.d/99-tcpmem.conf',
  own: new Map([['net.core.somaxconn', [4096]]]),
  overriding: new Map(overriding.map(([name, file, values]) => [name, { file, values }])),
  beneath: new Map(),
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

describe('fingerprint, written without intermediate arrays', () => {
  /** The fingerprint as every version before made it. */
  function earlier(sysctls: ReadonlyMap<string, readonly number[]>, persisted: PersistedState | undefined): string {
    const overriding = persisted === undefined ? [] : [...persisted.overriding.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, e]) => [name, e.file, e.values]);
    const canonical = JSON.stringify({
      sysctls: [...sysctls.entries()].sort(([a], [b]) => a.localeCompare(b)),
      own: persisted === undefined ? null : [...persisted.own.entries()].sort(([a], [b]) => a.localeCompare(b)),
      ...(overriding.length === 0 ? {} : { overriding }),
    });
    return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
  }
  const names = ['net.ipv4.tcp_mem', 'net.core.somaxconn', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'net.core.rmem_max', 'vm.min_free_kbytes', 'net.ipv4.udp_mem', 'net.ipv4.tcp_max_orphans', 'net.ipv4.tcp_ehash_entries', 'net.ipv4.tcp-odd"name\\', 'Net.Upper', 'net.ipv4.tcp_mem2', 'net_ipv4', 'net.ipv4.é'];
  const values: readonly (readonly number[])[] = [[4096], [0], [-0], [1, 2, 3], [2 ** 53 + 2], [1e21], [1.5], [-1, 0, 2 ** 64], [NaN, Infinity, -Infinity], []];
  /** Maps of the names in many orders and subsets, each with values picked in turn. */
  const maps = Array.from({ length: 60 }, (_, i) => {
    const picked = names.filter((_, j) => (i * 7 + j * 3) % 5 !== 0 || i % 4 === 0);
    const order = i % 2 === 0 ? picked : [...picked].reverse();
    return new Map(order.map((name, j): [string, readonly number[]] => [name, values[(i + j) % values.length] ?? []]));
  });
  it.each(maps.map((m, i) => [i, m] as const))('is the digest earlier versions made, map %i, whatever its order and values', (_i, map) => {
    expect(fingerprint(map, undefined)).toBe(earlier(map, undefined));
    const own = new Map([...map].slice(0, 3));
    const overriding = new Map([...map].slice(1, 2).map(([name, v]): [string, { file: string; values: readonly number[] }] => [name, { file: '/etc/sysctl.d/zz.conf', values: v }]));
    const state: PersistedState = { file: '/etc/sysctl.d/99-tcpmem.conf', own, overriding, beneath: new Map() };
    expect(fingerprint(map, state)).toBe(earlier(map, state));
    expect(fingerprint(new Map(), state)).toBe(earlier(new Map(), state));
  });
});

describe('fingerprint of what another file sets beneath tcpmem\'s', () => {
  it('changes when that file\'s value changes (a plan restoring it is then stale), and not without such a file', () => {
    const state = (values: number[] | undefined): PersistedState => ({ ...persisted([]), beneath: values === undefined ? new Map() : new Map([['net.core.somaxconn', { file: '/etc/sysctl.d/50-local.conf', values }]]) });
    expect(fingerprint(sysctls, state([2048]))).not.toBe(fingerprint(sysctls, state([1024])));
    expect(fingerprint(sysctls, state([2048]))).not.toBe(fingerprint(sysctls, state(undefined)));
    expect(fingerprint(sysctls, state(undefined))).toBe(fingerprint(sysctls, persisted([])));
  });
});
