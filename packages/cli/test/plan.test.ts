import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateDefinition } from '@tcpmem/schema';
import { repoRoot, runCli } from './run-cli';

const fleets = fs
  .readdirSync(path.join(repoRoot, 'examples'))
  .filter((name) => fs.existsSync(path.join(repoRoot, 'examples', name, 'fleet.yaml')))
  .map((name) => `examples/${name}`);

describe('tcpmem plan --offline', () => {
  it('has example fleets to plan', () => {
    expect(fleets.length).toBeGreaterThanOrEqual(3);
  });

  it.each(fleets)('plans %s: a plan document that matches the schema, with changes on every host', (fleet) => {
    const run = runCli(['plan', fleet, '--offline', '--json']);
    expect(run.status).toBe(0);
    const plan = JSON.parse(run.stdout);
    const checked = validateDefinition('Plan', plan);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(plan.mode).toBe('offline');
    expect(plan.summary.invalid).toBe(0);
    expect(plan.summary.hostsWithChanges).toBe(plan.summary.hosts);
  });

  it('shows identical hosts once, with a summary line, in the human output', () => {
    const run = runCli(['plan', 'examples/web-fleet', '--offline']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('# web-1, web-2, web-3, web-4 (4 identical hosts)');
    expect(run.stdout).toMatch(/\+ net\.core\.somaxconn\s+4096 → 8192 count/);
    expect(run.stdout).toMatch(/^Plan: 22 to add, 0 to change, 0 to restore, 0 unchanged, on 6 of 6 hosts\.$/m);
  });

  it('exits 2 with --detailed-exitcode when something would change', () => {
    expect(runCli(['plan', 'examples/web-fleet', '--offline', '--detailed-exitcode', '--json']).status).toBe(2);
  });

  it('plans only the targeted group, minus the excluded host', () => {
    const run = runCli(['plan', 'examples/web-fleet', '--offline', '--json', '--target', 'frontend', '--exclude', 'web-2']);
    const plan = JSON.parse(run.stdout);
    expect(plan.hosts.map((h: { name: string }) => h.name)).toEqual(['web-1', 'web-3', 'web-4']);
  });

  it('refuses a target that names no host or group (exit 64)', () => {
    const run = runCli(['plan', 'examples/web-fleet', '--offline', '--target', 'nope']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('no host or group is named "nope"');
  });

  it('saves the plan with --out, atomically, as the same document --json prints', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-plan-'));
    try {
      const out = path.join(dir, 'plan.json');
      const run = runCli(['plan', 'examples/mixed-fleet', '--offline', '--out', out]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Saved the plan to ${out}`);
      const saved = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(validateDefinition('Plan', saved).ok).toBe(true);
      expect(saved.hosts).toHaveLength(5);
      expect(fs.readdirSync(dir)).toEqual(['plan.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('on a config with errors', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-plan-bad-'));
      fs.writeFileSync(
        path.join(dir, 'fleet.yaml'),
        [
          'kind: fleet',
          'hosts:',
          '  a:',
          '    hardware: { kernel: "6.1", memory: 4GiB }',
          '    sysctls:',
          '      net.ipv4.tcp_wmem: [4096, 1MiB, 64KiB]',
          '  b:',
          '    hardware: { kernel: "6.1", memory: 4GiB }',
          '',
        ].join('\n'),
      );
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('plans the valid hosts, reports the invalid one with a located error, and exits 1', () => {
      const run = runCli(['plan', dir, '--offline']);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/fleet\.yaml:6:7: error TCPMEM_TRIPLE_ORDER: net\.ipv4\.tcp_wmem 4096 1048576 65536 is not non-decreasing/);
      expect(run.stdout).toContain('# a · 6.1 · invalid: not planned');
      expect(run.stdout).toMatch(/# b · 6\.1\n\s+no changes/);
    });
  });
});

describe('tcpmem plan on an include that is not a tcpmem file', () => {
  // issue 11, item 2: an include can name any file; what it holds must never be echoed back
  it.each([
    ['a shadow line', 'alice:$6$salt$hash:19000:0:99999:7:::\n', ['alice', '$6$', 'salt', 'hash', '19000', '99999']],
    ['a passwd line', 'root:x:0:0:root:/root:/bin/bash\n', ['root', '/bin/bash']],
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n', ['OPENSSH', 'b3BlbnNzaC1rZXktdjEAAAAA']],
  ])('gives one located error for %s that quotes nothing of it, in the human output and with --json', (_what, text, secrets) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-include-foreign-'));
    try {
      fs.writeFileSync(path.join(dir, 's'), text);
      fs.writeFileSync(path.join(dir, 'm.yaml'), 'kind: fleet\ninclude: ["s"]\n');
      const human = runCli(['plan', '--offline', 'm.yaml'], {}, dir);
      expect(human.status).toBe(1);
      expect(human.stderr).toMatch(/^s:1:1: error TCPMEM_SCHEMA: /m);
      expect(human.stderr).toMatch(/^1 error, 0 warnings$/m);
      const json = runCli(['plan', '--offline', 'm.yaml', '--json'], {}, dir);
      expect(json.status).toBe(1);
      const out = JSON.parse(json.stdout) as { error: { code: string; problems: { code: string; severity: string; file: string; line: number; column: number }[] } };
      expect(out.error.code).toBe('TCPMEM_INVALID_CONFIG');
      expect(out.error.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_SCHEMA', severity: 'error', file: 's', line: 1, column: 1 })]);
      for (const secret of secrets) {
        expect({ secret, quoted: [human.stdout, human.stderr, json.stdout, json.stderr].some((o) => o.includes(secret)) }).toEqual({ secret, quoted: false });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tcpmem plan on a varied fleet', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-plan-varied-'));
    const hosts = Array.from({ length: 60 }, (_v, i) => `  h${i}: { hardware: { kernel: "6.1", memory: ${i + 1}GiB } }`).join('\n');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), `kind: fleet\ndefaults:\n  sysctls:\n    net.ipv4.tcp_mem: { pressure: 5% }\n    net.core.somaxconn: 8192\nhosts:\n${hosts}\n`);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('shows changes by setting, with host counts, when hosts differ too much to list', () => {
    const run = runCli(['plan', dir, '--offline']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('60 hosts in 60 different plans: changes by setting');
    expect(run.stdout).toMatch(/\+ net\.core\.somaxconn\s+on 60 hosts: → 8192 count; from 4096/);
    expect(run.stdout.split('\n').length).toBeLessThan(20);
  });

  it('lists every host with --full', () => {
    const run = runCli(['plan', dir, '--offline', '--full']);
    expect(run.stdout).toContain('# h0 · 6.1');
    expect(run.stdout).toContain('# h59 · 6.1');
  });

  it('shows pages and bytes also in MiB/GiB in the human output', () => {
    const run = runCli(['plan', 'examples/web-fleet', '--offline']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\+ net\.ipv4\.tcp_wmem\s+4096 16384 4194304 → 4096 16384 8388608 bytes \(4 KiB\/16 KiB\/8 MiB\)/);
    // cache-2 has 64 GiB: 3/4/6 % of it in 4 KiB pages.
    expect(run.stdout).toMatch(/→ 503316 671088 1006632 pages \(1\.92\/2\.56\/3\.84 GiB\)/);
    expect(run.stdout).toContain("(MiB/GiB beside pages: 4 KiB pages, or the page size a host's kernel has where the plan records one.)");
  });
});


describe('tcpmem plan of a 64 KiB-page host beside a 4 KiB one', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-plan-64k-'));
    const host = (kernel: string): string => `    hardware: { kernel: ${kernel}, memory: 16GiB }\n    sysctls: { net.ipv4.tcp_mem: { high: 10% } }\n`;
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), `kind: fleet\nhosts:\n  graviton:\n${host('6.8.0-45-generic-64k')}  x86:\n${host('6.8.0-45-generic')}`);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records the page size in the plan and shows each host its pages as memory: 10% of 16 GiB is 1.6 GiB on both', () => {
    const json = runCli(['plan', dir, '--offline', '--json']);
    expect(json.status).toBe(0);
    const plan = JSON.parse(json.stdout) as { hosts: { name: string; kernel: { pageSize?: number }; changes: { sysctl: string; after: number[] }[] }[] };
    expect(validateDefinition('Plan', plan).ok).toBe(true);
    const byName = new Map(plan.hosts.map((h) => [h.name, h]));
    expect(byName.get('graviton')?.kernel.pageSize).toBe(65536);
    expect(byName.get('x86')?.kernel.pageSize).toBeUndefined();
    expect(byName.get('graviton')?.changes[0]?.after[2]).toBe(Math.floor((0.1 * 16 * 2 ** 30) / 65536));
    const human = runCli(['plan', dir, '--offline']);
    const line = (host: string): string => human.stdout.split(`# ${host} `)[1]?.split('\n')[1] ?? '';
    expect(line('graviton')).toMatch(/→ \d+ \d+ 26214 pages \(.*\/1\.6 GiB\)/);
    expect(line('x86')).toMatch(/→ \d+ \d+ 419430 pages \(.*\/1\.6 GiB\)/);
  });
});
