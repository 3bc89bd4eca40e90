/**
 * Faults at precise moments of a host's transaction, against real sshd in network namespaces
 * (test-hosts/netns-hosts.sh). Timing windows are opened with syscall delays on the host's sshd (strace -f,
 * `inject=SYSCALL:delay_enter`, via `netns-hosts.sh delay-syscalls`), never with sleeps: a test waits until a
 * process of the session sits in the delayed syscall, then strikes. Each ends with the host fully as before
 * (OLD) or fully as planned (NEW) — live values and every file of its sysctl folders — and a report that says
 * which. The fault matrix in docs/apply.md lists them. Needs root, strace.
 */
import type { Plan } from '@tcpmem/schema';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan, sshExecutor, type ApplyEvent, type ApplyReport } from '../../src';
import type { SshExecutorOptions } from '../../src/remote/ssh-executor';
import { freshSysctls, Harness, locksLeft, planLive, resultFor, type SessionProcess, type Snapshot } from './harness';

let h: Harness;
beforeAll(() => {
  h = Harness.up(4);
}, 120_000);
afterAll(() => {
  for (const name of ['h1', 'h2', 'h3', 'h4']) h.undelaySyscalls(name);
  h.down();
}, 120_000);

/** x86-64 syscall numbers, as /proc/PID/syscall names them. */
const SYS = {
  unlink: 87,
  faccessat: 269,
  faccessat2: 439,
  unlinkat: 263,
} as const;

async function run(plan: Plan, options: SshExecutorOptions = {}, events: ApplyEvent[] = []): Promise<ApplyReport> {
  return await applyPlan(
    plan,
    sshExecutor({ connectTimeoutMs: 30_000, commandTimeoutMs: 120_000, ...options }),
    { tcpmemVersion: 'test', onEvent: (e) => events.push(e) },
  );
}

/** Waits for a session process like waitForProcess, failing at once (with its report) when the apply ends first. */
async function strikeWhen(
  name: string,
  applying: Promise<ApplyReport>,
  match: Parameters<Harness['waitForProcess']>[1],
  timeoutMs: number,
): ReturnType<Harness['waitForProcess']> {
  const ended = applying.then((report) => {
    throw new Error(`the apply ended before the moment to strike: ${JSON.stringify(report.hosts.map((x) => x.failure ?? x.status))}`);
  });
  return await Promise.race([h.waitForProcess(name, match, timeoutMs), ended]);
}

async function prepare(host: string): Promise<{ plan: Plan; before: Snapshot }> {
  const plan = await planLive(h.fleet(`fleet-${host}-${String(Date.now())}.json`, { [host]: freshSysctls() }));
  return { plan, before: h.snapshot(host) };
}

/** The host as the plan means it: every planned live value in place, tcpmem's file holding exactly them. */
function expectNew(host: string, plan: Plan): void {
  const changes = plan.hosts.find((x) => x.name === host)!.changes;
  for (const c of changes) if (c.after !== null) expect(`${c.sysctl} ${h.live(host, c.sysctl)}`).toBe(`${c.sysctl} ${c.after.join(' ')}`);
  const file = h.tcpmemFile(host) ?? '';
  for (const c of changes) if (c.after !== null) expect(file).toContain(`${c.sysctl} = ${c.after.join(' ')}\n`);
  expect(readdirSync(h.host(host).sysctlDir).filter((f) => f.startsWith('.'))).toEqual([]);
}

it('cannot be raced by a survivor of a killed commit: with the root sh killed while its mv sits before rename, the host ends fully OLD or fully NEW and the report says which', async () => {
  const { plan, before } = await prepare('h1');
  // the mv waits 3 s before its rename; a recovery's unlink waits 4 s (a race would land the rename inside it)
  h.delaySyscalls('h1', { 'renameat2,renameat,rename': 3_000, 'unlinkat,unlink': 4_000 });
  let report: ApplyReport;
  try {
    const first = run(plan);
    // the commit's mv of the temporary file over 99-tcpmem.conf has started
    const { found: mv, all } = await strikeWhen('h1', first, (p) => p.cmdline[0] === 'mv' && p.cmdline.some((a) => a.includes('.99-tcpmem.conf.') && a.endsWith('.tmp')), 90_000);
    const byPid = new Map(all.map((p) => [p.pid, p]));
    let root: SessionProcess | undefined = byPid.get(mv.ppid);
    while (root !== undefined && root.cmdline.join(' ') !== 'sh -s') root = byPid.get(root.ppid);
    expect(root).toBeDefined();
    process.kill(root!.pid, 'SIGKILL'); // the transaction's root sh alone: its mv lives on
    // the client settles by reading the host again under the lock, which recovers the journal
    report = await first;
  } finally {
    h.undelaySyscalls('h1');
  }
  const r = resultFor(report, 'h1');
  if (r.status === 'applied') {
    expectNew('h1', plan);
  } else {
    expect(r).toMatchObject({ status: 'failed', state: 'rolled-back' });
    expect(r.failure?.message).toMatch(/reading the host again shows it as it was before/);
    h.expectUntouched('h1', before);
  }
  // and the host takes the next apply at once
  expect(resultFor(await run(plan), 'h1').status).toBe(r.status === 'applied' ? 'stale' : 'applied');
}, 240_000);

