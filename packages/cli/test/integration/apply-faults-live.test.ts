import fs from 'node:fs';
import path from 'node:path';
import type { ApplyEvent, ApplyReport } from '@tcpmem/apply';
// apply's netns harness (hosts, snapshots, syscall delays, session processes), reused by this test only
// eslint-disable-next-line @nx/enforce-module-boundaries
import { Harness, type Snapshot } from '../../../apply/test/integration/harness';
import { runCli } from '../run-cli';
import { isEvent, start, type Running } from './running-cli';

/**
 * Faults against the real `tcpmem` binary and real sshd in network namespaces (test-hosts/netns-hosts.sh), issue
 * 11: host keys accept-new trusts (reported everywhere; refused when known_hosts cannot keep them), a file that
 * would override tcpmem's added after `plan --out`, a changed host key and a dead sshd under `apply CONFIG`,
 * Ctrl-C at an exact point of a run, and the command timeout. Moments are made with syscall delays on a host's
 * sshd (netns-hosts.sh delay-syscalls), never with sleeps. The fault matrix in docs/apply.md lists them.
 */
let h: Harness;
const hosts = ['h1', 'h2', 'h3'] as const;

beforeAll(() => {
  h = Harness.up(3);
}, 120_000);
afterAll(() => {
  for (const name of hosts) h.undelaySyscalls(name);
  h.down();
}, 120_000);

let round = 0;
/** A config for the hosts, every one with a new somaxconn (so every host has something to do). */
function config(ssh: Record<string, unknown> = {}, only: readonly string[] = hosts): { file: string; somaxconn: number } {
  round += 1;
  const somaxconn = 3000 + round;
  const file = h.fleet(`fleet-${String(round)}.json`, Object.fromEntries(only.map((n) => [n, { 'net.core.somaxconn': somaxconn }])), { ssh });
  return { file, somaxconn };
}

const events = (stdout: string): ApplyEvent[] =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ApplyEvent);

const reportOf = (stdout: string): ApplyReport => JSON.parse(stdout) as ApplyReport;
const result = (report: ApplyReport, host: string) => report.hosts.find((x) => x.host === host)!;

/** The commit's `mv` of the temporary file over 99-tcpmem.conf, under a host's sshd. */
const committingMv = (p: { cmdline: string[] }): boolean => p.cmdline[0] === 'mv' && p.cmdline.some((a) => a.includes('.99-tcpmem.conf.') && a.endsWith('.tmp'));

function expectLive(host: string, somaxconn: number): void {
  expect(`${host} ${h.live(host, 'net.core.somaxconn')}`).toBe(`${host} ${String(somaxconn)}`);
  expect(h.tcpmemFile(host)).toContain(`net.core.somaxconn = ${String(somaxconn)}\n`);
}

