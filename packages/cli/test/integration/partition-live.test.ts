import type { ApplyEvent, ApplyReport } from '@tcpmem/apply';
// apply's netns harness (hosts, syscall delays, session processes), reused by this test only
// eslint-disable-next-line @nx/enforce-module-boundaries
import { Harness } from '../../../apply/test/integration/harness';
import { runCli } from '../run-cli';
import { isEvent, start, type Running } from './running-cli';

/**
 * A host whose open SSH connection goes dark (a network partition: its packets silently dropped, the harness's
 * `partition NAME on`) while tcpmem holds it: the real `tcpmem` binary must report the host as the docs say and
 * then exit by itself, within the bounds the docs give (each connection's close bounded, 2 s), not when TCP gives
 * up on the half-closed socket (~15 min). Moments are made with syscall delays on a host's sshd and with the
 * events tcpmem prints, never with sleeps; the partition is lifted in a finally.
 */
let h: Harness;
const hosts = ['h1', 'h2', 'h3'] as const;

beforeAll(() => {
  h = Harness.up(3);
}, 120_000);
afterAll(() => {
  for (const name of hosts) {
    h.run('partition', name, 'off');
    h.undelaySyscalls(name);
  }
  h.down();
}, 120_000);

let round = 0;
/** A config for the hosts, every one with a new somaxconn (so every host has something to do). */
function config(ssh: Record<string, unknown> = {}): { file: string; somaxconn: number } {
  round += 1;
  const somaxconn = 5000 + round;
  const file = h.fleet(`partition-${String(round)}.json`, Object.fromEntries(hosts.map((n) => [n, { 'net.core.somaxconn': somaxconn }])), { ssh });
  return { file, somaxconn };
}

/** What the partition tests allow from the moment a host goes dark to the end of the process (the hang was ~15 min). */
const EXIT_BOUND_MS = 30_000;

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the process was still running after the bound (it was then killed). */
  readonly hung: boolean;
  /** When it exited, on this clock. */
  readonly at: number;
}

/** Waits for the process to exit by itself within `ms`; kills it (SIGKILL) past that, and says it hung. */
async function exitWithin(run: Running, ms: number): Promise<Ended> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  const end = await Promise.race([run.exited, bound]);
  clearTimeout(timer);
  if (end !== 'hung') return { ...end, hung: false, at: Date.now() };
  run.kill('SIGKILL');
  return { ...(await run.exited), hung: true, at: Date.now() };
}

/** When a line first matched (on this clock), or undefined when the process ended without it. */
const seen = (run: Running, match: (line: string) => boolean): Promise<number | undefined> => run.until(match).then(() => Date.now(), () => undefined);

const events = (stdout: string): ApplyEvent[] =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as ApplyEvent);

function reportOf(all: readonly ApplyEvent[]): ApplyReport {
  const last = all.at(-1);
  if (last?.type !== 'run-done') throw new Error(`the last event is ${String(last?.type)}, not run-done`);
  return last.report;
}

const result = (report: ApplyReport, host: string) => report.hosts.find((x) => x.host === host)!;

function expectLive(host: string, somaxconn: number): void {
  expect(`${host} ${h.live(host, 'net.core.somaxconn')}`).toBe(`${host} ${String(somaxconn)}`);
}

