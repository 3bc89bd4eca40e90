import { hostsInShard, parseShard, shardOfHost } from './shard';

const fleet = (n: number, prefix = 'web-') => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i + 1}` }));

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 3 / 3 ', { index: 3, count: 3 }],
  ])('reads %j', (text, shard) => {
    expect(parseShard(text)).toEqual({ ok: true, shard });
  });

  it.each(['0/4', '5/4', '1/0', '2', 'a/b', '1/65537', '-1/2', '1.5/3'])('refuses %j, naming the form', (text) => {
    const parsed = parseShard(text);
    expect(parsed.ok ? 'accepted' : parsed.message).toContain('I/N');
  });
});

describe('hostsInShard', () => {
  it.each([2, 3, 7, 16])('splits a fleet into %i shards whose union is the fleet, with no host twice', (count) => {
    const hosts = fleet(5000);
    const parts = Array.from({ length: count }, (_, i) => hostsInShard(hosts, { index: i + 1, count }));
    const union = parts.flat().map((h) => h.name);
    expect(union.length).toBe(hosts.length);
    expect(new Set(union).size).toBe(hosts.length);
    // and roughly evenly: every shard within 15 % of its fair share
    for (const part of parts) expect(Math.abs(part.length - hosts.length / count)).toBeLessThan(0.15 * (hosts.length / count));
  });

  it('moves no existing host when hosts are added', () => {
    const before = fleet(3000);
    const after = [...before, ...fleet(500, 'new-')];
    for (const h of before) expect(shardOfHost(h.name, 5)).toBe(shardOfHost(h.name, 5));
    const shard = { index: 2, count: 5 };
    const old = new Set(hostsInShard(before, shard).map((h) => h.name));
    const now = hostsInShard(after, shard).map((h) => h.name);
    expect(now.filter((n) => !n.startsWith('new-'))).toEqual([...old]);
  });

  // Pinned: controllers running different tcpmem versions must split a fleet the same way, so the hash never changes.
  it.each([
    ['web-1', 4, 3],
    ['db-17', 4, 1],
    ['cache-3', 1000, 451],
    ['anything', 1, 1],
  ])('puts %s in shard %#: of %i, number %i, on every machine and version', (name, count, shard) => {
    expect(shardOfHost(name, count)).toBe(shard);
  });
});