it('reports a host whose /proc/sys/net is read-only as it is (untouched or rolled back, never "left changed"), and leaves no lock behind', async () => {
  const { plan, before } = await prepare('h2');
  const locks = locksLeft();
  h.run('readonly-proc-sys-net', 'h2', 'on');
  let report: ApplyReport;
  try {
    report = await run(plan);
  } finally {
    h.run('readonly-proc-sys-net', 'h2', 'off');
  }
  const r = resultFor(report, 'h2');
  expect(r.status).toBe('failed');
  expect(['untouched', 'rolled-back']).toContain(r.state);
  expect(r.failure?.message).toMatch(/EROFS|Read-only file system/);
  expect(r.failure?.message).not.toMatch(/left changed/);
  // a read-only /proc/sys is said as such, not as the kernel refusing the value
  if (r.state === 'rolled-back') expect(r.failure?.message).toMatch(/\/proc\/sys is read-only on this host \(EROFS/);
  expect(r.failure?.message).not.toMatch(/the kernel refused|kernel-model expected/);
  h.expectUntouched('h2', before);
  expect(locksLeft().filter((l) => !locks.includes(l))).toEqual([]);
  // at once: no stale lock, no "killed" transaction to recover
  const again = resultFor(await run(plan), 'h2');
  expect(again.status).toBe('applied');
  expect(again.warnings.join('\n')).not.toMatch(/killed|could not roll back/);
  expectNew('h2', plan);
}, 120_000);

it.each([
  ['/etc/sysctl.d', 'zz-other.conf', 'sysctlDir'],
  ['/run/sysctl.d', 'zz-run.conf', 'runSysctlDir'],
] as const)('finds the plan stale, inside the transaction, when a file in %s that would override tcpmem at boot was added after it', async (dir, conf, folder) => {
  const { plan, before } = await prepare('h3');
  const other = join(h.host('h3')[folder], conf);
  writeFileSync(other, 'net.core.somaxconn = 7777\n');
  try {
    const r = resultFor(await run(plan), 'h3');
    expect(r).toMatchObject({ status: 'stale', state: 'untouched' });
    expect(r.stale).toEqual([{ sysctl: 'net.core.somaxconn', where: 'override', planned: null, now: '7777', file: `${dir}/${conf}` }]);
    h.expectUntouched('h3', { ...before, files: { ...before.files, [other]: 'net.core.somaxconn = 7777\n' } });
    // a plan made now sees the file, and its fingerprint covers it
    const fresh = await planLive(h.fleet(`fleet-h3-fresh-${String(Date.now())}.json`, { h3: { 'net.core.somaxconn': 1234 } }));
    expect(fresh.hosts[0]!.changes.find((c) => c.sysctl === 'net.core.somaxconn')?.shadowedBy).toBe(`${dir}/${conf}`);
    expect(fresh.hosts[0]!.observed?.overriding).toEqual({ 'net.core.somaxconn': { file: `${dir}/${conf}`, value: '7777' } });
  } finally {
    rmSync(other, { force: true });
  }
}, 120_000);

it('leaves no file when sshd is killed during prepare (the folder check sits before its access(2)), and reports the prepare stage', async () => {
  const { plan, before } = await prepare('h4');
  const events: ApplyEvent[] = [];
  h.delaySyscalls('h4', { 'faccessat2,faccessat,unlinkat,unlink': 2_000 });
  let report: ApplyReport;
  try {
    const running = run(plan, {}, events);
    // PREPARE was sent (the host was read fresh), and the script sits in the syscall prepare's check makes
    await strikeWhen(
      'h4',
      running,
      (p) =>
        events.some((e) => e.type === 'host-read' && e.fresh) &&
        p.syscall !== undefined &&
        [SYS.faccessat, SYS.faccessat2, SYS.unlinkat, SYS.unlink].includes(p.syscall as 87),
      180_000,
    );
    h.run('kill-sshd', 'h4');
    report = await running;
  } finally {
    h.undelaySyscalls('h4');
    h.run('start-sshd', 'h4');
  }
  const r = resultFor(report, 'h4');
  expect(r).toMatchObject({
    status: 'failed',
    state: 'untouched',
    failure: { stage: 'prepare' },
  });
  h.expectUntouched('h4', before);
}, 240_000);

it('names a lock it may not take (ssh.sudo: false with a non-root user) as a permission problem, not another transaction', async () => {
  const plan = await planLive(h.fleet(`fleet-h1-nosudo-${String(Date.now())}.json`, { h1: freshSysctls() }, { ssh: { sudo: false } }));
  const before = h.snapshot('h1');
  const r = resultFor(await run(plan), 'h1');
  expect(r).toMatchObject({
    status: 'failed',
    state: 'untouched',
    failure: { stage: 'lock', code: 'TCPMEM_APPLY_NOT_ROOT' },
  });
  expect(r.failure?.message).toMatch(/Permission denied|No such file/);
  expect(r.failure?.message).toMatch(/root/);
  h.expectUntouched('h1', before);
}, 120_000);
