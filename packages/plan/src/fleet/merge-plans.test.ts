import path from 'node:path';
import type { Plan } from '@tcpmem/schema';
import { loadFleet } from '../load';
import { createKernelLookup } from '../memo/kernel-lookup';
import { planFleet } from '../plan-fleet';
import { mergePlans } from './merge-plans';
import { shardOfHost } from './shard';

const examples = path.resolve(__dirname, '../../../../examples');

function planOf(example: string, keep: (name: string) => boolean, createdAt = '2026-12-01T00:00:00.000Z'): Plan {
  const load = loadFleet(path.join(examples, example));
  const fleet = load.fleet!;
  const hostIndexes = fleet.hosts.flatMap((h, i) => (keep(h.name) ? [i] : []));
  return planFleet(fleet, {
    mode: 'offline',
    createdAt,
    tcpmemVersion: '0.0.0-test',
    configPath: example,
    digest: 'sha256:same',
    observations: new Map(),
    kernelFor: createKernelLookup(),
    hostIndexes,
    problems: load.problems,
  });
}

describe('mergePlans', () => {
  it.each([
    ['mixed-fleet', 2],
    ['mixed-fleet', 3],
    ['web-fleet', 4],
  ])('joins the %s plans of %i shards into the unsharded plan', (example, count) => {
    const whole = planOf(example, () => true);
    const parts = Array.from({ length: count }, (_, i) => ({
      file: `shard-${i + 1}.json`,
      plan: planOf(example, (name) => shardOfHost(name, count) === i + 1, `2026-12-01T00:00:0${i}.000Z`),
    }));
    expect(parts.filter((p) => p.plan.hosts.length > 0).length).toBeGreaterThan(1);
    const merged = mergePlans(parts.reverse());
    expect(merged).toEqual({ ok: true, plan: whole });
  });

  it('refuses a host planned in two shards, plans of another config, and a mix of live and offline', () => {
    const a = planOf('web-fleet', () => true);
    const other = { ...a, config: { ...a.config, digest: 'sha256:other' } };
    const live: Plan = { ...a, mode: 'live', hosts: [] };
    const merged = mergePlans([
      { file: 'a.json', plan: a },
      { file: 'b.json', plan: { ...a, hosts: a.hosts.slice(0, 1) } },
      { file: 'c.json', plan: { ...other, hosts: [] } },
      { file: 'd.json', plan: live },
    ]);
    expect(merged.ok ? [] : merged.problems.map((p) => p.message)).toEqual([
      `host ${a.hosts[0]!.name} is in both a.json and b.json`,
      'c.json was planned from another config than a.json (config digest sha256:other ≠ sha256:same)',
      'd.json is planned live, but a.json offline',
    ]);
  });
});
