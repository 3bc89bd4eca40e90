import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from './run-cli';

describe('commands that do not exist', () => {
  it('exits 64 (a usage error, not 2, which --detailed-exitcode means "has changes") and suggests the command meant', () => {
    const run = runCli(['paln', 'examples/web-fleet']);
    expect(run.status).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error TCPMEM_USAGE: "paln" is not a tcpmem command; did you mean "plan"?');
    expect(run.stderr).toContain('tcpmem help');
  });

  it.each([
    ['reprot', 'report'],
    ['discver', 'discover'],
  ])('suggests every command for a typo, a command with subcommands too: %s → %s', (typed, meant) => {
    const run = runCli([typed, 'merge']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain(`"${typed}" is not a tcpmem command; did you mean "${meant}"?`);
    expect(run.stderr).toMatch(/The commands are apply, completion, discover, help, model, plan, render, report, validate;/);
  });

  it('says a command takes no argument, not that the command itself does not exist (tcpmem model hw.yaml)', () => {
    const run = runCli(['model', 'examples/hardware/8gib-6.1.yaml']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('error TCPMEM_USAGE: tcpmem model takes no argument, and was given "examples/hardware/8gib-6.1.yaml"');
    expect(run.stderr).toContain('a hardware file goes after --hardware');
    expect(run.stderr).not.toContain('did you mean');
  });

  it("names a topic's commands for a subcommand it does not have (tcpmem report x)", () => {
    const run = runCli(['report', 'x']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('error TCPMEM_USAGE: "report x" is not a tcpmem command');
    expect(run.stderr).toContain('The report commands are report merge');
    expect(run.stderr).not.toContain('did you mean');
  });

  it('prints one JSON error document with --json', () => {
    const run = runCli(['valdate', 'examples/', '--json']);
    expect(run.status).toBe(64);
    expect(JSON.parse(run.stdout)).toEqual({ error: expect.objectContaining({ code: 'TCPMEM_USAGE', exitCode: 64, message: expect.stringContaining('did you mean "validate"?') }) });
  });

  it.each([['deploy'], ['help', 'paln']])('exits 64 for %j, suggesting nothing that is not close', (...args) => {
    const run = runCli(args);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('is not a tcpmem command');
    if (args[0] === 'deploy') expect(run.stderr).not.toContain('did you mean');
  });
});

describe('help', () => {
  it.each([[['help']], [['-h']], [['--help']], [[]]])('%j lists every command and exits 0', (args) => {
    const run = runCli(args);
    expect(run.status).toBe(0);
    for (const command of ['apply', 'completion', 'discover', 'model', 'plan', 'validate']) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
  });

  it.each([[['help', 'plan']], [['plan', '-h']], [['plan', '--help']]])('%j shows the flags of plan and exits 0', (args) => {
    const run = runCli(args);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('$ tcpmem plan CONFIG');
    expect(run.stdout).toContain('--detailed-exitcode');
  });
});

describe('--version', () => {
  it.each([['--version'], ['-v']])('%s prints the version and the commit of the checkout', (flag) => {
    const run = runCli([flag]);
    expect(run.status).toBe(0);
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '../package.json'), 'utf8')) as { version: string };
    expect(run.stdout.trim()).toMatch(new RegExp(`^tcpmem ${version.replace(/\./g, '\\.')} \\(commit ${head}\\) node-v\\d+`));
  });
});

