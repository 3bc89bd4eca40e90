import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from '../run-cli';
import { netnsHostsScript, readNetnsHostsState, type NetnsHostsState } from '../../../../test-hosts/netns-hosts-state';

/**
 * What an operator installs outside this monorepo (`npm run pack` → dist-pkg/): the `tcpmem` bundle installed
 * with `npm i -g --prefix` into a fresh prefix and run from another folder, over SSH too (ssh2 bundled, against a
 * real sshd); and @tcpmem/pulumi installed into a copy of examples/pulumi outside the repository, type-checked with
 * tsc and run under Pulumi's mocks. Our packages come only from the tarballs; the registry serves third-party ones.
 */
let tmp: string;
let packed: string[];
const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-packaged-'));
  fs.chmodSync(tmp, 0o755);
  const out = execFileSync('npm', ['run', '--silent', 'pack'], { cwd: repoRoot, encoding: 'utf8' });
  packed = out.split('\n').filter((l) => l.endsWith('.tgz')).map((l) => path.join(repoRoot, l));
}, 300_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const tarball = (name: string): string => {
  const found = packed.find((file) => path.basename(file).startsWith(`tcpmem-${name}-`));
  if (found === undefined) throw new Error(`npm run pack made no tcpmem-${name}-*.tgz (made: ${packed.join(', ')})`);
  return found;
};

function run(command: string, args: readonly string[], cwd: string, timeout = 120_000): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env, timeout });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Every command of this checkout, as typed, from its sources (one file a command, the path is the id):
 * src/commands/report/merge.ts is `tcpmem report merge`. Read here, not from the pack's list, to check that list.
 */
function checkoutCommands(): string[][] {
  const dir = path.join(repoRoot, 'packages/cli/src/commands');
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length).split(path.sep))
    .sort();
}

/** The TOPICS and COMMANDS sections of `tcpmem help`: what a CLI lists, without its version and description. */
const listing = (help: string): string => help.slice(help.search(/^(TOPICS|COMMANDS)$/m));