describe('a host that goes dark while tcpmem holds its connection', () => {
  it('apply CONFIG: the plan\'s connection, kept idle for the transaction, goes dark: the host times out untouched and tcpmem exits (3) right after run-done', async () => {
    const { file, somaxconn } = config();
    const before = h.snapshot('h3');
    const run = start(['apply', file, '--auto-approve', '--parallelism', '1', '--connect-timeout', '3s', '--command-timeout', '5s', '--events']);
    const done = seen(run, isEvent('run-done'));
    let end: Ended;
    try {
      // every host was read (the plan is made) and h3's connection waits in the pool while h1 applies
      await run.until(isEvent('host-started', 'h1'));
      h.run('partition', 'h3', 'on');
      end = await exitWithin(run, EXIT_BOUND_MS);
    } finally {
      h.run('partition', 'h3', 'off');
    }
    expect({ hung: end.hung, code: end.code }).toEqual({ hung: false, code: 3 });
    const doneAt = await done;
    // the close is bounded (2 s) and awaited before run-done: nothing is left to wait for after it
    expect(end.at - doneAt!).toBeLessThan(2_000);
    const all = events(end.stdout);
    const report = reportOf(all);
    expect(report.hosts.map((r) => [r.host, r.status, r.state])).toEqual([
      ['h1', 'applied', 'changed'],
      ['h2', 'applied', 'changed'],
      ['h3', 'failed', 'untouched'],
    ]);
    expect(result(report, 'h3').failure).toMatchObject({ code: 'COMMAND_TIMEOUT' });
    const closed = all.find((e) => e.type === 'sessions-closed');
    expect(closed?.type === 'sessions-closed' ? closed.closeMs['h3'] : undefined).toBeLessThanOrEqual(2_100);
    expectLive('h1', somaxconn);
    expectLive('h2', somaxconn);
    expect(h.snapshot('h3')).toEqual(before);
  }, 120_000);

  it('apply PLAN: a host goes dark while its commit is held: outcome unknown (3), and tcpmem exits right after run-done', async () => {
    const { file, somaxconn } = config();
    const planFile = `${file}.plan.json`;
    expect(runCli(['plan', file, '--out', planFile]).status).toBe(0);
    h.delaySyscalls('h2', { 'renameat2,renameat,rename': 20_000 });
    let end: Ended;
    let done: Promise<number | undefined>;
    try {
      const run = start(['apply', planFile, '--command-timeout', '4s', '--events']);
      done = seen(run, isEvent('run-done'));
      // the commit's mv of the temporary file over 99-tcpmem.conf, held before renameat2
      await h.waitForProcess('h2', (p) => p.cmdline[0] === 'mv' && p.cmdline.some((a) => a.includes('.99-tcpmem.conf.') && a.endsWith('.tmp')), 60_000);
      h.run('partition', 'h2', 'on');
      end = await exitWithin(run, EXIT_BOUND_MS);
    } finally {
      h.run('partition', 'h2', 'off');
      h.undelaySyscalls('h2');
    }
    expect({ hung: end.hung, code: end.code }).toEqual({ hung: false, code: 3 });
    const doneAt = await done;
    expect(end.at - doneAt!).toBeLessThan(2_000);
    const report = reportOf(events(end.stdout));
    expect(report.hosts.map((r) => [r.host, r.status, r.state])).toEqual([
      ['h1', 'applied', 'changed'],
      ['h2', 'failed', 'unknown'],
      ['h3', 'applied', 'changed'],
    ]);
    expect(result(report, 'h2').failure).toMatchObject({ stage: 'commit', code: 'TCPMEM_APPLY_OUTCOME_UNKNOWN' });
    expectLive('h1', somaxconn);
    expectLive('h3', somaxconn);
  }, 120_000);

  it('plan (live): a host goes dark while it is being read: it is unreachable (COMMAND_TIMEOUT) and tcpmem exits', async () => {
    const { file } = config({ commandTimeout: '3s' });
    // the read script's first cat (of a sysctl.d file, else of /proc/meminfo) held in fadvise64, which sshd never
    // calls: the read is under way and has not ended
    h.delaySyscalls('h1', { fadvise64: 20_000 });
    let end: Ended;
    const started = Date.now();
    try {
      const run = start(['plan', file, '--json']);
      await h.waitForProcess('h1', (p) => p.cmdline[0] === 'cat', 60_000);
      h.run('partition', 'h1', 'on');
      end = await exitWithin(run, EXIT_BOUND_MS);
    } finally {
      h.run('partition', 'h1', 'off');
      h.undelaySyscalls('h1');
    }
    expect({ hung: end.hung, code: end.code }).toEqual({ hung: false, code: 4 });
    // the 3 s command timeout, then the close bounded by 2 s
    expect(end.at - started).toBeLessThan(3_000 + 2_000 + 5_000);
    const plan = JSON.parse(end.stdout) as { hosts: { name: string; status: string; unreachable?: { code?: string } }[] };
    expect(plan.hosts.map((x) => [x.name, x.status])).toEqual([
      ['h1', 'unreachable'],
      ['h2', 'ok'],
      ['h3', 'ok'],
    ]);
    expect(plan.hosts[0]?.unreachable).toMatchObject({ code: 'COMMAND_TIMEOUT' });
  }, 120_000);
});
