/**
 * apply when things go wrong, against real sshd in network namespaces (test-hosts/netns-hosts.sh): a value the
 * kernel refuses, a read-only /etc/sysctl.d (before and during the commit), the connection dropped while the
 * transaction waits for COMMIT and while it commits, sudo refused, wrong host key, authentication refused, an
 * unreachable host, a command timeout. In every case the host ends exactly as before — live values and every file
 * of its sysctl folders compared byte for byte — and no partial file is left; the other hosts go on. Needs root.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import type { Plan } from '@tcpmem/schema';
import { applyPlan, sshExecutor, type ApplyEvent, type ApplyReport } from '../../src';
import type { SshExecutorOptions } from '../../src/remote/ssh-executor';
import { freshSysctls, Harness, locksLeft, planLive, resultFor, type Snapshot } from './harness';

let h: Harness;
beforeAll(() => {
  h = Harness.up(4);
}, 120_000);
afterAll(() => {
  h.down();
}, 120_000);

/** Fresh values for every plan, so that each test has something to write on every host. */
const desired = (): Record<string, number | number[]> => freshSysctls(['net.core.somaxconn', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_max_syn_backlog']);

async function run(plan: Plan, options: SshExecutorOptions = {}): Promise<{ report: ApplyReport; events: ApplyEvent[] }> {
  const events: ApplyEvent[] = [];
  const report = await applyPlan(plan, sshExecutor({ connectTimeoutMs: 3_000, ...options }), { tcpmemVersion: 'test', onEvent: (e) => events.push(e) });
  return { report, events };
}

/** Plans the given hosts live with `desired` and snapshots them first. */
async function prepare(...hosts: string[]): Promise<{ plan: Plan; before: Record<string, Snapshot> }> {
  const config = h.fleet(`fleet-${hosts.join('-')}-${Date.now()}.json`, Object.fromEntries(hosts.map((n) => [n, desired()])));
  const plan = await planLive(config);
  const before = Object.fromEntries(hosts.map((n) => [n, h.snapshot(n)]));
  return { plan, before };
}

it('rolls a host back when the kernel refuses a value at apply time, restoring what it had already written', async () => {
  const { plan, before } = await prepare('h1', 'h2');
  // bypass the planner's own check (kernel-model refuses tcp_rmem min 0): the kernel itself must refuse it here
  const h1 = plan.hosts.find((x) => x.name === 'h1')!;
  const rmem = h1.changes.find((c) => c.sysctl === 'net.ipv4.tcp_rmem')!;
  rmem.after = [0, 65536, 4194304];
  const locks = locksLeft();

  const { report, events } = await run(plan);

  const r1 = resultFor(report, 'h1');
  expect(r1).toMatchObject({ status: 'failed', state: 'rolled-back', failure: { stage: 'write', code: 'TCPMEM_APPLY_KERNEL_REJECTED', sysctl: 'net.ipv4.tcp_rmem' } });
  expect(r1.failure?.message).toMatch(/EINVAL/);
  expect(r1.failure?.message).toMatch(/element 0 \(min\)/);
  // somaxconn sorts first: it was written, then restored
  expect(r1.settings.find((s) => s.sysctl === 'net.core.somaxconn')?.outcome).toBe('rolled-back');
  expect(events.some((e) => e.type === 'host-rolled-back' && e.host === 'h1')).toBe(true);
  h.expectUntouched('h1', before['h1']!);
  // the other host went on
  expect(resultFor(report, 'h2')).toMatchObject({ status: 'applied', state: 'changed' });
  expect(h.live('h2', 'net.ipv4.tcp_rmem')).toBe(plan.hosts.find((x) => x.name === 'h2')!.changes.find((c) => c.sysctl === 'net.ipv4.tcp_rmem')!.after!.join(' '));
  // (a lock left by a killed run in an earlier harness whose namespace ids were reused may be taken over)
  expect(locksLeft().filter((l) => !locks.includes(l))).toEqual([]);
}, 60_000);

it('refuses to start when /etc/sysctl.d is read-only, touching nothing', async () => {
  const { plan, before } = await prepare('h3');
  h.run('readonly-sysctl-dir', 'h3', 'on');
  try {
    const { report } = await run(plan);
    expect(resultFor(report, 'h3')).toMatchObject({ status: 'failed', state: 'untouched', failure: { stage: 'prepare', code: 'TCPMEM_APPLY_UNWRITABLE' } });
    expect(resultFor(report, 'h3').failure?.message).toMatch(/Read-only file system/);
    h.expectUntouched('h3', before['h3']!);
  } finally {
    h.run('readonly-sysctl-dir', 'h3', 'off');
  }
}, 60_000);

it('rolls back the live values when persisting fails in the commit step (/etc/sysctl.d turned read-only after PREPARED)', async () => {
  const { plan, before } = await prepare('h3');
  try {
    const { report, events } = await run(plan, {
      testHooks: {
        beforeCommit: () => {
          h.run('readonly-sysctl-dir', 'h3', 'on');
          return Promise.resolve();
        },
      },
    });
    const r = resultFor(report, 'h3');
    expect(r).toMatchObject({ status: 'failed', state: 'rolled-back', failure: { stage: 'persist', code: 'TCPMEM_APPLY_PERSIST_FAILED' } });
    expect(r.failure?.message).toMatch(/EROFS|Read-only/);
    const rolled = events.find((e) => e.type === 'host-rolled-back');
    expect(rolled?.type === 'host-rolled-back' ? rolled.restored.map((x) => x.sysctl).sort() : []).toEqual(['net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_rmem']);
    h.expectUntouched('h3', before['h3']!);
  } finally {
    h.run('readonly-sysctl-dir', 'h3', 'off');
  }
}, 60_000);

it('leaves a host exactly as before when its sshd (and every session) is killed while the transaction waits for COMMIT', async () => {
  const { plan, before } = await prepare('h2', 'h4');
  try {
    const { report } = await run(plan, {
      testHooks: {
        beforeCommit: async (host) => {
          if (host !== 'h2') return;
          h.run('kill-sshd', 'h2');
          // let the client see its connection go before it would send COMMIT
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        },
      },
    });
    const r = resultFor(report, 'h2');
    expect(r.status).toBe('failed');
    expect(['untouched', 'rolled-back']).toContain(r.state);
    expect(r.failure?.code).toBe('CONNECTION_LOST');
    h.expectUntouched('h2', before['h2']!);
    expect(resultFor(report, 'h4').status).toBe('applied');
  } finally {
    h.run('start-sshd', 'h2');
  }
  // the killed transaction's lock is taken over: the host can be applied at once
  const again = await run(await planLive(h.fleet('fleet-h2-again.json', { h2: desired() })));
  expect(resultFor(again.report, 'h2').status).toBe('applied');
}, 90_000);

it('undoes a commit step killed half-way (after the live writes) from its journal, at the next transaction', async () => {
  const { plan, before } = await prepare('h1');
  const { report } = await run(plan, {
    testHooks: {
      pauseInCommitSeconds: 4,
      beforeCommit: () => {
        setTimeout(() => {
          h.run('kill-sshd', 'h1');
        }, 1_500);
        return Promise.resolve();
      },
    },
  });
  const r = resultFor(report, 'h1');
  expect(r).toMatchObject({ status: 'failed', state: 'unknown', failure: { stage: 'commit', code: 'TCPMEM_APPLY_OUTCOME_UNKNOWN' } });
  // the live values were written, the file was not: exactly what the journal is for
  const somaxconn = plan.hosts[0]!.changes.find((c) => c.sysctl === 'net.core.somaxconn')!.after!.join(' ');
  expect(h.live('h1', 'net.core.somaxconn')).toBe(somaxconn);
  expect(h.snapshot('h1').files).toEqual(before['h1']!.files);
  h.run('start-sshd', 'h1');

  // the next transaction on the host (the same saved plan, applied again) recovers first: by the time it is
  // prepared, the host is exactly as it was before the killed one; then it applies
  let atPrepare: Snapshot | undefined;
  const { report: next, events } = await run(plan, {
    testHooks: {
      beforeCommit: () => {
        atPrepare = h.snapshot('h1');
        return Promise.resolve();
      },
    },
  });
  expect(events.find((e) => e.type === 'host-read' && e.host === 'h1')).toMatchObject({ fresh: true, recovered: expect.stringMatching(/restore the values/) as unknown });
  expect(atPrepare).toEqual(before['h1']);
  expect(resultFor(next, 'h1')).toMatchObject({ status: 'applied', warnings: [expect.stringMatching(/killed during its commit/) as unknown] });
  expect(h.live('h1', 'net.core.somaxconn')).toBe(somaxconn);
}, 90_000);

it('recovers that journal when the host\'s sshd comes back in a new mount namespace (the old one held, so its id is not reused)', async () => {
  const { plan, before } = await prepare('h3');
  h.reload();
  const mntOf = (pid: number): string => readlinkSync(`/proc/${pid}/ns/mnt`);
  const oldSshd = h.host('h3').sshdPid!;
  const oldMnt = mntOf(oldSshd);
  // a process left in sshd's mount namespace keeps it, and its id, alive: the restarted sshd gets another
  const holder = spawn('nsenter', ['-t', String(oldSshd), '-m', 'sleep', '300'], { stdio: 'ignore' });
  try {
    const { report } = await run(plan, {
      testHooks: {
        pauseInCommitSeconds: 4,
        beforeCommit: () => {
          setTimeout(() => h.run('kill-sshd', 'h3'), 1_500);
          return Promise.resolve();
        },
      },
    });
    expect(resultFor(report, 'h3')).toMatchObject({ status: 'failed', state: 'unknown' });
    expect(h.snapshot('h3').files).toEqual(before['h3']!.files);
    h.run('start-sshd', 'h3');
    h.reload();
    expect(mntOf(h.host('h3').sshdPid!)).not.toBe(oldMnt);
    const { report: next, events } = await run(plan);
    expect(events.find((e) => e.type === 'host-read' && e.host === 'h3')).toMatchObject({ fresh: true, recovered: expect.stringMatching(/restore the values/) as unknown });
    expect(resultFor(next, 'h3')).toMatchObject({ status: 'applied', warnings: [expect.stringMatching(/killed during its commit/) as unknown] });
    expect(locksLeft().filter((l) => l.includes('journal'))).toEqual([]);
  } finally {
    holder.kill('SIGKILL');
  }
}, 90_000);

it('reports sudo refused without touching the host', async () => {
  const { plan, before } = await prepare('h4');
  await h.withSudoRefused(async () => {
    const { report } = await run(plan);
    expect(resultFor(report, 'h4')).toMatchObject({ status: 'failed', state: 'untouched', failure: { stage: 'sudo', code: 'TCPMEM_APPLY_SUDO_REFUSED' } });
    h.expectUntouched('h4', before['h4']!);
  });
}, 60_000);

it('refuses a host whose key changed (strict known_hosts) and goes on with the others', async () => {
  const { plan, before } = await prepare('h1', 'h3');
  h.run('rotate-host-key', 'h3');
  try {
    const { report } = await run(plan);
    const r = resultFor(report, 'h3');
    expect(r).toMatchObject({ status: 'unreachable', state: 'untouched', failure: { stage: 'connect', code: 'HOST_KEY_CHANGED' } });
    expect(r.failure?.message).toMatch(/HOST KEY CHANGED/);
    h.expectUntouched('h3', before['h3']!);
    expect(resultFor(report, 'h1').status).toBe('applied');
  } finally {
    h.run('refresh-known-hosts');
  }
}, 60_000);

it('reports authentication refused (a key the host does not accept), leaving no secret in the report', async () => {
  const { plan, before } = await prepare('h3');
  for (const host of plan.hosts) host.ssh = { ...host.ssh, identityFile: h.state.wrongIdentityFile };
  const { report, events } = await run(plan);
  expect(resultFor(report, 'h3')).toMatchObject({ status: 'unreachable', failure: { code: 'AUTH_FAILED' } });
  h.expectUntouched('h3', before['h3']!);
  const key = execFileSync('cat', [h.state.wrongIdentityFile], { encoding: 'utf8' });
  const body = key.split('\n').filter((l) => l.length > 0 && !l.startsWith('-----'))[0]!;
  expect(JSON.stringify({ report, events })).not.toContain(body.slice(0, 40));
}, 60_000);

it('reports a host that stopped answering (packets dropped) as unreachable after the connect timeout', async () => {
  const { plan, before } = await prepare('h4');
  const h4 = plan.hosts.find((x) => x.name === 'h4')!;
  h4.address = h.state.unreachableAddress;
  const started = Date.now();
  const { report } = await run(plan, { connectTimeoutMs: 1_500 });
  expect(resultFor(report, 'h4')).toMatchObject({ status: 'unreachable', state: 'untouched', failure: { stage: 'connect', code: 'CONNECT_TIMEOUT' } });
  expect(Date.now() - started).toBeLessThan(10_000);
  h.expectUntouched('h4', before['h4']!);
}, 60_000);

it('gives up, untouched, when the transaction outlives the command timeout before COMMIT', async () => {
  const { plan, before } = await prepare('h1');
  const { report } = await run(plan, {
    commandTimeoutMs: 1_500,
    testHooks: { beforeCommit: () => new Promise((resolve) => setTimeout(resolve, 3_000)) },
  });
  const r = resultFor(report, 'h1');
  expect(r.status).toBe('failed');
  expect(r.state).toBe('untouched');
  expect(r.failure?.code).toBe('COMMAND_TIMEOUT');
  h.expectUntouched('h1', before['h1']!);
}, 60_000);
