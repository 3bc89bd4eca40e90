import { joinShards, type ShardRules } from './join-shards';

interface Part {
  readonly file: string;
  readonly config: string;
  readonly hosts: readonly string[];
  readonly shard?: { readonly index: number; readonly count: number };
}

const rules: ShardRules<Part, string> = {
  none: { message: 'nothing to merge', hint: 'Name every shard.' },
  same: [{ path: '/config', of: (p) => p.config, message: (p, first) => `${p.file} has ${p.config}, ${first.file} ${first.config}`, hint: 'One run only.' }],
  hostsOf: (p) => p.hosts,
  nameOf: (host) => host,
  twice: 'One shard a host.',
  shardOf: (p) => p.shard,
};

const part = (file: string, hosts: readonly string[], config = 'c1'): Part => ({ file, config, hosts });
const shard = (file: string, hosts: readonly string[], index: number, count: number): Part => ({ file, config: 'c1', hosts, shard: { index, count } });
const hint = 'Merge the file of every shard of one run once: --shard 1/N … N/N, the same N.';

describe('joinShards', () => {
  it.each([
    ['joins the hosts of every part in natural order', [part('a', ['web-10', 'db-1']), part('b', ['web-2'])], { ok: true, first: part('a', ['web-10', 'db-1']), hosts: ['db-1', 'web-2', 'web-10'] }],
    ['refuses no part at all', [], { ok: false, problems: [{ code: 'TCPMEM_MERGE', severity: 'error', message: 'nothing to merge', hint: 'Name every shard.' }] }],
    [
      'refuses, part by part, a field that differs from the first part and a host in two parts',
      [part('a', ['h1', 'h2']), part('b', ['h2'], 'c2'), part('c', ['h3'])],
      {
        ok: false,
        problems: [
          { code: 'TCPMEM_MERGE', severity: 'error', message: 'b has c2, a c1', file: 'b', path: '/config', hint: 'One run only.' },
          { code: 'TCPMEM_MERGE', severity: 'error', message: 'host h2 is in both a and b', file: 'b', hint: 'One shard a host.' },
        ],
      },
    ],
  ])('%s', (_name, parts, expected) => {
    expect(joinShards(parts, rules)).toEqual(expected);
  });

  it.each<[string, Part[], { ok: boolean; hosts?: string[]; messages?: string[] }]>([
    ['joins every shard of one split, in any order', [shard('s2', ['b'], 2, 3), shard('s1', ['a'], 1, 3), shard('s3', [], 3, 3)], { ok: true, hosts: ['a', 'b'] }],
    ['refuses a shard missing (a failed CI job, a glob that missed a file)', [shard('s1', ['a'], 1, 2)], { ok: false, messages: ['shard 2/2 is missing: 1 of 2 given, so the merge would not be the fleet\'s'] }],
    ['refuses shards of two splits', [shard('s1', ['a'], 1, 2), shard('s2', ['b'], 2, 3)], { ok: false, messages: ['s2 is shard 2/3, but s1 is shard 1/2: not one split of the fleet'] }],
    ['refuses one shard twice', [shard('s1', ['a'], 1, 2), shard('t1', ['b'], 1, 2), shard('s2', ['c'], 2, 2)], { ok: false, messages: ['shard 1/2 is both s1 and t1'] }],
    ['refuses a whole plan among shards', [shard('s1', ['a'], 1, 2), part('all', ['b'])], { ok: false, messages: ['all holds no shard (planned without --shard), but s1 is shard 1/2'] }],
  ])('%s', (_name, parts, expected) => {
    const joined = joinShards(parts, rules);
    if (expected.ok) expect(joined).toMatchObject({ ok: true, hosts: expected.hosts });
    else {
      expect(joined.ok).toBe(false);
      if (!joined.ok) expect(joined.problems.map((p) => [p.message, p.hint])).toEqual((expected.messages ?? []).map((m) => [m, hint]));
    }
  });
});
