import { validateDefinition } from '@tcpmem/schema';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli';

/**
 * `tcpmem apply` through the real binary, without hosts: --dry-run on the examples (the kernel model), the
 * output forms (human, --json, --events), and the refusals (no confirmation possible, an offline or broken or
 * unsafe plan file, contradicting flags), each with its exit code.
 */
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-apply-cli-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const savedPlan = (name: string): string => {
  const file = path.join(tmp, name);
  const run = runCli(['plan', 'examples/web-fleet', '--offline', '--out', file, '--json']);
  expect(run.status).toBe(0);
  return file;
};

describe('tcpmem apply --dry-run', () => {
  it('applies an example fleet to the kernel model and says what each host would end with', () => {
    const run = runCli(['apply', 'examples/web-fleet', '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('dry run: applied to the kernel model, no host contacted');
    expect(run.stdout).toMatch(/web-1, web-2, web-3, web-4 {2}applied: 4 settings/);
    expect(run.stdout).toMatch(/~ net\.ipv4\.tcp_wmem 4096 16384 4194304 → 4096 16384 8388608/);
    expect(run.stdout).toMatch(/Dry run complete: 6 applied/);
    expect(run.stderr).toContain('tcpmem plan examples/web-fleet (offline');
  });

  it('prints one apply report with --json', () => {
    const run = runCli(['apply', 'examples/mixed-fleet', '--dry-run', '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { kind: string; executor: string; summary: { hosts: number; failed: number }; hosts: { status: string; file?: { entries: Record<string, string> } }[] };
    expect(report).toMatchObject({ kind: 'apply-report', formatVersion: 1, executor: 'model' });
    const checked = validateDefinition('ApplyReport', report);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(report.summary.failed).toBe(0);
    expect(report.hosts.length).toBe(report.summary.hosts);
  });

  it('streams events as JSON lines with --events, ending with run-done and the report', () => {
    const run = runCli(['apply', 'examples/web-fleet', '--dry-run', '--events']);
    expect(run.status).toBe(0);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; elapsedMs: number; host?: string });
    expect(events[0]?.type).toBe('run-started');
    expect(events.at(-1)?.type).toBe('run-done');
    expect(events.filter((e) => e.type === 'host-done')).toHaveLength(6);
    expect(events.filter((e) => e.host === 'web-1').map((e) => e.type)).toEqual(['host-started', 'host-read', 'host-prepared', 'host-written', 'host-verified', 'host-persisted', 'host-done']);
    expect(events.every((e) => typeof e.elapsedMs === 'number')).toBe(true);
  });

  it.each([
    ['a newline that would forge a line of the summary', 'web-1\n  ✓ forged  applied: 0 settings', 'web-1\\n  ✓ forged  applied: 0 settings', '\n  ✓ forged'],
    ['an escape sequence that would clear the terminal', 'web-1\u001b[2J', 'web-1\\e[2J', '\u001b'],
  ])('shows host names of a saved plan escaped when they hold %s', (_what, name, shown, raw) => {
    const file = savedPlan(`named-${String(name.length)}.json`);
    const plan = JSON.parse(fs.readFileSync(file, 'utf8')) as { hosts: { name: string }[] };
    plan.hosts[0]!.name = name;
    fs.writeFileSync(file, JSON.stringify(plan));
    const run = runCli(['apply', file, '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(shown);
    expect(run.stdout).not.toContain(raw);
  });

  it('applies a saved offline plan to the model', () => {
    const run = runCli(['apply', savedPlan('offline.json'), '--dry-run', '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ executor: 'model', summary: { applied: 6 } });
  });
});

describe('tcpmem apply refuses', () => {
  it('a config without a terminal to confirm on and without --auto-approve (exit 64)', () => {
    const run = runCli(['apply', 'examples/web-fleet']);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/refusing to apply without confirmation/);
    expect(run.stderr).toMatch(/--auto-approve/);
  });

  it('a plan or config path that does not exist, as such, also without a terminal and --auto-approve (exit 1)', () => {
    const missing = path.join(tmp, 'artifact-not-downloaded', 'plan.json');
    for (const args of [[], ['--auto-approve']]) {
      const run = runCli(['apply', missing, ...args]);
      expect(run.stderr).toBe(`error TCPMEM_PATH: ${missing}: no such file or folder\n    hint: Check the path; it is read relative to the current folder.\n`);
      expect(run.status).toBe(1);
    }
  });

  it('a saved plan made offline, over SSH (exit 1)', () => {
    const run = runCli(['apply', savedPlan('offline-2.json')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/TCPMEM_PLAN_OFFLINE: .* was planned offline/);
  });

  it('a plan file that does not validate, locating the problems (exit 1)', () => {
    const file = path.join(tmp, 'broken.json');
    fs.writeFileSync(file, JSON.stringify({ kind: 'plan', formatVersion: 1, hosts: 'none' }));
    const run = runCli(['apply', file, '--dry-run']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/TCPMEM_INVALID_PLAN: .*broken\.json is not a valid plan/);
  });

  it('a plan that names a sysctl outside the registry, before anything is contacted (exit 1)', () => {
    const file = savedPlan('unsafe.json');
    const plan = JSON.parse(fs.readFileSync(file, 'utf8')) as { hosts: { changes: { sysctl: string }[] }[] };
    plan.hosts[0]!.changes[0]!.sysctl = 'kernel.core_pattern';
    fs.writeFileSync(file, JSON.stringify(plan));
    const run = runCli(['apply', file, '--dry-run']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/TCPMEM_UNSAFE_PLAN: .*"kernel\.core_pattern" is not a sysctl tcpmem manages/);
  });

  /** A saved plan of examples/web-fleet with one value of web-1 edited: the file and the change's JSON pointer. */
  const editedPlan = (name: string, sysctl: string, after: number[]): { file: string; at: string } => {
    const file = savedPlan(name);
    const plan = JSON.parse(fs.readFileSync(file, 'utf8')) as { hosts: { name: string; changes: { sysctl: string; after: number[] }[] }[] };
    const h = plan.hosts.findIndex((host) => host.name === 'web-1');
    const c = plan.hosts[h]!.changes.findIndex((change) => change.sysctl === sysctl);
    plan.hosts[h]!.changes[c]!.after = after;
    fs.writeFileSync(file, JSON.stringify(plan, null, 2));
    return { file, at: `/hosts/${h}/changes/${c}/after` };
  };

  it('a plan whose triple was edited out of order, even --dry-run, applying nothing (exit 1)', () => {
    const { file, at } = editedPlan('reversed.json', 'net.ipv4.tcp_wmem', [8388608, 16384, 4096]);
    const run = runCli(['apply', file, '--dry-run']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`TCPMEM_UNSAFE_PLAN: refusing ${file}, before contacting any host: web-1: net.ipv4.tcp_wmem 8388608 16384 4096 is not non-decreasing (min ≤ default ≤ max) (at ${at}, TCPMEM_TRIPLE_ORDER)`);
    expect(run.stderr).toContain('hint: Plan again (`tcpmem plan CONFIG --out FILE`) and apply that plan; a saved plan is not edited by hand.');
  });

  it('a plan with a value the kernel would refuse, with the problems in the --json error (exit 1)', () => {
    const { file, at } = editedPlan('somaxconn.json', 'net.core.somaxconn', [4294967296]);
    const run = runCli(['apply', file, '--dry-run', '--json']);
    expect(run.status).toBe(1);
    const { error } = JSON.parse(run.stdout) as { error: { code: string; exitCode: number; problems: { code: string; file: string; path: string; message: string }[] } };
    expect(error).toMatchObject({ code: 'TCPMEM_UNSAFE_PLAN', exitCode: 1 });
    expect(error.problems).toEqual([{ code: 'TCPMEM_KERNEL_REJECTS', severity: 'error', file, path: at, message: expect.stringMatching(/^web-1: net\.core\.somaxconn 4294967296: kernel 6\.1\.0-26-cloud-amd64 would reject it: .*does not fit an int/) }]);
  });

  it.each([
    [['--json', '--events'], /--json and --events/],
    [['--max-fail', 'lots'], /--max-fail "lots" is not N or N%/],
    [['--max-fail', '150%'], /--max-fail "150%" is not N or N% \(a share of the hosts is at most 100%\)/],
    [['--connect-timeout', 'soon'], /--connect-timeout "soon" is not a duration/],
    [['--parallelism', '0'], /parallelism/i],
  ])('contradicting or malformed flags %j (exit 64)', (flags, message) => {
    const run = runCli(['apply', 'examples/web-fleet', '--dry-run', ...flags]);
    expect(run.status).toBe(64);
    expect(run.stderr + run.stdout).toMatch(message);
  });

  it('--target with a saved plan, which is applied exactly as made (exit 64)', () => {
    const run = runCli(['apply', savedPlan('target.json'), '--dry-run', '--target', 'web-1']);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/a saved plan is applied exactly as it was made/);
  });
});
