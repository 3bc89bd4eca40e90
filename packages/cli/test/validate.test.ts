import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from './run-cli';

function exampleFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return exampleFiles(full);
    return /\.(ya?ml|json)$/.test(entry.name) ? [path.relative(repoRoot, full)] : [];
  });
}

describe('tcpmem validate', () => {
  // examples/on-host/tcpmem-daemonset.yaml is a Kubernetes manifest (on-host-examples.test.ts checks it)
  const examples = exampleFiles(path.join(repoRoot, 'examples')).filter((f) => !f.includes('/pulumi/') && !f.endsWith('/on-host/tcpmem-daemonset.yaml'));

  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)('accepts the example %s', (file) => {
    const run = runCli(['validate', file]);
    // validate runs plan --offline's checks: an example may carry the warnings plan shows (transfer-cluster's TSQ cap).
    expect(run.stderr).not.toMatch(/ error /);
    expect(run.stderr).toMatch(/^(|[^]*\n0 errors, \d+ warnings?\n)$/);
    expect(run.status).toBe(0);
  });

  describe('on a broken file', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-validate-'));
      fs.writeFileSync(
        path.join(dir, 'broken.yaml'),
        'kind: fleet\nhosts:\n  web-1:\n    adress: 192.0.2.1\n    hardware: { kernel: "6.1", memory: 8 gigs }\n',
      );
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('prints each problem as file:line:column with a hint and exits 1', () => {
      const run = runCli(['validate', path.join(dir, 'broken.yaml')]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('broken.yaml:4:5: error TCPMEM_SCHEMA: unknown property "adress"');
      expect(run.stderr).toMatch(/broken\.yaml:5:\d+: error TCPMEM_SCHEMA: memory has an invalid form/);
      expect(run.stderr).toContain('hint:');
      expect(run.stderr).toContain('2 errors, 0 warnings');
    });

    it('with --json prints exactly one JSON document on stdout', () => {
      const run = runCli(['validate', path.join(dir, 'broken.yaml'), '--json']);
      expect(run.status).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.valid).toBe(false);
      expect(report.problems).toHaveLength(2);
      expect(report.problems[0]).toMatchObject({ line: 4, column: 5, path: '/hosts/web-1/adress' });
    });

    it('validates every file of a folder and reports the broken one', () => {
      fs.writeFileSync(path.join(dir, 'good.json'), JSON.stringify({ kind: 'hardware', hardware: { kernel: '6.12', memory: '2GiB' } }));
      const run = runCli(['validate', dir, '--json']);
      const report = JSON.parse(run.stdout);
      expect(report.files).toHaveLength(2);
      expect(new Set(report.problems.map((p: { file: string }) => path.basename(p.file)))).toEqual(new Set(['broken.yaml']));
    });
  });

  it('names a missing path and exits 1', () => {
    const run = runCli(['validate', 'no/such/dir']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error TCPMEM_PATH: no/such/dir: no such file or folder');
  });

  it('treats an unknown flag as a usage error (exit 64), also as JSON', () => {
    const run = runCli(['validate', 'examples', '--bogus', '--json']);
    expect(run.status).toBe(64);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'TCPMEM_USAGE', exitCode: 64 });
  });
});

describe('tcpmem --help', () => {
  it('lists the commands', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('validate');
  });

  it('shows each flag of validate with an example', () => {
    const run = runCli(['validate', '--help']);
    expect(run.stdout).toContain('--json');
    expect(run.stdout).toContain('EXAMPLES');
  });
});
