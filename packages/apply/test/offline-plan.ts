/** Offline plans of the example configs, for the unit tests of the engine and the executors. */
import path from 'node:path';
import { createKernelLookup, loadFleet, planFleet } from '@tcpmem/plan';
import type { Plan } from '@tcpmem/schema';

const examples = path.resolve(__dirname, '../../../examples');

/** What `tcpmem plan --offline` makes of an example, for the hosts `keep` selects (every host by default). */
export function offlinePlan(example: string, keep: (hosts: readonly { readonly name: string }[]) => readonly { readonly name: string }[] = (hosts) => hosts): Plan {
  const fleet = loadFleet(path.join(examples, example)).fleet!;
  const kept = new Set(keep(fleet.hosts).map((h) => h.name));
  return planFleet(fleet, {
    mode: 'offline',
    createdAt: '2026-01-01T00:00:00.000Z',
    tcpmemVersion: 'test',
    configPath: example,
    digest: undefined,
    observations: new Map(),
    kernelFor: createKernelLookup(),
    hostIndexes: fleet.hosts.flatMap((h, i) => (kept.has(h.name) ? [i] : [])),
    problems: [],
  });
}