describe('host keys trusted by accept-new', () => {
  it('reports every key accept-new adds while planning a config: on stderr, in the --json report and as --events', () => {
    const cases = [['human'], ['--json'], ['--events']] as const;
    for (const [mode] of cases) {
      const kh = path.join(h.work, `known_hosts.${mode.replace(/-/g, '')}`);
      fs.writeFileSync(kh, '');
      const { file } = config({ knownHostsFile: kh, hostKeyPolicy: 'accept-new' });
      const run = runCli(['apply', file, '--auto-approve', ...(mode === 'human' ? [] : [mode])]);
      expect({ mode, status: run.status }).toEqual({ mode, status: 0 });
      for (const name of hosts) {
        const fp = h.host(name).hostKeyFingerprint;
        const { address, port } = h.host(name);
        // on stderr, whatever else is asked for
        expect(run.stderr).toContain(`accept-new trusted a new host key for ${address}${port === 22 ? '' : `:${String(port)}`} (host ${name}): ssh-ed25519 ${fp}, added to ${kh}`);
        const key = { host: name, address, port, keyType: 'ssh-ed25519', fingerprint: fp, file: kh };
        if (mode === '--json') expect(reportOf(run.stdout).acceptedHostKeys).toContainEqual(key);
        if (mode === '--events') expect(events(run.stdout)).toContainEqual({ type: 'host-key-accepted', ...key, elapsedMs: expect.any(Number) as number });
        if (mode === 'human') expect(run.stdout).toContain(`${fp}, added to ${kh}`);
      }
      expect(fs.readFileSync(kh, 'utf8').trim().split('\n')).toHaveLength(3);
    }
  });

  it('reports the keys accept-new adds while discovering, on stderr', () => {
    const kh = path.join(h.work, 'known_hosts.discover');
    fs.writeFileSync(kh, '');
    const { file } = config({ knownHostsFile: kh, hostKeyPolicy: 'accept-new' }, ['h1']);
    const run = runCli(['discover', file, '--json']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`accept-new trusted a new host key for ${h.host('h1').address} (host h1): ssh-ed25519 ${h.host('h1').hostKeyFingerprint}, added to ${kh}`);
    fs.rmSync(path.join(path.dirname(file), 'facts'), { recursive: true, force: true });
  });

  it('reports the keys accept-new adds while checking a saved plan, and none once they are known', () => {
    const kh = path.join(h.work, 'known_hosts.saved');
    fs.writeFileSync(kh, '');
    const { file, somaxconn } = config({ knownHostsFile: kh, hostKeyPolicy: 'accept-new' }, ['h1']);
    const planFile = path.join(h.work, 'accept-saved.json');
    expect(runCli(['plan', file, '--out', planFile]).status).toBe(0);
    fs.writeFileSync(kh, ''); // forgotten since: the check meets the key anew
    const run = runCli(['apply', planFile, '--events']);
    expect(run.status).toBe(0);
    const accepted = events(run.stdout).filter((e) => e.type === 'host-key-accepted');
    expect(accepted).toEqual([expect.objectContaining({ host: 'h1', fingerprint: h.host('h1').hostKeyFingerprint, file: kh })]);
    const done = events(run.stdout).at(-1);
    expect(done?.type === 'run-done' ? done.report.acceptedHostKeys : undefined).toHaveLength(1);
    expectLive('h1', somaxconn);
  });

  it.each([
    // the key is met, then cannot be kept: the refusal names it
    ['/dev/null', () => '/dev/null', true],
    ['a file that cannot be created (in /proc)', () => '/proc/self/known_hosts', true],
    // known_hosts cannot even be read: refused before any key is met
    ['a path whose folder is a file', () => {
      const notDir = path.join(h.work, 'not-a-folder');
      fs.writeFileSync(notDir, '');
      return path.join(notDir, 'known_hosts');
    }, false],
  ])('refuses a host under accept-new when known_hosts cannot keep its key (%s): unreachable, exit 4, nothing applied', (_what, knownHosts, keyMet) => {
    const kh = knownHosts();
    const before: Record<string, Snapshot> = Object.fromEntries(hosts.map((n) => [n, h.snapshot(n)]));
    const { file } = config({ knownHostsFile: kh, hostKeyPolicy: 'accept-new' });
    const run = runCli(['apply', file, '--auto-approve', '--json']);
    expect(run.status).toBe(4);
    const report = reportOf(run.stdout);
    expect(report.acceptedHostKeys).toBeUndefined();
    for (const name of hosts) {
      const r = result(report, name);
      expect(r).toMatchObject({ status: 'unreachable', state: 'untouched', failure: { code: 'HOST_KEY_UNKNOWN' } });
      expect(r.failure?.message).toContain(kh);
      if (keyMet) expect(r.failure?.message).toContain(h.host(name).hostKeyFingerprint);
      expect(h.snapshot(name)).toEqual(before[name]);
    }
    expect(run.stderr).not.toMatch(/trusted a new host key/);
  });
});

