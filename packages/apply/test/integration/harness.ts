/**
 * The netns test hosts (test-hosts/netns-hosts.sh) for apply's integration tests: bring them up, write a fleet
 * config for them, plan it live with the real planner, and take byte-for-byte snapshots of a host (live values
 * read from inside its namespace, every file of its sysctl folders) that do not go through tcpmem at all.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSysctls } from '@tcpmem/kernel-model';
import { createKernelLookup, layerHost, loadFleet, planFleet, selectHosts, type HostObservation } from '@tcpmem/plan';
import type { Plan } from '@tcpmem/schema';
import type { ApplyReport, HostApplyResult } from '../../src';
import { readHost, readHostKeeping, type SessionPool } from '../../src/remote';
import { NetnsHosts } from '../../../../test-hosts/netns-hosts-state';

/** A host's state as seen from outside tcpmem: live values and the sysctl folders' files, byte for byte. */
export interface Snapshot {
  live: Record<string, string>;
  files: Record<string, string>;
}

/** One process under a host's sshd: its command line and the syscall it sits in (x86-64 numbers), if any. */
export interface SessionProcess {
  pid: number;
  ppid: number;
  state: string;
  cmdline: string[];
  syscall: number | undefined;
}

export type SysctlMap = Record<string, string | number | number[] | Record<string, unknown>>;

/** The shared test hosts (test-hosts/netns-hosts-state.ts), with snapshots, syscall delays and fleet files. */
export class Harness extends NetnsHosts {
  static up(n: number): Harness {
    return new Harness(n, '/tmp/tcpmem-apply-it-');
  }

