/**
 * One SSH connection per host (issue 13), against real sshd in network namespaces: `apply CONFIG` runs each host's
 * transaction on the connection its live read opened; a saved plan is checked by the transactions' own locked
 * reads (no connection of its own), a stale host still refusing the whole plan with every host untouched. Logins
 * are counted in each host's sshd log ("Accepted publickey"), outside tcpmem. Needs root.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '@tcpmem/schema';
import { applyPlan, sshExecutor, type ApplyEvent, type ApplyReport } from '../../src';
import { SessionPool } from '../../src/remote';
import { freshSysctls, Harness, locksLeft, planLive, resultFor } from './harness';

let h: Harness;
const HOSTS = ['h1', 'h2', 'h3'];
/** Locks in /run/tcpmem before this file ran (the folder is the machine's: other test hosts' may be there). */
let locksBefore: string[] = [];
const newLocks = (): string[] => locksLeft().filter((l) => !locksBefore.includes(l));
beforeAll(() => {
  h = Harness.up(HOSTS.length);
  locksBefore = locksLeft();
}, 120_000);
afterAll(() => {
  h.down();
}, 120_000);

/** Logins each host's sshd has accepted so far. */
const logins = (): Record<string, number> => Object.fromEntries(HOSTS.map((n) => [n, (readFileSync(h.host(n).sshdLog, 'utf8').match(/Accepted publickey/g) ?? []).length]));
const loginsSince = (before: Record<string, number>): Record<string, number> => {
  const now = logins();
  return Object.fromEntries(HOSTS.map((n) => [n, now[n]! - before[n]!]));
};
/** Commands (SSH sessions: channels that ran a command) each host's sshd has started so far. */
const commands = (): Record<string, number> => Object.fromEntries(HOSTS.map((n) => [n, (readFileSync(h.host(n).sshdLog, 'utf8').match(/Starting session: command /g) ?? []).length]));
const commandsSince = (before: Record<string, number>): Record<string, number> => {
  const now = commands();
  return Object.fromEntries(HOSTS.map((n) => [n, now[n]! - before[n]!]));
};
const saved = (plan: Plan): Plan => JSON.parse(JSON.stringify(plan)) as Plan;

async function run(plan: Plan, options: { sessions?: SessionPool; checkFirst?: boolean } = {}): Promise<{ report: ApplyReport; events: ApplyEvent[] }> {
  const events: ApplyEvent[] = [];
  const executor = sshExecutor({ connectTimeoutMs: 3_000, ...(options.sessions === undefined ? {} : { sessions: options.sessions }) });
  const report = await applyPlan(plan, executor, { tcpmemVersion: 'test', checkFirst: options.checkFirst ?? false, onEvent: (e) => events.push(e) });
  return { report, events };
}
const timingsOf = (events: ApplyEvent[]) => Object.fromEntries(events.flatMap((e) => (e.type === 'host-done' ? [[e.host, e.timings]] : [])));

/**
 * Runs `body` with strace -ff attached to a host's sshd (every process of every session it starts from then on),
 * and returns what it returned with the names of the programs those processes executed, sorted.
 */