describe('a file that would override tcpmem at boot, added after plan --out', () => {
  it.each([
    ['/etc/sysctl.d', 'zz-other.conf', (name: string) => h.host(name).sysctlDir],
    ['/run/sysctl.d', 'zz-run.conf', (name: string) => h.host(name).runSysctlDir],
  ])('makes the saved plan stale when it is in %s: refused (exit 1), the file named, nothing applied', (dir, conf, folder) => {
    const { file } = config({}, ['h1', 'h2']);
    const planFile = path.join(h.work, `shadow-${conf}.json`);
    expect(runCli(['plan', file, '--out', planFile]).status).toBe(0);
    const before = { h1: h.snapshot('h1'), h2: h.snapshot('h2') };
    const other = path.join(folder('h2'), conf);
    fs.writeFileSync(other, 'net.core.somaxconn = 7777\n');
    try {
      const run = runCli(['apply', planFile]);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/refused: the plan is stale/);
      expect(run.stdout).toContain(`h2: net.core.somaxconn (${dir}/${conf}, overriding tcpmem's file at boot) planned from absent, now 7777`);
      const json = reportOf(runCli(['apply', planFile, '--json']).stdout);
      expect(json.refused?.staleHosts).toEqual([{ host: 'h2', settings: [{ sysctl: 'net.core.somaxconn', where: 'override', planned: null, now: '7777', file: `${dir}/${conf}` }] }]);
      expect(h.snapshot('h1')).toEqual(before.h1);
      expect(h.snapshot('h2')).toEqual({ ...before.h2, files: { ...before.h2.files, [other]: 'net.core.somaxconn = 7777\n' } });
    } finally {
      fs.rmSync(other, { force: true });
    }
  });
});

describe('apply CONFIG with a host that cannot be reached', () => {
  it('keeps HOST_KEY_CHANGED and its warning for a host whose key changed, and applies the others (exit 4)', () => {
    const before = h.snapshot('h3');
    h.run('rotate-host-key', 'h3');
    try {
      const { file, somaxconn } = config();
      const run = runCli(['apply', file, '--auto-approve', '--json']);
      expect(run.status).toBe(4);
      const r = result(reportOf(run.stdout), 'h3');
      expect(r).toMatchObject({ status: 'unreachable', state: 'untouched', failure: { stage: 'connect', code: 'HOST_KEY_CHANGED' } });
      expect(r.failure?.message).toContain(h.host('h3').hostKeyFingerprint);
      expect(r.warnings).toContainEqual(expect.stringMatching(/HOST KEY CHANGED for .*man-in-the-middle/));
      expect(h.snapshot('h3')).toEqual(before);
      expectLive('h1', somaxconn);
      expectLive('h2', somaxconn);
    } finally {
      h.run('refresh-known-hosts');
    }
  });

  it('treats a host whose sshd is dead as unreachable (not invalid), applies the others and exits 4', () => {
    const before = h.snapshot('h3');
    h.run('kill-sshd', 'h3');
    try {
      const { file, somaxconn } = config();
      const run = runCli(['apply', file, '--auto-approve']);
      expect(run.status).toBe(4);
      expect(run.stdout).toMatch(/! h3 {2}unreachable, not touched: ssh [\d.]+:\d+: connect ECONNREFUSED/);
      expect(run.stdout).toMatch(/Apply finished with problems: 2 applied, 0 unchanged, 1 unreachable/);
      expect(run.stderr).not.toMatch(/invalid/);
      expectLive('h1', somaxconn);
      expectLive('h2', somaxconn);
      expect(h.snapshot('h3')).toEqual(before);
    } finally {
      h.run('start-sshd', 'h3');
    }
  });
});

