import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli';

/**
 * `tcpmem validate` is the gate `tcpmem plan --offline` runs (issue 12, items 1, 6, 9, 10): the same problems,
 * per file and per host, following includes, without contacting hosts; a folder walk skips files that are not
 * tcpmem documents; `--detailed-exitcode` offline counts only values that change; a saved plan is not a config.
 */
let dir: string;

/** Writes files (path → text) into a fresh folder below the test's folder and returns that folder. */
function repo(name: string, files: Record<string, string>): string {
  const root = path.join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const fleet = (body: string): string => `kind: fleet\ndefaults:\n  hardware: { kernel: "6.1", memory: 8GiB, cpus: 4 }\n${body}`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-gate-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('tcpmem validate runs the checks plan --offline runs', () => {
  it.each([
    ['a missing include', 'TCPMEM_INCLUDE_MISSING', 'fleet.yaml:2:', { 'fleet.yaml': 'kind: fleet\ninclude: [hosts/]\nhosts:\n  a-1: { hardware: { kernel: "6.1", memory: 8GiB } }\n' }],
    ['an unknown group', 'TCPMEM_UNKNOWN_GROUP', 'fleet.yaml:5:', { 'fleet.yaml': fleet('hosts:\n  a-1: { groups: [web] }\n') }],
    ['an unknown preset', 'TCPMEM_UNKNOWN_PRESET', 'fleet.yaml:6:', { 'fleet.yaml': fleet('groups:\n  web:\n    presets: [nope]\nhosts:\n  a-1: { groups: [web] }\n') }],
    ['a triple out of order', 'TCPMEM_TRIPLE_ORDER', 'fleet.yaml:7:', { 'fleet.yaml': fleet('groups:\n  web:\n    sysctls:\n      net.ipv4.tcp_rmem: [8MiB, 4MiB, 16MiB]\nhosts:\n  a-1: { groups: [web] }\n') }],
    ['a value the kernel rejects', 'TCPMEM_KERNEL_REJECTS', 'fleet.yaml:5:', { 'fleet.yaml': fleet('  sysctls:\n    net.core.somaxconn: 99999999999\nhosts:\n  a-1: {}\n') }],
    ['a host defined in two files', 'TCPMEM_DUPLICATE_HOST', 'two.yaml:3:', { 'fleet.yaml': fleet('include: [two.yaml]\nhosts:\n  a-1: {}\n'), 'two.yaml': 'kind: fleet\nhosts:\n  a-1: {}\n' }],
    ['a host with neither hardware nor an address', 'TCPMEM_NO_HARDWARE', 'fleet.yaml:3:', { 'fleet.yaml': 'kind: fleet\nhosts:\n  a-1: {}\n' }],
  ] as const)('finds %s (%s), located, and exits 1 — as plan --offline does', (name, code, where, files) => {
    const root = repo(name.replace(/\W+/g, '-'), files);
    const validate = runCli(['validate', root]);
    expect(validate.status).toBe(1);
    expect(validate.stderr).toContain(`error ${code}:`);
    expect(validate.stderr).toContain(where);
    const plan = runCli(['plan', root, '--offline']);
    expect(plan.status).toBe(1);
    expect(plan.stderr).toContain(`error ${code}:`);
  });

  it('reports a problem that several hosts share once, naming the hosts, also as JSON', () => {
    const root = repo('shared', { 'fleet.yaml': fleet('groups:\n  web:\n    sysctls:\n      net.ipv4.tcp_rmem: [8MiB, 4MiB, 16MiB]\nhosts:\n  a-1: { groups: [web] }\n  a-2: { groups: [web] }\n  b-1: {}\n') });
    const run = runCli(['validate', root, '--json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { valid: boolean; files: string[]; problems: { code: string; message: string; line: number }[] };
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_TRIPLE_ORDER', line: 7, message: expect.stringContaining('(2 hosts: a-1, a-2)') as unknown })]);
  });

  it('follows includes: a bad value in an included file fails the fleet that includes it', () => {
    const root = repo('included', { 'fleet.yaml': fleet('include: [hosts/]\n'), 'hosts/web.yaml': 'kind: fleet\nhosts:\n  w-1:\n    sysctls: { net.ipv4.tcp_wmem: { min: 1GiB } }\n' });
    const run = runCli(['validate', path.join(root, 'fleet.yaml')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/hosts\/web\.yaml:4:\d+: error TCPMEM_TRIPLE_ORDER: .*\(host w-1\)/);
  });

  it('checks a hosts file that a fleet file includes as part of that fleet, run from the repo as people do: its hosts, not the rest', () => {
    const root = repo('lone-hosts', {
      'fleet.yaml': fleet('include: [hosts/]\ngroups:\n  web:\n    sysctls:\n      net.ipv4.tcp_rmem: [8MiB, 4MiB, 16MiB]\nhosts:\n  a-1: { groups: [web] }\n'),
      'hosts/b.yaml': 'kind: fleet\nhosts:\n  b-1: { groups: [web] }\n',
      'hosts/c.yaml': 'kind: fleet\nhosts:\n  c-1: {}\n',
    });
    const b = runCli(['validate', path.join('hosts', 'b.yaml')], {}, root);
    expect(b.status).toBe(1);
    expect(b.stderr).toContain('error TCPMEM_TRIPLE_ORDER');
    expect(b.stderr).toContain('(host b-1)');
    expect(b.stderr).not.toContain('a-1');
    const c = runCli(['validate', path.join('hosts', 'c.yaml')], {}, root);
    expect([c.status, c.stderr, c.stdout.trim()]).toEqual([0, '', 'valid: 1 file']);
  });

  it('looks for the including fleet file no higher than the folder it runs in: a file elsewhere is checked on its own', () => {
    const root = repo('elsewhere', {
      'fleet.yaml': fleet('include: [hosts/]\ngroups:\n  web: {}\n'),
      'hosts/b.yaml': 'kind: fleet\nhosts:\n  b-1: { groups: [web] }\n',
    });
    // run from the hosts folder: the fleet file above it is not read, so the group is unknown
    const alone = runCli(['validate', 'b.yaml'], {}, path.join(root, 'hosts'));
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain('web');
    // run from the repo: it is checked within the fleet
    expect(runCli(['validate', path.join('hosts', 'b.yaml')], {}, root).status).toBe(0);
  });

  it('notes, without failing, a host it cannot check offline because plan reads it live', () => {
    const root = repo('live-only', { 'fleet.yaml': 'kind: fleet\nhosts:\n  web-1: { address: 192.0.2.1 }\n' });
    const run = runCli(['validate', root]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('note TCPMEM_NO_HARDWARE: web-1: tcpmem cannot know its kernel and its memory, so it is not checked offline');
  });

  it.each([
    ['a hardware file', 'examples/hardware/8gib-6.1.yaml'],
    ['a hosts file of an example', 'examples/web-fleet/hosts/cache.yaml'],
  ])('still validates %s on its own', (_what, file) => {
    const run = runCli(['validate', file]);
    expect([run.status, run.stderr, run.stdout.trim()]).toEqual([0, '', 'valid: 1 file']);
  });
});

describe('a folder walk skips files that are not tcpmem documents', () => {
  it('validates examples/ (the README command): every config repo in it, one note per foreign file', () => {
    const run = runCli(['validate', 'examples/']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^valid: \d+ files$/m);
    const notes = run.stderr.split('\n').filter((l) => l.includes('note TCPMEM_NOT_TCPMEM'));
    expect(notes.map((l) => l.split(':')[0]).sort()).toEqual(['examples/on-host/tcpmem-daemonset.yaml', 'examples/pulumi/Pulumi.yaml', 'examples/pulumi/package.json', 'examples/pulumi/tsconfig.json']);
    expect(run.stderr).toContain('examples/on-host/tcpmem-daemonset.yaml:1:1: note TCPMEM_NOT_TCPMEM: not a tcpmem document (it holds several YAML documents); skipped');
    expect(run.stderr).toMatch(/^0 errors, \d+ warnings?, 4 notes$/m);
  });

  it('still checks a foreign file named on its own, as an error', () => {
    const run = runCli(['validate', 'examples/pulumi/package.json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error TCPMEM_SCHEMA: missing required property "kind"');
  });

  it.each([
    ['no kind', 'package.json', '{"name": "x", "version": "1.0.0"}', 'it has no `kind`'],
    ['a foreign kind', 'deploy.yaml', 'kind: Deployment\napiVersion: apps/v1\n', 'its kind "Deployment" is none of tcpmem\'s: fleet, hardware, facts, model, plan, apply-report'],
    ['a list', 'list.yaml', '- 1\n- 2\n', 'it is a list, not a mapping'],
  ])('plans a config folder holding a file with %s, with one note for it', (_what, file, text, reason) => {
    const root = repo(`walk-${file}`, { 'fleet.yaml': fleet('hosts:\n  a-1: {}\n'), [file]: text });
    for (const args of [['plan', root, '--offline'], ['validate', root]]) {
      const run = runCli(args);
      expect(run.status).toBe(0);
      expect(run.stderr.split('\n').filter((l) => l.includes('TCPMEM_NOT_TCPMEM'))).toEqual([`${path.join(root, file)}:1:1: note TCPMEM_NOT_TCPMEM: not a tcpmem document (${reason}); skipped`]);
    }
  });

  it('plans examples/web-fleet offline as the README says', () => {
    const run = runCli(['plan', 'examples/web-fleet', '--offline']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('plan --offline --detailed-exitcode', () => {
  it.each([
    ['somaxconn: default changes nothing', 0, fleet('  sysctls:\n    net.core.somaxconn: default\nhosts:\n  a-1: {}\n'), {}],
    ['the kernel default written as a number changes nothing', 0, fleet('  sysctls:\n    net.core.somaxconn: 4096\nhosts:\n  a-1: {}\n'), {}],
    ['a value above the kernel default changes the host', 2, fleet('  sysctls:\n    net.core.somaxconn: 8192\nhosts:\n  a-1: {}\n'), {}],
    [
      'the value the discovered facts carry changes nothing',
      0,
      fleet('  sysctls:\n    net.core.somaxconn: 8192\nhosts:\n  a-1: {}\n'),
      { 'facts/a-1.json': JSON.stringify({ kind: 'facts', host: 'a-1', capturedAt: '2026-11-20T10:00:00Z', facts: { release: '6.1.0-26-amd64', sysctls: { 'net.core.somaxconn': '8192' } } }) },
    ],
    [
      'a value other than the discovered one changes the host',
      2,
      fleet('  sysctls:\n    net.core.somaxconn: 4096\nhosts:\n  a-1: {}\n'),
      { 'facts/a-1.json': JSON.stringify({ kind: 'facts', host: 'a-1', capturedAt: '2026-11-20T10:00:00Z', facts: { release: '6.1.0-26-amd64', sysctls: { 'net.core.somaxconn': '8192' } } }) },
    ],
  ] as const)('%s: exits %d', (name, status, text, extra) => {
    const root = repo(`exit-${name.replace(/\W+/g, '-')}`, { 'fleet.yaml': text, ...extra });
    const run = runCli(['plan', path.join(root, 'fleet.yaml'), '--offline', '--detailed-exitcode', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(status);
  });
});

describe('plan of a saved plan', () => {
  it('says to apply it, and validate still accepts it', () => {
    const saved = path.join(dir, 'saved.json');
    expect(runCli(['plan', 'examples/web-fleet', '--offline', '--out', saved]).status).toBe(0);
    const run = runCli(['plan', saved]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error TCPMEM_NO_FLEET: ${saved} is a saved plan (\`kind: plan\`), not a config`);
    expect(run.stderr).toContain(`tcpmem apply ${saved}`);
    expect(runCli(['validate', saved]).status).toBe(0);
  });
});