async function programsOfHost<T>(name: string, body: () => Promise<T>): Promise<{ value: T; programs: string[] }> {
  h.reload();
  const pid = h.host(name).sshdPid;
  if (pid === null) throw new Error(`${name}: no sshd`);
  const dir = mkdtempSync(join(tmpdir(), 'tcpmem-host-execs-'));
  const tracer = spawn('strace', ['-ff', '-qq', '-e', 'trace=execve', '-e', 'signal=none', '-o', join(dir, 'p'), '-p', String(pid)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => tracer.once('exit', () => resolve()));
  try {
    const traced = (): boolean => /^TracerPid:\s*[1-9]/m.test(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
    for (let i = 0; i < 200 && !traced(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(traced()).toBe(true);
    const value = await body();
    await new Promise((resolve) => setTimeout(resolve, 500)); // the session's last processes end
    tracer.kill('SIGTERM');
    await exited;
    const programs: string[] = [];
    for (const file of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        const exec = /^execve\("([^"]*)", .*\) = 0$/.exec(line);
        if (exec !== null) programs.push(exec[1]!.slice(exec[1]!.lastIndexOf('/') + 1));
      }
    }
    return { value, programs: programs.sort() };
  } finally {
    tracer.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('one connection per host', () => {
  it('runs on the host, for one apply CONFIG that writes two values and the file, the processes counted here and no others', async () => {
    const wanted = { h1: freshSysctls() };
    // (the lock folder is this machine's /run/tcpmem: the first transaction on a fresh machine makes it, one mkdir more)
    const lockFolder = existsSync('/run/tcpmem') ? [] : ['mkdir'];
    const { value: report, programs } = await programsOfHost('h1', async () => {
      const pool = new SessionPool();
      const plan = await planLive(h.fleet('fleet-count.json', wanted), pool);
      const { report } = await run(plan, { sessions: pool });
      await pool.closeAll();
      return report;
    });
    expect(report.summary).toMatchObject({ applied: 1, failed: 0 });
    // sshd (re-executed for the connection); the login shell; sudo and its root shell; plan's read (getconf, a grep
    // for the CPUs, a grep for the sysctls, one cat for meminfo and zoneinfo); the transaction (readlink, mkdir,
    // grep, timeout and sh for COMMIT, a cat a value read back, sync, mv, sync, one rm). No sysctl.d file is read:
    // the host has none before the apply.
    expect(programs).toEqual(['cat', 'cat', 'cat', 'getconf', 'grep', 'grep', 'grep', ...lockFolder, 'mkdir', 'mv', 'readlink', 'rm', 'sh', 'sh', 'sh', 'sshd', 'sudo', 'sync', 'sync', 'timeout']);
    expect(newLocks()).toEqual([]);
  }, 60_000);


  it('applies a config on the connection its live read opened: one login per host from the read to the commit', async () => {
    const wanted = Object.fromEntries(HOSTS.map((n) => [n, freshSysctls()]));
    const before = logins();
    const commandsBefore = commands();
    const pool = new SessionPool();
    const plan = await planLive(h.fleet('fleet-1.json', wanted), pool);
    expect(pool.hosts().sort()).toEqual(HOSTS);
    const { report, events } = await run(plan, { sessions: pool });
    await pool.closeAll();

    expect(report.summary).toMatchObject({ applied: 3, failed: 0 });
    expect(pool.hosts()).toEqual([]);
    expect(loginsSince(before)).toEqual({ h1: 1, h2: 1, h3: 1 });
    // and one command: the read ran on the root shell (`sudo -n sh -s`) the transaction then ran on
    expect(commandsSince(commandsBefore)).toEqual({ h1: 1, h2: 1, h3: 1 });
    for (const n of HOSTS) {
      expect(h.live(n, 'net.core.somaxconn')).toBe(String(wanted[n]!['net.core.somaxconn']));
      expect(h.tcpmemFile(n)).toContain(`net.core.somaxconn = ${String(wanted[n]!['net.core.somaxconn'])}\n`);
      expect(timingsOf(events)[n]).toMatchObject({ reused: true, reusedShell: true, planConnectMs: expect.any(Number), planReadMs: expect.any(Number), readMs: expect.any(Number), prepareMs: expect.any(Number), commitMs: expect.any(Number) });
    }
    // every connection was closed (in the background, after its host-done) before the run ended
    const closed = events.find((e) => e.type === 'sessions-closed');
    expect(closed?.type === 'sessions-closed' && Object.keys(closed.closeMs).sort()).toEqual(HOSTS);
    expect(events.at(-1)?.type).toBe('run-done');
    expect(newLocks()).toEqual([]);
  }, 60_000);

  it('connects again for a host whose kept connection was lost meanwhile, and applies it all the same', async () => {
    const wanted = Object.fromEntries(HOSTS.map((n) => [n, freshSysctls()]));
    const before = logins();
    const pool = new SessionPool();
    const plan = await planLive(h.fleet('fleet-2.json', wanted), pool);
    const kept = pool.take('h2')!;
    await kept.transport.close();
    pool.keep('h2', kept);
    const { report, events } = await run(plan, { sessions: pool });
    await pool.closeAll();

    expect(report.summary).toMatchObject({ applied: 3 });
    expect(loginsSince(before)).toEqual({ h1: 1, h2: 2, h3: 1 });
    expect(timingsOf(events)['h2']).toMatchObject({ reused: false, connectMs: expect.any(Number) });
    expect(timingsOf(events)['h1']).toMatchObject({ reused: true });
    expect(h.live('h2', 'net.core.somaxconn')).toBe(String(wanted['h2']!['net.core.somaxconn']));
  }, 60_000);

  it('runs the transaction in a shell of its own when the kept shell ended meanwhile, and applies it all the same', async () => {
    const wanted = Object.fromEntries(HOSTS.map((n) => [n, freshSysctls()]));
    const pool = new SessionPool();
    const plan = await planLive(h.fleet('fleet-6.json', wanted), pool);
    const kept = pool.take('h3')!;
    kept.shell!.end();
    await kept.shell!.done;
    pool.keep('h3', kept);
    const before = commands();
    const { report, events } = await run(plan, { sessions: pool });
    await pool.closeAll();

    expect(report.summary).toMatchObject({ applied: 3 });
    expect(commandsSince(before)).toEqual({ h1: 0, h2: 0, h3: 1 });
    expect(timingsOf(events)['h3']).toMatchObject({ reused: true, reusedShell: false });
    expect(h.live('h3', 'net.core.somaxconn')).toBe(String(wanted['h3']!['net.core.somaxconn']));
    expect(newLocks()).toEqual([]);
  }, 60_000);

  it('reads hosts whose sudo refuses on a plain sh -s, and their transactions say sudo was refused, nothing changed', async () => {
    const wanted = Object.fromEntries(HOSTS.map((n) => [n, freshSysctls()]));
    const snapshots = Object.fromEntries(HOSTS.map((n) => [n, h.snapshot(n)]));
    await h.withSudoRefused(async () => {
      const pool = new SessionPool();
      const plan = await planLive(h.fleet('fleet-7.json', wanted), pool);
      // read as `tcpmem plan` reads them: planned, not unreachable
      expect(plan.hosts.map((host) => host.status)).not.toContain('unreachable');
      expect(pool.hosts().sort()).toEqual(HOSTS);
      const { report } = await run(plan, { sessions: pool });
      await pool.closeAll();
      for (const n of HOSTS) {
        expect(resultFor(report, n)).toMatchObject({ status: 'failed', state: 'untouched', failure: { stage: 'sudo', code: 'TCPMEM_APPLY_SUDO_REFUSED' } });
        h.expectUntouched(n, snapshots[n]!);
      }
    });
  }, 60_000);

  it('runs the read and the transaction on the SSH user\'s own shell with ssh.sudo: false: a non-root user cannot take the lock, nothing changed', async () => {
    const pool = new SessionPool();
    const plan = await planLive(h.fleet('fleet-8.json', { h1: freshSysctls() }, { ssh: { sudo: false } }), pool);
    const before = h.snapshot('h1');
    const commandsBefore = commands();
    const { report, events } = await run(plan, { sessions: pool });
    await pool.closeAll();
    expect(resultFor(report, 'h1')).toMatchObject({ status: 'failed', state: 'untouched', failure: { stage: 'lock', code: 'TCPMEM_APPLY_NOT_ROOT' } });
    expect(commandsSince(commandsBefore)).toEqual({ h1: 0, h2: 0, h3: 0 });
    expect(timingsOf(events)['h1']).toMatchObject({ reused: true, reusedShell: true });
    h.expectUntouched('h1', before);
  }, 60_000);

  it('keeps no more connections than the pool holds: the others connect again for their transaction', async () => {
    const wanted = Object.fromEntries(HOSTS.map((n) => [n, freshSysctls()]));
    const before = logins();
    const pool = new SessionPool(1);
    const plan = await planLive(h.fleet('fleet-5.json', wanted), pool);
    expect(pool.hosts()).toHaveLength(1);
    const { report, events } = await run(plan, { sessions: pool });
    await pool.closeAll();

    expect(report.summary).toMatchObject({ applied: 3 });
    const reused = HOSTS.filter((n) => timingsOf(events)[n]?.reused === true);
    expect(reused).toHaveLength(1);
    expect(loginsSince(before)).toEqual(Object.fromEntries(HOSTS.map((n) => [n, reused.includes(n) ? 1 : 2])));
  }, 60_000);

  it('checks a saved plan inside the transactions: one login per host, each host waiting at the gate until all are fresh', async () => {
    const wanted = Object.fromEntries(HOSTS.map((n) => [n, freshSysctls()]));
    const plan = saved(await planLive(h.fleet('fleet-3.json', wanted)));
    const before = logins();
    const { report, events } = await run(plan, { checkFirst: true });

    expect(report.summary).toMatchObject({ applied: 3 });
    expect(report.refused).toBeUndefined();
    expect(loginsSince(before)).toEqual({ h1: 1, h2: 1, h3: 1 });
    expect(events.filter((e) => e.type === 'host-checked' && e.fresh)).toHaveLength(3);
    for (const n of HOSTS) expect(timingsOf(events)[n]).toMatchObject({ reused: false, gateMs: expect.any(Number), commitMs: expect.any(Number) });
    // no host was sent COMMIT before the last one was checked
    const lastChecked = events.map((e) => e.type).lastIndexOf('host-checked');
    expect(events.findIndex((e) => e.type === 'host-written')).toBeGreaterThan(lastChecked);
  }, 60_000);

  it('refuses a saved plan whose host changed, found by that host\'s locked read: every host withdrawn untouched, no lock left', async () => {
    const plan = saved(await planLive(h.fleet('fleet-4.json', Object.fromEntries(HOSTS.map((n) => [n, freshSysctls()])))));
    h.setLive('h3', 'net.ipv4.tcp_max_syn_backlog', '4242');
    const snapshots = Object.fromEntries(HOSTS.map((n) => [n, h.snapshot(n)]));
    const before = logins();
    const { report, events } = await run(plan, { checkFirst: true });

    expect(report.refused?.staleHosts).toEqual([{ host: 'h3', settings: [expect.objectContaining({ sysctl: 'net.ipv4.tcp_max_syn_backlog', where: 'live', now: '4242' })] }]);
    expect(report.summary).toMatchObject({ applied: 0, skipped: 3 });
    expect(loginsSince(before)).toEqual({ h1: 1, h2: 1, h3: 1 });
    expect(events.filter((e) => e.type === 'host-started' || e.type === 'host-written')).toEqual([]);
    for (const n of HOSTS) expect(h.snapshot(n)).toEqual(snapshots[n]);
    expect(newLocks()).toEqual([]);
  }, 60_000);
});
