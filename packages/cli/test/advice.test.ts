import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from './run-cli';

/**
 * Issue 12, items 2, 11 and 13, through the real binary: tcpmem's advice on values that cripple TCP is shown as
 * located warnings by plan (human and --json) and apply, and `--strict` fails on it (exit 5); a problem many hosts
 * share is printed once with the hosts; a broader setting that beats a workload is a located warning.
 */
const fleets: Record<string, string> = {
  // The four values of the issue, in one group of two hosts (lines 6 to 9).
  crippled: `kind: fleet
defaults:
  hardware: { kernel: 6.1.0-26-amd64, memory: 8GiB, cpus: 4 }
groups:
  crippled:
    sysctls:
      net.ipv4.tcp_mem: [1, 2, 3]
      net.ipv4.tcp_limit_output_bytes: 0
      net.ipv4.tcp_max_orphans: 0
      net.ipv4.tcp_wmem: { min: 1 }
hosts:
  web-1: { groups: [crippled] }
  web-2: { groups: [crippled] }
`,
  // Sane values, and the same values as sane-1 would get by default.
  sane: `kind: fleet
defaults:
  hardware: { kernel: 6.1.0-26-amd64, memory: 8GiB, cpus: 4 }
  sysctls:
    net.ipv4.tcp_mem: { low: 3%, pressure: 4%, high: 6% }
    net.ipv4.tcp_rmem: [4096, 87380, 32MiB]
    net.ipv4.tcp_max_orphans: { atLeast: 65536 }
hosts:
  sane-1: {}
`,
  // The rx group's 40 Gbit/2 ms/200-flow workload, beaten by a tcp_rmem in defaults (line 5); the workload is on line 8.
  rx: `kind: fleet
defaults:
  hardware: { kernel: 6.12.57-amd64, memory: 64GiB, cpus: 16 }
  sysctls:
    net.ipv4.tcp_rmem: { max: { atLeast: 16MiB } }
groups:
  rx:
    workload: { flowRate: 40Gbit, rtt: 2ms, flows: 200, direction: receive }
hosts:
  rx-1: { groups: [rx] }
  web-1: {}
`,
  // 30 transfer hosts on 6.1 whose one workload TSQ caps: one warning, 30 hosts.
  tsq: `kind: fleet
defaults:
  hardware: { kernel: 6.1.0-26-amd64, memory: 128GiB, cpus: 32 }
  workload: { flowRate: 25Gbit, rtt: 100ms, flows: 4 }
hosts:
${Array.from({ length: 30 }, (_x, i) => `  dtn-${String(i + 1).padStart(2, '0')}: {}`).join('\n')}
`,
  // 50 identical hosts.
  many: `kind: fleet
defaults:
  hardware: { kernel: 6.1.0-26-amd64, memory: 8GiB, cpus: 4 }
  sysctls: { net.core.somaxconn: 8192 }
hosts:
${Array.from({ length: 50 }, (_x, i) => `  web-${String(i + 1).padStart(2, '0')}: {}`).join('\n')}
`,
  // Every host invalid: tcpmem cannot know their kernels.
  invalid: `kind: fleet
hosts:
  a: {}
  b: {}
`,
};

interface JsonProblem {
  code: string;
  severity: string;
  line?: number;
  column?: number;
  path?: string;
  message: string;
}
interface JsonHost {
  name: string;
  problems: JsonProblem[];
}

