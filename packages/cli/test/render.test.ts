import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot, runCli } from './run-cli';

/** `tcpmem render` through the real binary: the file text, --out, --format kubernetes, --json and the failures. */
const webFleet = path.join(repoRoot, 'examples/web-fleet');

describe('tcpmem render', () => {
  it('prints the file apply would write for a host, from its model, and exits 0', () => {
    const run = runCli(['render', webFleet, '--host', 'cache-1']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^# Managed by tcpmem: do not edit\. .*\n# host cache-1, tcpmem \d+\.\d+\.\d+\nnet\.core\.somaxconn = 8192\nnet\.ipv4\.tcp_max_syn_backlog = 8192\nnet\.ipv4\.tcp_mem = \d+ \d+ \d+\n$/);
  });

  it.each([['a file', 'out.conf'], ['stdout (-)', '-']])('writes the same text with --out to %s', (_what, target) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-render-'));
    const printed = runCli(['render', webFleet, '--host', 'web-1']).stdout;
    const run = runCli(['render', webFleet, '--host', 'web-1', '--out', target === '-' ? '-' : path.join(dir, target)]);
    expect(run.status).toBe(0);
    if (target === '-') expect(run.stdout).toBe(printed);
    else {
      expect(run.stdout).toBe('');
      expect(fs.readFileSync(path.join(dir, target), 'utf8')).toBe(printed);
      expect(run.stderr).toMatch(/^Wrote .*out\.conf for web-1 \(4 settings, from the kernel model\)\.\n$/);
      expect(fs.readdirSync(dir)).toEqual([target]);
    }
  });

  it('prints a pod\'s securityContext.sysctls as YAML: the per-netns settings, marked, whole-host ones named in a comment', () => {
    const run = runCli(['render', webFleet, '--host', 'cache-1', '--format', 'kubernetes']);
    expect(run.status).toBe(0);
    expect(parse(run.stdout)).toEqual([
      { name: 'net.core.somaxconn', value: '8192' },
      { name: 'net.ipv4.tcp_max_syn_backlog', value: '8192' },
    ]);
    expect(run.stdout).toContain('# unsafe: the kubelet must allow it (--allowed-unsafe-sysctls=net.core.somaxconn,net.ipv4.tcp_max_syn_backlog)');
    expect(run.stdout).toMatch(/^# {3}net\.ipv4\.tcp_mem = \d+ \d+ \d+: one value for the whole host on 6\.1/m);
    expect(run.stdout).toContain('  value: "8192" # unsafe\n');
  });

  it('gives the rendered host as one JSON document with --json', () => {
    const run = runCli(['render', webFleet, '--host', 'web-1', '--format', 'kubernetes', '--json']);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as { format: string; host: string; sysctls: { name: string; safe: boolean }[]; leftOut: unknown[] };
    expect(doc).toMatchObject({ format: 'kubernetes', host: 'web-1', source: 'model', leftOut: [] });
    expect(doc.sysctls.map((s) => [s.name, s.safe])).toEqual([
      ['net.core.somaxconn', false],
      ['net.ipv4.tcp_max_syn_backlog', false],
      ['net.ipv4.tcp_max_tw_buckets', false],
      ['net.ipv4.tcp_wmem', true],
    ]);
  });

  it.each([
    ['a host the config does not have', ['--host', 'web-99'], 64, /TCPMEM_USAGE: no host is named "web-99"/],
    ['a group', ['--host', 'frontend'], 64, /TCPMEM_USAGE: "frontend" is a group of .*, not a host/],
    ['no --host', [], 64, /TCPMEM_USAGE: .*host/],
    ['an unknown format', ['--host', 'web-1', '--format', 'docker'], 64, /TCPMEM_USAGE: .*format/],
  ])('refuses %s', (_what, args, status, stderr) => {
    const run = runCli(['render', webFleet, ...args]);
    expect(run.status).toBe(status);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(stderr);
  });

  it('prints the located errors of a host whose plan has errors, renders nothing, and exits 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-render-'));
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), 'kind: fleet\nhosts:\n  web-1:\n    hardware: { kernel: "6.1", memory: 8GiB }\n    sysctls:\n      net.ipv4.tcp_rmem: [4096, 1000, 500]\n');
    const run = runCli(['render', dir, '--host', 'web-1']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/fleet\.yaml:6:\d+: error TCPMEM_TRIPLE_ORDER/);
    expect(run.stderr).toMatch(/error TCPMEM_INVALID_CONFIG: web-1 has errors in its plan; nothing was rendered/);
  });
});
