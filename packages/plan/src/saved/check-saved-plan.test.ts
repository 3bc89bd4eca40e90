import path from 'node:path';
import type { Change, HostFacts, HostPlan, Plan } from '@tcpmem/schema';
import { loadFleet } from '../load';
import { createKernelLookup } from '../memo';
import type { Observation } from '../observe/observation';
import { planFleet } from '../plan-fleet';
import { checkSavedPlan } from './check-saved-plan';

const examples = path.resolve(__dirname, '../../../../examples');

/**
 * What `tcpmem plan --out` saves for examples/web-fleet, as the file holds it (through JSON): offline, or with
 * web-1 and cache-1 read live — tcpmem's file holding two settings, one of them no longer in the config (a
 * delete), the other as desired (a no-op on web-1, an update of the file on cache-1), and a later sysctl.d file
 * that overrides one. `liveFacts`: the facts the live read found besides (none by default).
 */
function savedPlan(mode: 'offline' | 'live', liveFacts?: HostFacts): Plan {
  const fleet = loadFleet(path.join(examples, 'web-fleet')).fleet!;
  const observations = new Map<string, Observation>();
  if (mode === 'live') {
    const live = (name: string, rmemMax: number, ownSomaxconn: number): Observation => ({
      source: 'live',
      release: liveFacts?.release ?? '6.1.0-26-cloud-amd64',
      sysctls: new Map<string, readonly number[]>([
        ['net.core.somaxconn', [8192]],
        ['net.ipv4.tcp_max_syn_backlog', [1024]],
        ['net.ipv4.tcp_rmem', [4096, 131072, rmemMax]],
        ['net.ipv4.tcp_wmem', [4096, 16384, 4194304]],
        ['net.ipv4.tcp_max_tw_buckets', [131072]],
        ['net.ipv4.tcp_mem', [94000, 125000, 188000]],
      ]),
      persisted: {
        file: '/etc/sysctl.d/99-tcpmem.conf',
        own: new Map<string, readonly number[]>([
          ['net.core.somaxconn', [ownSomaxconn]],
          ['net.ipv4.tcp_rmem', [4096, 131072, rmemMax]],
        ]),
        overriding: new Map([['net.ipv4.tcp_max_syn_backlog', { file: `/etc/sysctl.d/zz-${name}.conf`, values: [1024] }]]),
        // web-1's own 50-local.conf sets what tcpmem's file sets too: what a delete of it restores
        beneath: name === 'web-1' ? new Map([['net.core.somaxconn', { file: '/etc/sysctl.d/50-local.conf', values: [2048] }]]) : new Map(),
      },
      facts: liveFacts,
    });
    observations.set('web-1', live('web-1', 8388608, 8192));
    observations.set('cache-1', live('cache-1', 6291456, 4096));
  }
  const plan = planFleet(fleet, {
    mode,
    createdAt: '2026-12-05T00:00:00.000Z',
    tcpmemVersion: 'test',
    configPath: 'examples/web-fleet',
    digest: undefined,
    observations,
    kernelFor: createKernelLookup(),
    hostIndexes: fleet.hosts.map((_h, i) => i),
    problems: [],
  });
  return JSON.parse(JSON.stringify(plan)) as Plan;
}

const file = 'plan.json';
const hostIndex = (plan: Plan, name: string): number => plan.hosts.findIndex((h) => h.name === name);
const changeIndex = (host: HostPlan, sysctl: string): number => host.changes.findIndex((c) => c.sysctl === sysctl);

/** Edits one change of one host and returns the JSON pointer of the change. */
function edit(plan: Plan, host: string, sysctl: string, how: (change: Change) => void): string {
  const h = hostIndex(plan, host);
  const c = changeIndex(plan.hosts[h]!, sysctl);
  how(plan.hosts[h]!.changes[c]!);
  return `/hosts/${h}/changes/${c}`;
}