  /** Every registry sysctl the namespace has, and every file (hidden ones too) of its sysctl folders. */
  snapshot(name: string): Snapshot {
    const h = this.host(name);
    const live: Record<string, string> = {};
    const script = listSysctls()
      .map((s) => `printf '%s=' '${s.name}'; cat ${s.procPath} 2>/dev/null | tr '\\n' ' '; echo`)
      .join('\n');
    for (const line of this.inHost(name, script).split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) live[line.slice(0, at)] = line.slice(at + 1);
    }
    const files: Record<string, string> = {};
    for (const dir of [h.sysctlDir, h.runSysctlDir]) {
      for (const entry of readdirSync(dir)) files[join(dir, entry)] = readFileSync(join(dir, entry), 'latin1');
    }
    return { live, files };
  }

  /**
   * Runs `body` while every test host's sudo refuses the deploy user (the harness's sudoers file set aside), and
   * puts the file back afterwards, whatever `body` did.
   */
  async withSudoRefused<T>(body: () => Promise<T>): Promise<T> {
    const sudoers = `/etc/sudoers.d/tcpmem-test-hosts-s${String(this.state.slot)}`;
    expect(existsSync(sudoers)).toBe(true);
    const aside = join(this.work, 'sudoers-aside');
    renameSync(sudoers, aside);
    try {
      return await body();
    } finally {
      renameSync(aside, sudoers);
    }
  }

  /** Expects the host exactly as in `before`, and no temporary file, journal or lock left in its sysctl folder. */
  expectUntouched(name: string, before: Snapshot): void {
    expect(this.snapshot(name)).toEqual(before);
    expect(readdirSync(this.host(name).sysctlDir).filter((f) => f.startsWith('.'))).toEqual([]);
  }

  /**
   * Delays syscalls on entry in a host's sshd and every session it starts from now on (strace -f attached by
   * netns-hosts.sh delay-syscalls): `{ 'renameat2,rename': 2000 }` holds each such call 2 s before it runs.
   */
  delaySyscalls(name: string, delays: Record<string, number>): void {
    this.run('delay-syscalls', name, ...Object.entries(delays).map(([calls, ms]) => `${calls}=${String(Math.round(ms * 1000))}`));
  }

  undelaySyscalls(name: string): void {
    this.run('undelay-syscalls', name);
  }

  /** The processes a host's sshd started (its sessions and everything under them), as /proc shows them now. */
  sessionProcesses(name: string): SessionProcess[] {
    this.reload();
    const root = this.host(name).sshdPid;
    if (root === null) return [];
    const all = new Map<number, SessionProcess>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
        const syscall = Number(readFileSync(`/proc/${entry}/syscall`, 'utf8').split(' ')[0]);
        all.set(Number(entry), { pid: Number(entry), ppid: Number(fields[1]), state: fields[0] ?? '?', cmdline, syscall: Number.isInteger(syscall) ? syscall : undefined });
      } catch {
        // gone meanwhile
      }
    }
    const under = (p: SessionProcess | undefined): boolean => (p === undefined || p.pid <= 1 ? false : p.ppid === root || under(all.get(p.ppid)));
    return [...all.values()].filter((p) => under(p));
  }

  /** Polls (every 10 ms, up to `timeoutMs`) until a session process of the host matches; returns it with the rest. */
  async waitForProcess(name: string, match: (p: SessionProcess, all: SessionProcess[]) => boolean, timeoutMs = 60_000): Promise<{ found: SessionProcess; all: SessionProcess[] }> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const all = this.sessionProcesses(name);
      const found = all.find((p) => match(p, all));
      if (found !== undefined) return { found, all };
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${name}: no such process within ${String(timeoutMs)} ms`);
  }

  /** Writes a fleet config for some hosts of the harness (each with its own sysctls) and returns its path. */
  fleet(file: string, hosts: Record<string, SysctlMap>, extra: { address?: Record<string, string>; identityFile?: string; ssh?: Record<string, unknown> } = {}): string {
    const path = join(this.work, file);
    const doc = {
      kind: 'fleet',
      version: 1,
      name: 'harness',
      defaults: {
        ssh: { user: this.state.user, identityFile: extra.identityFile ?? this.state.identityFile, knownHostsFile: this.state.knownHosts, connectTimeout: '3s', ...(extra.ssh ?? {}) },
      },
      hosts: Object.fromEntries(
        Object.entries(hosts).map(([name, sysctls]) => {
          const h = this.state.hosts.find((x) => x.name === name);
          const address = extra.address?.[name] ?? h?.address;
          return [name, { ...(address === undefined ? {} : { address }), ...(h === undefined ? {} : { ssh: { port: h.port } }), sysctls }];
        }),
      ),
    };
    writeFileSync(path, JSON.stringify(doc, null, 2));
    return path;
  }
}

/** A host's result in an apply report (throws when the report has none). */
export function resultFor(report: ApplyReport, host: string): HostApplyResult {
  const r = report.hosts.find((x) => x.host === host);
  if (r === undefined) throw new Error(`no result for ${host}`);
  return r;
}

/** The lock directories tcpmem's transactions left in /run/tcpmem (none once every transaction ended). */
export const locksLeft = (): string[] => (existsSync('/run/tcpmem') ? readdirSync('/run/tcpmem') : []);

const freshValue: Record<string, (round: number) => number | number[]> = {
  'net.core.somaxconn': (round) => 2000 + round,
  'net.ipv4.tcp_rmem': (round) => [4096, 65536 + round, 4194304],
  'net.ipv4.tcp_max_syn_backlog': (round) => 3000 + round,
};
let round = 0;

/** Values no earlier call (in this test file) asked for, so that each plan has something to write on every host. */
export function freshSysctls(names: readonly string[] = ['net.core.somaxconn', 'net.ipv4.tcp_rmem']): Record<string, number | number[]> {
  round += 1;
  return Object.fromEntries(names.map((name) => [name, freshValue[name]!(round)]));
}

/**
 * Plans a fleet file live, with the real loader, SSH reads and planner (what `tcpmem plan` does); with `keep`, each
 * host's connection stays open there for its transaction (what `tcpmem apply CONFIG` does).
 */
export async function planLive(configPath: string, keep?: SessionPool): Promise<Plan> {
  const load = loadFleet(configPath);
  const fleet = load.fleet;
  if (fleet === undefined) throw new Error(`cannot load ${configPath}: ${JSON.stringify(load.problems)}`);
  const errors = load.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`config errors: ${JSON.stringify(errors)}`);
  const selection = selectHosts(fleet, [], []);
  const names = listSysctls().map((s) => s.name);
  const observations = new Map<string, HostObservation>();
  await Promise.all(
    selection.indexes.map(async (index) => {
      const host = fleet.hosts[index]!;
      const ssh = layerHost(fleet, index, []).ssh;
      observations.set(host.name, keep === undefined ? await readHost(host.value.address!, ssh, names) : await readHostKeeping(keep, host.name, host.value.address!, ssh, names));
    }),
  );
  const plan = planFleet(fleet, {
    mode: 'live',
    createdAt: new Date().toISOString(),
    tcpmemVersion: 'test',
    configPath,
    digest: undefined,
    observations,
    kernelFor: createKernelLookup(),
    hostIndexes: selection.indexes,
    problems: [],
  });
  const invalid = plan.hosts.filter((h) => h.status === 'invalid');
  if (invalid.length > 0) throw new Error(`invalid hosts: ${JSON.stringify(invalid.map((h) => h.problems))}`);
  return plan;
}