describe('the tcpmem CLI, installed from its tarball', () => {
  let prefix: string;
  let tcpmem: string;
  let elsewhere: string;

  beforeAll(() => {
    prefix = path.join(tmp, 'prefix');
    elsewhere = path.join(tmp, 'elsewhere');
    fs.mkdirSync(elsewhere);
    // --offline: the bundle has no dependencies, so installing it must not need the registry at all.
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball('cli')], { cwd: elsewhere, stdio: 'pipe' });
    tcpmem = path.join(prefix, 'bin', 'tcpmem');
  }, 120_000);

  it('is one self-contained package: no dependencies, nothing from this checkout', () => {
    const installed = path.join(prefix, 'lib', 'node_modules', '@tcpmem', 'cli');
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toBeUndefined();
    expect(fs.readdirSync(path.join(prefix, 'lib', 'node_modules'))).toEqual(['@tcpmem']);
    expect(fs.existsSync(path.join(installed, 'node_modules'))).toBe(false);
    const bundle = fs.readFileSync(path.join(installed, 'dist', 'tcpmem.js'), 'utf8');
    expect(bundle).not.toContain(repoRoot);
    // oclif's tsconfig reader names the TypeScript compiler (10 MB) for development checkouts only; bundled, it
    // more than doubled every command's start (bench/plan/profile.md, 2026-12-04 evening).
    expect(bundle).not.toContain('node_modules/typescript/lib/typescript.js');
    expect(bundle.length).toBeLessThan(6_000_000);
  });

  it('prints its version and the commit it was built from', () => {
    const result = run(tcpmem, ['--version'], elsewhere);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^tcpmem 0\\.\\d+\\.\\d+ \\(commit ${head}\\) node-v\\d+`));
  });

  it('plans a copy of examples/web-fleet from another folder, offline', () => {
    fs.cpSync(path.join(repoRoot, 'examples/web-fleet'), path.join(elsewhere, 'web-fleet'), { recursive: true });
    const result = run(tcpmem, ['plan', 'web-fleet', '--offline'], elsewhere);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Plan: 22 to add, 0 to change, 0 to restore, 0 unchanged, on 6 of 6 hosts.');
  });

  it('ships its read worker: a discovered fleet plans the same with read workers forced on and off', () => {
    const installed = path.join(prefix, 'lib', 'node_modules', '@tcpmem', 'cli');
    expect(fs.existsSync(path.join(installed, 'dist', 'read-worker.js'))).toBe(true);
    // A fleet as `tcpmem discover` leaves it: a facts file per host (the bench's generator, from the QEMU captures).
    execFileSync(process.execPath, [path.join(repoRoot, 'bench/plan/generate-discovered-fleet.js'), '--hosts', '60', '--out', path.join(elsewhere, 'discovered')], { stdio: 'pipe' });
    const planWith = (workers: string): string => {
      const result = spawnSync(tcpmem, ['plan', 'discovered/fleet.yaml', '--offline', '--json'], { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TCPMEM_READ_WORKERS: workers }, timeout: 120_000 });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const plan = JSON.parse(result.stdout) as { createdAt?: string; hosts: unknown[] };
      expect(plan.hosts).toHaveLength(60);
      delete plan.createdAt;
      return JSON.stringify(plan);
    };
    expect(planWith('2')).toBe(planWith('0'));
  });

  it('has every command of the checkout, nested ones too (report merge)', () => {
    const commands = checkoutCommands();
    expect(commands).toContainEqual(['report', 'merge']);
    // The texts alike but for the package's description (the tarball's names its commit), which the root help
    // (`tcpmem help --help` too) begins with.
    const description = (file: string): string => (JSON.parse(fs.readFileSync(file, 'utf8')) as { description: string }).description;
    const bundled = description(path.join(prefix, 'lib', 'node_modules', '@tcpmem', 'cli', 'package.json'));
    const checkout = description(path.join(repoRoot, 'packages/cli/package.json'));
    for (const command of commands) {
      const installed = run(tcpmem, [...command, '--help'], elsewhere);
      expect({ command, stderr: installed.stderr, status: installed.status }).toEqual({ command, stderr: '', status: 0 });
      expect(installed.stdout.replace(bundled, checkout)).toBe(runCli([...command, '--help']).stdout);
    }
    const help = run(tcpmem, ['help'], elsewhere);
    expect(help.status).toBe(0);
    expect(listing(help.stdout)).toBe(listing(runCli(['help']).stdout));
    expect(listing(help.stdout)).toMatch(/^TOPICS\n {2}report /);
  }, 120_000);

  it('merges the plans of two shards into the plan of the whole fleet (report merge)', () => {
    fs.cpSync(path.join(repoRoot, 'examples/mixed-fleet'), path.join(elsewhere, 'mixed-fleet'), { recursive: true });
    const plan = (...args: string[]): void => {
      const result = run(tcpmem, ['plan', 'mixed-fleet', '--offline', ...args], elsewhere);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    };
    plan('--shard', '1/2', '--out', 'shard-1.json');
    plan('--shard', '2/2', '--out', 'shard-2.json');
    plan('--out', 'whole.json');
    const merged = run(tcpmem, ['report', 'merge', 'shard-1.json', 'shard-2.json', '--out', 'merged.json'], elsewhere);
    expect(merged.stderr).toBe('');
    expect(merged.status).toBe(0);
    const read = (file: string): Record<string, unknown> => ({ ...JSON.parse(fs.readFileSync(path.join(elsewhere, file), 'utf8')), createdAt: 'same clock' });
    const whole = read('whole.json');
    expect(merged.stdout).toContain(`merged plan: ${(whole['hosts'] as unknown[]).length} hosts`);
    expect(read('merged.json')).toEqual(whole);
    for (const shard of ['shard-1.json', 'shard-2.json']) expect((read(shard)['hosts'] as unknown[]).length).toBeGreaterThan(0);
  });

  it.each([
    [['validate', 'web-fleet', '--json'], 0],
    [['model', '--memory', '8GiB', '--kernel', '6.1', '--json'], 0],
    [['paln', 'web-fleet'], 64],
    [['help', 'plan'], 0],
    [['completion', 'bash'], 0],
  ])('runs %j from another folder and exits %i', (args, status) => {
    expect(run(tcpmem, args, elsewhere).status).toBe(status);
  });

  describe('over SSH, with the bundled ssh2 against a real sshd', () => {
    let state: NetnsHostsState;
    const stateDir = (): string => path.join(tmp, 'hosts');

    beforeAll(() => {
      execFileSync(netnsHostsScript, ['up', '1', stateDir()], { stdio: ['ignore', 'ignore', 'pipe'] });
      state = readNetnsHostsState(stateDir());
    }, 180_000);

    afterAll(() => {
      execFileSync(netnsHostsScript, ['down', stateDir()], { stdio: 'ignore' });
    }, 120_000);

    it('plans a host live', () => {
      const host = state.hosts[0]!;
      const dir = path.join(elsewhere, 'live');
      fs.mkdirSync(dir);
      fs.writeFileSync(
        path.join(dir, 'fleet.yaml'),
        [
          'kind: fleet',
          'defaults:',
          `  ssh: { user: ${state.user}, identityFile: ${state.identityFile}, knownHostsFile: ${state.knownHosts}, connectTimeout: 5s }`,
          '  sysctls:',
          '    net.core.somaxconn: 8192',
          'hosts:',
          `  ${host.name}: { address: ${host.address}, ssh: { port: ${host.port} } }`,
          '',
        ].join('\n'),
      );
      const result = run(tcpmem, ['plan', 'live', '--json'], elsewhere);
      expect(result.status).toBe(0);
      const plan = JSON.parse(result.stdout);
      expect(plan.mode).toBe('live');
      expect(plan.hosts[0]).toMatchObject({ status: 'ok', source: 'live' });
      expect(plan.hosts[0].changes.find((c: { sysctl: string }) => c.sysctl === 'net.core.somaxconn')).toMatchObject({ after: [8192] });
    }, 120_000);

    it('applies to the host with the transaction script it ships', () => {
      const host = state.hosts[0]!;
      const result = run(tcpmem, ['apply', 'live', '--auto-approve', '--json'], elsewhere);
      expect(result.stderr).not.toContain('transaction.sh');
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ summary: { applied: 1, failed: 0 } });
      expect(fs.readFileSync(path.join(host.sysctlDir, '99-tcpmem.conf'), 'utf8')).toContain('net.core.somaxconn = 8192');
    }, 120_000);
  });
});

describe('@tcpmem/pulumi, installed into examples/pulumi copied outside the repository', () => {
  let program: string;

  beforeAll(() => {
    program = path.join(tmp, 'pulumi-program');
    fs.cpSync(path.join(repoRoot, 'examples/pulumi'), program, { recursive: true });
    const ours = ['pulumi', 'app', 'schema', 'kernel-model', 'plan', 'apply'].map(tarball);
    // Third-party packages (@pulumi/pulumi, ssh2, ajv, yaml) from the npm cache or the registry; ours from dist-pkg.
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...ours], { cwd: program, stdio: 'pipe', timeout: 540_000 });
  }, 600_000);

  it('takes every @tcpmem package from the tarballs', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(program, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
    const ours = Object.entries(lock.packages).filter(([where]) => where.includes('node_modules/@tcpmem/'));
    expect(ours.map(([where]) => where).sort()).toEqual(['app', 'apply', 'kernel-model', 'plan', 'pulumi', 'schema'].map((p) => `node_modules/@tcpmem/${p}`));
    for (const [, entry] of ours) expect(entry.resolved).toMatch(/^file:.*dist-pkg\/tcpmem-[a-z-]+-[0-9.]+\.tgz$/);
  });

  it('type-checks with tsc', () => {
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    const result = run(process.execPath, [tsc, '-p', '.'], program);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);

  it('declares its hosts and its fleet under Pulumi\'s mocks', () => {
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    expect(run(process.execPath, [tsc, '-p', '.', '--noEmit', 'false', '--outDir', '.'], program).status).toBe(0);
    fs.copyFileSync(path.join(__dirname, 'packaged/run-pulumi-mocked.js'), path.join(program, 'run-pulumi-mocked.js'));
    const result = run(process.execPath, ['run-pulumi-mocked.js'], program);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([
      'pulumi-nodejs:dynamic/tcpmem:HostTcpMemory db-1',
      'pulumi-nodejs:dynamic/tcpmem:HostTcpMemory dtn-1',
      'pulumi-nodejs:dynamic/tcpmem:HostTcpMemory web-web-1',
      'pulumi-nodejs:dynamic/tcpmem:HostTcpMemory web-web-2',
      'tcpmem:index:TcpMemFleet web',
    ]);
  }, 120_000);
});