describe('checkSavedPlan', () => {
  it.each(['offline', 'live'] as const)('finds nothing wrong in a plan tcpmem wrote (%s)', (mode) => {
    const plan = savedPlan(mode);
    // the live plan has every kind of change, so each rule below is exercised by a plan tcpmem wrote
    if (mode === 'live') expect(new Set(plan.hosts.flatMap((h) => h.changes.map((c) => c.action)))).toEqual(new Set(['create', 'update', 'delete', 'no-op']));
    expect(checkSavedPlan(plan, file)).toEqual([]);
  });

  it("finds nothing wrong when the config's hardware.kernel is not the release the host runs (the host's release wins)", () => {
    const plan = savedPlan('live', { release: '6.18.44', version: 'Linux version 6.18.44 (builder@host) #1 SMP' });
    const web1 = plan.hosts[hostIndex(plan, 'web-1')]!;
    expect(web1.kernel).toMatchObject({ release: '6.18.44', series: '6.18' });
    expect(web1.observed?.release).toBe('6.18.44');
    expect(checkSavedPlan(plan, file)).toEqual([]);
  });

  it('accepts a delete that restores what another sysctl.d file of the host sets at boot (its observed beneath)', () => {
    const plan = savedPlan('live');
    const before = plan.hosts[hostIndex(plan, 'web-1')]!.changes.find((c) => c.sysctl === 'net.core.somaxconn')!.action;
    edit(plan, 'web-1', 'net.core.somaxconn', (c) => {
      c.action = 'delete';
      c.after = [2048];
    });
    plan.summary = { ...plan.summary, [before === 'no-op' ? 'noop' : before]: plan.summary[before === 'no-op' ? 'noop' : before] - 1, delete: plan.summary.delete + 1 };
    const hostsWithChanges = plan.hosts.filter((h) => h.changes.some((c) => c.action !== 'no-op')).length;
    plan.summary.hostsWithChanges = hostsWithChanges;
    expect(checkSavedPlan(plan, file)).toEqual([]);
  });

  it('refuses a triple edited out of order, naming the file, the host and the change (TCPMEM_TRIPLE_ORDER)', () => {
    const plan = savedPlan('live');
    const at = edit(plan, 'web-1', 'net.ipv4.tcp_wmem', (c) => (c.after = [8388608, 16384, 4096]));
    expect(checkSavedPlan(plan, file)).toEqual([
      expect.objectContaining({ code: 'TCPMEM_TRIPLE_ORDER', severity: 'error', file, path: `${at}/after`, message: 'web-1: net.ipv4.tcp_wmem 8388608 16384 4096 is not non-decreasing (min ≤ default ≤ max)' }),
    ]);
  });

  it.each<[string, string, string, (c: Change) => void, RegExp]>([
    ['an int the kernel refuses', 'web-1', 'net.core.somaxconn', (c) => (c.after = [4294967296]), /web-1: net.core.somaxconn 4294967296: kernel 6.1.0-26-cloud-amd64 would reject it: .*does not fit an int/],
    ['an element below the kernel minimum', 'web-2', 'net.ipv4.tcp_wmem', (c) => (c.after = [0, 16384, 8388608]), /web-2: net.ipv4.tcp_wmem 0 16384 8388608: kernel .* would reject min \(0\)/],
    ['a negative unsigned long (refused from 5.17)', 'cache-1', 'net.ipv4.tcp_mem', (c) => (c.after = [-1, 125000, 188000]), /cache-1: net.ipv4.tcp_mem -1 125000 188000: kernel .* would reject low \(-1\)/],
  ])('refuses %s as the planner does (TCPMEM_KERNEL_REJECTS)', (_what, host, sysctl, how, message) => {
    const plan = savedPlan('live');
    const at = edit(plan, host, sysctl, how);
    const problems = checkSavedPlan(plan, file);
    expect(problems.map((p) => [p.code, p.path])).toContainEqual(['TCPMEM_KERNEL_REJECTS', `${at}/after`]);
    expect(problems.find((p) => p.code === 'TCPMEM_KERNEL_REJECTS')?.message).toMatch(message);
  });

  it("refuses a sysctl the host's kernel series does not have (TCPMEM_SYSCTL_UNAVAILABLE)", () => {
    const plan = savedPlan('offline');
    const h = hostIndex(plan, 'web-2');
    const host = plan.hosts[h]!;
    host.kernel = { release: '4.19.0-27-amd64', series: '4.19' };
    delete host.observed;
    plan.summary = { ...plan.summary, create: plan.summary.create - host.changes.length + 1 };
    host.changes = [{ sysctl: 'net.ipv4.tcp_child_ehash_entries', action: 'create', before: null, after: [1024], unit: 'count', reason: 'crafted' }];
    const problems = checkSavedPlan(plan, file);
    expect(problems).toEqual([expect.objectContaining({ code: 'TCPMEM_SYSCTL_UNAVAILABLE', path: `/hosts/${h}/changes/0/sysctl` })]);
  });

  it.each<[string, (plan: Plan) => string]>([
    ['a no-op that would put another value in tcpmem\'s file', (p) => `${edit(p, 'web-1', 'net.core.somaxconn', (c) => (c.after = [16384]))}/after`],
    ['a before that is not what was observed', (p) => `${edit(p, 'web-1', 'net.ipv4.tcp_wmem', (c) => (c.before = [4096, 16384, 8388608]))}/before`],
    ['a persistedBefore that is not what was observed', (p) => `${edit(p, 'cache-1', 'net.ipv4.tcp_rmem', (c) => (c.persistedBefore = [4096, 131072, 1]))}/persistedBefore`],
    ['a delete to something else than the kernel default', (p) => `${edit(p, 'web-1', 'net.ipv4.tcp_rmem', (c) => { c.action = 'delete'; c.after = [4096, 131072, 16777216]; })}/after`],
    ['a delete to the kernel default where another file of the host sets another value at boot', (p) => `${edit(p, 'web-1', 'net.core.somaxconn', (c) => { c.action = 'delete'; c.after = c.kernelDefault ?? null; })}/after`],
    ['a sysctl tcpmem does not manage', (p) => `${edit(p, 'web-2', 'net.core.somaxconn', (c) => (c.sysctl = 'kernel.core_pattern'))}/sysctl`],
    ['a value of the wrong count', (p) => `${edit(p, 'web-2', 'net.ipv4.tcp_wmem', (c) => (c.after = [4096, 16384]))}/after`],
    ['a sysctl changed twice', (p) => {
      const h = hostIndex(p, 'web-2');
      p.hosts[h]!.changes.push({ ...p.hosts[h]!.changes[0]! });
      p.summary.create += 1;
      return `/hosts/${h}/changes/${p.hosts[h]!.changes.length - 1}/sysctl`;
    }],
    ['a host twice', (p) => {
      p.hosts.push({ ...p.hosts[0]! });
      p.summary = { ...p.summary, hosts: p.summary.hosts + 1, hostsWithChanges: p.summary.hostsWithChanges + 1, create: p.summary.create + p.hosts[0]!.changes.length };
      return `/hosts/${p.hosts.length - 1}/name`;
    }],
    ['an observation edited behind its fingerprint', (p) => {
      const h = hostIndex(p, 'web-1');
      p.hosts[h]!.observed!.persisted!['net.ipv4.tcp_wmem'] = '4096 16384 8388608';
      return `/hosts/${h}/observed`;
    }],
    ['a kernel release that is none', (p) => {
      const h = hostIndex(p, 'web-2');
      p.hosts[h]!.kernel!.release = 'latest';
      return `/hosts/${h}/kernel/release`;
    }],
    ['a host with changes and no kernel', (p) => {
      const h = hostIndex(p, 'web-2');
      delete p.hosts[h]!.kernel;
      return `/hosts/${h}/kernel`;
    }],
    ['an invalid host with changes', (p) => {
      const h = hostIndex(p, 'web-2');
      p.hosts[h]!.status = 'invalid';
      p.summary.invalid += 1;
      return `/hosts/${h}/status`;
    }],
    ['a summary that hides an invalid host', (p) => {
      const h = hostIndex(p, 'web-2');
      p.hosts[h]!.status = 'invalid';
      p.hosts[h]!.changes = [];
      return '/summary/invalid';
    }],
  ])('refuses %s (TCPMEM_UNSAFE_PLAN)', (_what, tamper) => {
    const plan = savedPlan('live');
    const at = tamper(plan);
    const problems = checkSavedPlan(plan, file);
    expect(problems.map((p) => p.path)).toContain(at);
    expect(problems.find((p) => p.path === at)).toMatchObject({ code: 'TCPMEM_UNSAFE_PLAN', severity: 'error', file });
  });

  it('shows a host name that holds control characters as a JSON string, so that it cannot forge the error', () => {
    const plan = savedPlan('live');
    const h = hostIndex(plan, 'web-1');
    plan.hosts[h]!.name = 'web-1\u001b[2J\nforged\u009b\u202e';
    edit(plan, 'web-1\u001b[2J\nforged\u009b\u202e', 'net.ipv4.tcp_wmem', (c) => (c.after = [8388608, 16384, 4096]));
    expect(checkSavedPlan(plan, file).map((p) => p.message)).toEqual(['"web-1\\u001b[2J\\nforged\\u009b\\u202e": net.ipv4.tcp_wmem 8388608 16384 4096 is not non-decreasing (min ≤ default ≤ max)']);
  });

  it('accepts a write only a backport the release string hides refuses (the planner may have known the sublevel)', () => {
    const plan = savedPlan('offline');
    // what the planner writes for web-2 when its facts' /proc/version says 6.1.112, which accepts tcp_rmem min 2048
    const at = edit(plan, 'web-2', 'net.ipv4.tcp_wmem', (c) => {
      c.sysctl = 'net.ipv4.tcp_rmem';
      c.before = [4096, 131072, 6291456];
      c.after = [2048, 131072, 6291456];
      c.kernelDefault = [4096, 131072, 6291456];
    });
    expect(at).toMatch(/changes/);
    expect(checkSavedPlan(plan, file)).toEqual([]);
  });
});
