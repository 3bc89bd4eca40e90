import { joinShards, type ShardRules } from './join-shards';

interface Part {
  readonly file: string;
  readonly config: string;
  readonly hosts: readonly string[];
}

const rules: ShardRules<Part, string> = {
  none: { message: 'nothing to merge', hint: 'Name every shard.' },
  same: [{ path: '/config', of: (p) => p.config, message: (p, first) => `${p.file} has ${p.config}, ${first.file} ${first.config}`, hint: 'One run only.' }],
  hostsOf: (p) => p.hosts,
  nameOf: (host) => host,
  twice: 'One shard a host.',
};

const part = (file: string, hosts: readonly string[], config = 'c1'): Part => ({ file, config, hosts });

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
});