let dir: string;
const fleet = (name: string) => path.join(dir, name, 'fleet.yaml');

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-advice-'));
  for (const [name, text] of Object.entries(fleets)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(fleet(name), text);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('advice on values that cripple TCP (item 2)', () => {
  it.each([
    ['tcp_mem [1, 2, 3], at its first element', 7, 26, 'TCPMEM_ADVICE_MEM_TOO_LOW', /tcp_mem low, pressure and high \(1 2 3 pages\) are below 1% of this host's RAM/],
    ['tcp_limit_output_bytes: 0', 8, 7, 'TCPMEM_ADVICE_ZERO', /tcp_limit_output_bytes 0: TCP Small Queues/],
    ['tcp_max_orphans: 0', 9, 7, 'TCPMEM_ADVICE_ZERO', /tcp_max_orphans 0: every orphaned socket is reset/],
    ['tcp_wmem {min: 1}, at the field', 10, 28, 'TCPMEM_ADVICE_BUFFER_BELOW_PAGE', /tcp_wmem min \(1\) is below one page/],
  ])('plan warns about %s, located in the file, once for both hosts', (_what, line, column, code, message) => {
    const run = runCli(['plan', fleet('crippled'), '--offline']);
    expect(run.status).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith(`${fleet('crippled')}:${line}:${column}: warning ${code}: `));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toMatch(/\(2 hosts: web-1, web-2\)$/);
  });

  it('plan --json carries the advice in every host\'s problems, with line and column', () => {
    const run = runCli(['plan', fleet('crippled'), '--offline', '--json']);
    expect(run.status).toBe(0);
    const plan = JSON.parse(run.stdout) as { hosts: JsonHost[] };
    for (const host of plan.hosts) {
      expect(host.problems.map((p) => `${p.severity} ${p.code} ${p.line ?? '?'}:${p.column ?? '?'} ${p.path ?? ''}`)).toEqual([
        'warning TCPMEM_ADVICE_ZERO 8:7 /groups/crippled/sysctls/net.ipv4.tcp_limit_output_bytes',
        'warning TCPMEM_ADVICE_ZERO 9:7 /groups/crippled/sysctls/net.ipv4.tcp_max_orphans',
        'warning TCPMEM_ADVICE_MEM_TOO_LOW 7:26 /groups/crippled/sysctls/net.ipv4.tcp_mem/0',
        'warning TCPMEM_ADVICE_BUFFER_BELOW_PAGE 10:28 /groups/crippled/sysctls/net.ipv4.tcp_wmem/min',
      ]);
    }
  });

  it.each([
    ['plan', ['plan', '--offline']],
    ['plan --json', ['plan', '--offline', '--json']],
    ['plan --detailed-exitcode (5 wins over 2)', ['plan', '--offline', '--detailed-exitcode']],
  ])('%s --strict exits 5 on the advice', (_what, args) => {
    const run = runCli([...args, fleet('crippled'), '--strict']);
    expect(run.status).toBe(5);
    if (!args.includes('--json')) expect(run.stderr).toContain('--strict: 4 warnings, so this fails (exit code 5).');
  });

  it('plan --strict exits 0 on sane values: no advice on shares of RAM, ESnet\'s buffers or {atLeast}', () => {
    const run = runCli(['plan', fleet('sane'), '--offline', '--strict']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it.each(fs.readdirSync(path.join(repoRoot, 'examples')).filter((name) => fs.existsSync(path.join(repoRoot, 'examples', name, 'fleet.yaml'))))(
    'gives no advice on the sane values of examples/%s',
    (name) => {
      const run = runCli(['plan', `examples/${name}`, '--offline', '--json']);
      expect(run.status).toBe(0);
      const plan = JSON.parse(run.stdout) as { hosts: JsonHost[] };
      expect(plan.hosts.flatMap((h) => h.problems.map((p) => p.code)).filter((code) => code.startsWith('TCPMEM_ADVICE_') || code === 'TCPMEM_WORKLOAD_OVERRIDDEN')).toEqual([]);
    },
  );

  it('apply --dry-run shows the advice with the plan and applies it (exit 0)', () => {
    const run = runCli(['apply', fleet('crippled'), '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`${fleet('crippled')}:8:7: warning TCPMEM_ADVICE_ZERO: tcp_limit_output_bytes 0`);
    expect(run.stdout).toContain('Dry run complete: 2 applied');
  });

  it('apply --dry-run --strict shows the plan and its advice, applies nothing and exits 5', () => {
    const run = runCli(['apply', fleet('crippled'), '--dry-run', '--strict']);
    expect(run.status).toBe(5);
    expect(run.stderr).toContain(`${fleet('crippled')}:9:7: warning TCPMEM_ADVICE_ZERO: tcp_max_orphans 0`);
    expect(run.stderr).toContain('error TCPMEM_STRICT: the plan has 4 warnings and --strict is on; nothing was applied');
    expect(run.stdout).not.toContain('Dry run complete');
  });

  it('apply of a saved plan shows its advice after the report, and --strict refuses it before applying (exit 5)', () => {
    const saved = path.join(dir, 'crippled-plan.json');
    expect(runCli(['plan', fleet('crippled'), '--offline', '--out', saved]).status).toBe(0);
    const applied = runCli(['apply', saved, '--dry-run']);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain('Dry run complete: 2 applied');
    expect(applied.stderr).toContain("The plan's warnings:");
    expect(applied.stderr).toMatch(/:7:26: warning TCPMEM_ADVICE_MEM_TOO_LOW: .* \(2 hosts: web-1, web-2\)/);

    const strict = runCli(['apply', saved, '--dry-run', '--strict']);
    expect(strict.status).toBe(5);
    expect(strict.stderr).toMatch(/:10:28: warning TCPMEM_ADVICE_BUFFER_BELOW_PAGE: tcp_wmem min \(1\)/);
    expect(strict.stderr).toContain('error TCPMEM_STRICT: the plan has 4 warnings and --strict is on; nothing was applied');
    expect(strict.stdout).toBe('');

    const json = runCli(['apply', saved, '--dry-run', '--strict', '--json']);
    expect(json.status).toBe(5);
    const error = (JSON.parse(json.stdout) as { error: { code: string; exitCode: number; problems: JsonProblem[] } }).error;
    expect(error).toMatchObject({ code: 'TCPMEM_STRICT', exitCode: 5 });
    expect(error.problems.map((p) => p.code)).toEqual(['TCPMEM_ADVICE_ZERO', 'TCPMEM_ADVICE_ZERO', 'TCPMEM_ADVICE_MEM_TOO_LOW', 'TCPMEM_ADVICE_BUFFER_BELOW_PAGE']);
  });

  it('validate --strict exits 5 on a fleet with warnings and 0 on one without', () => {
    expect(runCli(['validate', fleet('crippled'), '--strict']).status).toBe(5);
    expect(runCli(['validate', fleet('sane'), '--strict']).status).toBe(0);
  });
});

describe('less noise in the human output (item 11)', () => {
  it('prints a warning 30 hosts share once, with the count and the first hosts; --json keeps it on every host', () => {
    const run = runCli(['plan', fleet('tsq'), '--offline']);
    expect(run.status).toBe(0);
    const tsq = run.stderr.split('\n').filter((l) => l.includes('TCPMEM_TSQ_CAPS_FLOW'));
    expect(tsq).toHaveLength(1);
    expect(tsq[0]).toMatch(/\(30 hosts: dtn-01, dtn-02, dtn-03, … and 27 more\)$/);
    expect(run.stderr).toContain('0 errors, 1 warning');
    const plan = JSON.parse(runCli(['plan', fleet('tsq'), '--offline', '--json']).stdout) as { hosts: JsonHost[] };
    expect(plan.hosts.filter((h) => h.problems.some((p) => p.code === 'TCPMEM_TSQ_CAPS_FLOW'))).toHaveLength(30);
  });

  it('heads 50 identical hosts with their count first, not "(and 46 more) (50 identical hosts)"', () => {
    const run = runCli(['plan', fleet('many'), '--offline']);
    expect(run.stdout).toContain('# 50 identical hosts: web-01, web-02, web-03, … and 47 more');
    expect(run.stdout).not.toContain('more) (');
  });

  it('does not say "No changes" when every host is invalid', () => {
    const run = runCli(['plan', fleet('invalid'), '--offline']);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('No changes');
    expect(run.stdout).toContain('No host could be planned: all 2 hosts are invalid (the errors above say why).');
  });

  it('prints each model note once', () => {
    const run = runCli(['model', '--memory', '8GiB', '--kernel', '4.4']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('- 4.4: no sublevel given'))).toHaveLength(1);
    const json = JSON.parse(runCli(['model', '--memory', '8GiB', '--kernel', '4.4', '--json']).stdout) as { kernel: { notes: string[] }; notes: string[] };
    expect(json.kernel.notes.some((n) => n.startsWith('4.4: no sublevel given'))).toBe(true);
  });
});

describe('a workload beaten by a broader setting (item 13)', () => {
  it('warns at the rx group\'s workload, naming the defaults setting and both values', () => {
    const run = runCli(['plan', fleet('rx'), '--offline']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(
      `${fleet('rx')}:8:5: warning TCPMEM_WORKLOAD_OVERRIDDEN: the group rx workload (200 flows × 40Gbit × 2ms RTT) would set net.ipv4.tcp_rmem to 4096 131072 20000000, but defaults sets it at /defaults/sysctls/net.ipv4.tcp_rmem/max, which wins: 4096 131072 16777216 is planned (at /groups/rx/workload)`,
    );
    expect(runCli(['plan', fleet('rx'), '--offline', '--strict']).status).toBe(5);
  });

  it('puts the warning on the workload\'s host only, in --json', () => {
    const plan = JSON.parse(runCli(['plan', fleet('rx'), '--offline', '--json']).stdout) as { hosts: JsonHost[] };
    expect(plan.hosts.map((h) => [h.name, h.problems.map((p) => `${p.code} ${p.line ?? '?'}:${p.column ?? '?'}`)])).toEqual([
      ['rx-1', ['TCPMEM_WORKLOAD_OVERRIDDEN 8:5']],
      ['web-1', []],
    ]);
  });
});