describe('Ctrl-C during apply', () => {
  // h1 and h2 make the first batch; h2's commit is held in the rename of its file; SIGINT comes when h1 has
  // committed (its host-persisted event): h2 must finish, h3 (second batch) must not start.
  it.each([
    ['once', 1],
    ['twice', 2],
  ])('stops starting hosts, lets the committing one finish, reports each host as read back, and exits 130 (SIGINT %s)', async (_what, times) => {
    const { file, somaxconn } = config();
    const before = h.snapshot('h3');
    h.delaySyscalls('h2', { 'renameat2,renameat,rename': 5_000 });
    let end: Awaited<Running['exited']>;
    try {
      const run = start(['apply', file, '--auto-approve', '--events', '--batch', '2']);
      await run.until(isEvent('host-persisted', 'h1'));
      await h.waitForProcess('h2', committingMv, 60_000);
      run.kill('SIGINT');
      // a second signal sent before the first is handled would merge with it (signals do not queue)
      if (times === 2) {
        await run.until(isEvent('run-interrupted'));
        run.kill('SIGINT');
      }
      end = await run.exited;
    } finally {
      h.undelaySyscalls('h2');
    }
    expect(end.code).toBe(130);
    const all = events(end.stdout);
    expect(all.flatMap((e) => (e.type === 'run-interrupted' ? [[e.signal, e.running, e.forced]] : []))).toEqual(
      times === 1 ? [['SIGINT', ['h2'], false]] : [['SIGINT', ['h2'], false], ['SIGINT', ['h2'], true]],
    );
    expect(all.some((e) => e.type === 'host-started' && e.host === 'h3')).toBe(false);
    const last = all.at(-1);
    expect(last?.type).toBe('run-done');
    const report = last?.type === 'run-done' ? last.report : undefined;
    expect(report?.interrupted).toMatchObject({ signal: 'SIGINT', hostsRunning: ['h2'], ...(times === 2 ? { forced: true } : {}) });
    expect(report?.hosts.map((r) => [r.host, r.status, r.state])).toEqual([
      ['h1', 'applied', 'changed'],
      ['h2', 'applied', 'changed'],
      ['h3', 'skipped', 'untouched'],
    ]);
    expect(result(report!, 'h3').skipped).toMatch(/interrupted \(SIGINT\)/);
    // what the report says is what the hosts hold
    expectLive('h1', somaxconn);
    expectLive('h2', somaxconn);
    expect(h.snapshot('h3')).toEqual(before);
  }, 120_000);

  it('prints the summary with every host when interrupted without --events, and exits 130', async () => {
    const { file, somaxconn } = config();
    h.delaySyscalls('h2', { 'renameat2,renameat,rename': 5_000 });
    let end: Awaited<Running['exited']>;
    try {
      const run = start(['apply', file, '--auto-approve', '--batch', '2']);
      await run.until((l) => l === 'h1: applied', 'stderr');
      await h.waitForProcess('h2', committingMv, 60_000);
      run.kill('SIGINT');
      end = await run.exited;
    } finally {
      h.undelaySyscalls('h2');
    }
    expect(end.code).toBe(130);
    expect(end.stdout).toMatch(/✓ h1, h2 {2}applied: 1 setting/);
    expect(end.stdout).toMatch(/- h3 {2}skipped: not started: the run was interrupted \(SIGINT\)/);
    expect(end.stdout).toMatch(/Interrupted \(SIGINT\) after [\d.]+ s: no new host was started; h2 was under way and ended as shown above\./);
    expect(end.stdout).toMatch(/Apply interrupted: 2 applied, 0 unchanged, 1 skipped/);
    expectLive('h2', somaxconn);
  }, 120_000);
});

describe('--command-timeout', () => {
  it('holds within a second when the commit hangs, and says the host state is unknown rather than guessing', async () => {
    const { file, somaxconn } = config({}, ['h1']);
    h.delaySyscalls('h1', { 'renameat2,renameat,rename': 20_000 });
    let end: Awaited<Running['exited']>;
    try {
      const run = start(['apply', file, '--auto-approve', '--json', '--command-timeout', '2s']);
      end = await run.exited;
    } finally {
      h.undelaySyscalls('h1');
    }
    expect(end.code).toBe(3);
    const r = result(reportOf(end.stdout), 'h1');
    expect(r).toMatchObject({ status: 'failed', state: 'unknown', failure: { stage: 'commit', code: 'TCPMEM_APPLY_OUTCOME_UNKNOWN' } });
    expect(r.failure?.message).toMatch(/did not finish within 2000 ms/);
    // the host's whole transaction within a second of the timeout (and what connecting took; 13–15 s before)
    expect(r.durationMs).toBeLessThan(2_000 + 1_000 + 1_000);
    // the delayed rename goes on once undelayed: the commit step ends on its own, NEW (polled: an end state)
    let file99 = h.tcpmemFile('h1') ?? '';
    for (let i = 0; i < 100 && !file99.includes(`= ${String(somaxconn)}`); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      file99 = h.tcpmemFile('h1') ?? '';
    }
    expectLive('h1', somaxconn);
  }, 120_000);
});