describe('--target and --exclude', () => {
  const planned = (args: string[]): string[] => {
    const run = runCli(['plan', ...args, '--offline', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return (JSON.parse(run.stdout) as { hosts: { name: string }[] }).hosts.map((h) => h.name).sort();
  };

  it.each([
    [['--target', 'cache', 'examples/web-fleet'], ['cache-1', 'cache-2']],
    [['--target', 'web-1', '--target', 'cache-1', 'examples/web-fleet'], ['cache-1', 'web-1']],
    [['--target', 'web-1,cache-1', 'examples/web-fleet'], ['cache-1', 'web-1']],
    [['examples/web-fleet', '--target', 'web-*'], ['web-1', 'web-2', 'web-3', 'web-4']],
    [['--target', 'web-*', '--exclude', 'web-3,web-4', 'examples/web-fleet'], ['web-1', 'web-2']],
    [['--exclude', 'frontend', 'examples/web-fleet'], ['cache-1', 'cache-2']],
    [['--target=*-1', 'examples/web-fleet'], ['cache-1', 'web-1']],
  ])('%j plans %j (the config argument in any position, comma lists, globs, group names)', (args, hosts) => {
    expect(planned(args)).toEqual(hosts);
  });

  it.each([
    [['plan', '--offline']],
    [['plan', '--offline', '--json']],
    [['apply', '--dry-run']],
    [['apply', '--auto-approve']],
    [['discover']],
  ])('%j is a usage error (exit 64), not "No changes.", when --exclude leaves no host', (command) => {
    const run = runCli([...command, 'examples/web-fleet', '--target', 'web-*', '--exclude', 'frontend']);
    expect(run.status).toBe(64);
    const expected = 'no host is left after --target "web-*" --exclude "frontend": none of the fleet\'s 6 hosts are selected';
    if (command.includes('--json')) expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'TCPMEM_USAGE', message: expected, exitCode: 64 } });
    else expect(run.stderr).toContain(`error TCPMEM_USAGE: ${expected}\n`);
    expect(run.stdout + run.stderr).not.toContain('No changes');
  });

  it.each([
    [['plan', '--offline'], 'stdout', 'plan'],
    [['apply', '--dry-run'], 'stderr', 'plan'],
    [['discover'], 'stdout', 'discover'],
  ])('%j says that an empty shard has no host, and exits 0 (8 shards of a fleet of 6)', (command, stream, verb) => {
    const run = runCli([...command, 'examples/web-fleet', '--shard', '1/8']);
    expect(run.status).toBe(0);
    expect(run[stream as 'stdout' | 'stderr']).toContain(`No host to ${verb} in shard 1/8: the hash of the host names puts none of the selected hosts there`);
    expect(run.stdout + run.stderr).not.toContain('No changes');
  });

  it('is a usage error naming the pattern when a glob matches no host or group', () => {
    const run = runCli(['plan', '--target', 'api-*', 'examples/web-fleet', '--offline']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('no host or group is named "api-*"');
  });
});

describe('plan --out', () => {
  it('writes the plan to stdout for "-", the text for people to stderr, and no file named "-"', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-out-'));
    const run = runCli(['plan', path.join(repoRoot, 'examples/web-fleet'), '--offline', '--out', '-'], {}, dir);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'plan', summary: { hosts: 6 } });
    expect(run.stderr).toContain('Plan: 22 to add');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('with --json, stdout still carries exactly one document', () => {
    const run = runCli(['plan', 'examples/web-fleet', '--offline', '--out', '-', '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'plan' });
  });
});

describe('--local', () => {
  it.each([
    [['plan', '--local', '--target', 'web-1'], /--local works on this one machine, without SSH: --target is for hosts reached over SSH/],
    [['plan', '--local', '--offline', '--shard', '1/2'], /--offline, --shard are for hosts reached over SSH/],
    [['apply', '--local', '--parallelism', '4', '--batch', '2', '--connect-timeout', '3s'], /--connect-timeout, --parallelism, --batch are for hosts reached over SSH/],
    [['apply', '--local', '--max-fail', '1', '--exclude', 'x'], /--max-fail, --exclude are for hosts reached over SSH/],
    [['plan', '--host', 'web-1'], /--host picks the host entry of --local; without --local it means nothing/],
    [['apply', '--host', 'web-1', '--dry-run'], /--host picks the host entry of --local/],
    [['plan', '--local', '--host', 'nope'], /--host nope: .* has no host named so \(its hosts: /],
  ])('%j is a usage error (64) that says why', (args, message) => {
    const run = runCli([...args, 'examples/web-fleet']);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(64);
  });
});

describe('tcpmem completion', () => {
  /** Completes `words` (the last one being typed) with the bash script the binary prints, in a real bash. */
  const complete = (words: string[]): string[] => {
    const script = runCli(['completion', 'bash']).stdout;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-completion-')), 'tcpmem.bash');
    fs.writeFileSync(file, script);
    const line = ['tcpmem', ...words].map((w) => `'${w}'`).join(' ');
    const result = spawnSync('bash', ['-c', `source '${file}'; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _tcpmem; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return result.stdout.split('\n').filter((l) => l !== '');
  };

  it.each([
    [['p'], ['plan']],
    [['plan', '--ta'], ['--target']],
    [['plan', '--de'], ['--detailed-exitcode']],
    [['model', '--thp', 'm'], ['madvise']],
    [['plan', 'examples/web-f'], ['examples/web-fleet']],
  ])('in bash, completes %j to %j', (words, expected) => {
    expect(complete(words)).toEqual(expected);
  });

  it.each([['zsh', '#compdef tcpmem'], ['fish', 'complete -c tcpmem']])('prints a %s script with every command and flag', (shell, start) => {
    const run = runCli(['completion', shell]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(start);
    for (const word of ['plan', 'validate', 'target', 'detailed-exitcode', 'flow-rate']) expect(run.stdout).toContain(word);
  });

  it('refuses a shell it does not know as a usage error', () => {
    expect(runCli(['completion', 'tcsh']).status).toBe(64);
  });
});
