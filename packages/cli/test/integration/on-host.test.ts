import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cloudConfig, configFile, runcmdLines, shellQuote, unitSection, words } from '../on-host-examples';
import { runCli } from '../run-cli';

/**
 * The command lines of the on-host examples, run for real as root inside a new network + mount namespace: the
 * systemd unit's ExecStart and cloud-init's runcmd (after its write_files). In the mount namespace /etc is an
 * overlay (writes stay in the namespace), /etc/sysctl.d, /run and /usr/local/bin are fresh tmpfs, `tcpmem` there
 * runs this build, and /proc/sys is read-only except /proc/sys/net — so the lines change the new namespace's
 * TCP sysctls and files only, never this machine's.
 *
 * Each line runs twice: as written (`tcpmem apply --local …`, enabled once helper "local"'s `apply --local` is
 * merged: see `applyLocal`), and as its file-only equivalent `tcpmem render CONFIG --host H --out
 * /etc/sysctl.d/99-tcpmem.conf && sysctl -p` (what an image build or a config system that only writes files does).
 */
const bin = path.resolve(__dirname, '../../bin/run.js');
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../oclif.manifest.json'), 'utf8')) as { commands: Record<string, { flags: Record<string, unknown> }> };
const applyLocal = 'local' in (manifest.commands['apply']?.flags ?? {});
const sysctlFile = '/etc/sysctl.d/99-tcpmem.conf';

/** `tcpmem apply --local CONFIG --host H …` as render + sysctl -p: the same binary word, config and host. */
function renderEquivalent(line: string): string {
  const argv = words(line);
  const at = argv.indexOf('apply');
  expect(argv.slice(at, at + 2)).toEqual(['apply', '--local']);
  const host = argv[argv.indexOf('--host') + 1]!;
  const config = argv.slice(at + 2).find((w, i, rest) => !w.startsWith('--') && rest[i - 1] !== '--host')!;
  return `${argv.slice(0, at).join(' ')} render ${config} --host ${host} --out ${sysctlFile} && sysctl -p ${sysctlFile}`;
}

interface Outcome {
  readonly status: number | null;
  readonly stderr: string;
  readonly file: string;
  /** The namespace's live values of the sysctls the file names. */
  readonly live: Record<string, string>;
}

/** Runs `line` (after cloud-init's write_files, when given) in a fresh network + mount namespace. */
function runInNamespaces(line: string, writeFiles: readonly { path: string; content: string; permissions?: string }[]): Outcome {
  const work = fs.mkdtempSync('/tmp/tcpmem-on-host-');
  const files = path.join(work, 'files');
  fs.mkdirSync(files);
  const copies = writeFiles.map((f, i) => {
    fs.writeFileSync(path.join(files, String(i)), f.content);
    return `mkdir -p ${shellQuote(path.dirname(f.path))} && cp ${files}/${i} ${shellQuote(f.path)}${f.permissions === undefined ? '' : ` && chmod ${f.permissions} ${shellQuote(f.path)}`}`;
  });
  const ns = path.join(work, 'ns');
  fs.mkdirSync(ns);
  const script = [
    'set -eu',
    `mount -t tmpfs tmpfs ${ns}`,
    `mkdir ${ns}/upper ${ns}/work`,
    `mount -t overlay overlay -o lowerdir=/etc,upperdir=${ns}/upper,workdir=${ns}/work /etc`,
    'mount -t tmpfs tmpfs /etc/sysctl.d',
    'mount -t tmpfs tmpfs /run',
    'mount -t tmpfs tmpfs /usr/local/bin',
    `printf '#!/bin/sh\\nexec %s %s "$@"\\n' ${shellQuote(process.execPath)} ${shellQuote(bin)} >/usr/local/bin/tcpmem`,
    'chmod 755 /usr/local/bin/tcpmem',
    'mount --bind /proc/sys /proc/sys && mount --bind /proc/sys/net /proc/sys/net && mount -o remount,bind,ro /proc/sys',
    'export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ...copies,
    `set +e; ( ${line} ) >&2; status=$?; set -e`,
    `echo "status $status"; echo '--- file'; cat ${sysctlFile} 2>/dev/null || true; echo '--- live'`,
    `sed -n 's/^\\([a-z0-9_.]*\\) = .*$/\\1/p' ${sysctlFile} 2>/dev/null | while read -r name; do printf '%s = %s\\n' "$name" "$(tr -s '\\t ' '  ' </proc/sys/$(echo "$name" | tr . /))"; done`,
  ].join('\n');
  try {
    const run = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', timeout: 120_000 });
    const out = run.stdout;
    const status = /^status (\d+)$/m.exec(out)?.[1];
    const file = out.slice(out.indexOf('--- file\n') + 9, out.indexOf('--- live\n'));
    const live = Object.fromEntries(out.slice(out.indexOf('--- live\n') + 9).split('\n').filter((l) => l !== '').map((l) => l.split(' = ') as [string, string]));
    expect(run.status).toBe(0);
    return { status: status === undefined ? null : Number(status), stderr: run.stderr, file, live };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The `name = v v v` lines of a sysctl.d file. */
const entriesOf = (file: string): Record<string, string> =>
  Object.fromEntries(file.split('\n').filter((l) => /^[a-z]/.test(l)).map((l) => l.split(' = ') as [string, string]));

const hostValues = (): string => execFileSync('sh', ['-c', 'cat /proc/sys/net/core/somaxconn /proc/sys/net/ipv4/tcp_rmem /proc/sys/net/ipv4/tcp_wmem /proc/sys/net/ipv4/tcp_max_syn_backlog'], { encoding: 'utf8' });

const lines: [string, string, { path: string; content: string; permissions?: string }[]][] = [
  ['tcpmem-apply.service ExecStart', unitSection('Service').find(([k]) => k === 'ExecStart')![1], [{ path: '/etc/tcpmem/fleet.yaml', content: fs.readFileSync(configFile, 'utf8') }]],
  ...runcmdLines().map((line, i): [string, string, { path: string; content: string; permissions?: string }[]] => [`user-data runcmd[${i}]`, line, [...cloudConfig().write_files]]),
];

const rendered = runCli(['render', configFile, '--host', 'web-node']).stdout;
let before: string;
beforeAll(() => {
  before = hostValues();
});
afterAll(() => {
  // this machine's own values and /etc are as they were
  expect(hostValues()).toBe(before);
  expect(fs.existsSync('/etc/tcpmem/fleet.yaml')).toBe(false);
});

describe.each(lines)('%s', (_name, line, writeFiles) => {
  it('runs as its render + sysctl -p equivalent: the file is what render prints, and the namespace holds its values', () => {
    const outcome = runInNamespaces(renderEquivalent(line), writeFiles);
    // what the line printed: render's note, then sysctl -p's echo of every value it set
    expect(outcome.stderr).toBe(`Wrote ${sysctlFile} for web-node (4 settings, from the kernel model).\n${rendered.split('\n').filter((l) => /^[a-z]/.test(l)).join('\n')}\n`);
    expect(outcome.status).toBe(0);
    expect(outcome.file).toBe(rendered);
    expect(outcome.live).toEqual(entriesOf(rendered));
    expect(outcome.live['net.core.somaxconn']).toBe('8192');
  });

  (applyLocal ? it : it.skip)('runs as written (`tcpmem apply --local`; enabled once it is merged): the file holds what the namespace now holds', () => {
    const outcome = runInNamespaces(line, writeFiles);
    expect(outcome.status).toBe(0);
    expect(outcome.file).toMatch(/^# Managed by tcpmem: do not edit\..*\n# host web-node, tcpmem /);
    expect(outcome.live).toEqual(entriesOf(outcome.file));
    expect(outcome.live).toMatchObject({ 'net.core.somaxconn': '8192', 'net.ipv4.tcp_max_syn_backlog': '8192' });
    expect(outcome.live['net.ipv4.tcp_rmem']?.split(' ')[2]).toBe(String(16 * 2 ** 20));
  });
});

it('systemd-analyze verify accepts tcpmem-apply.service (with tcpmem at /usr/local/bin/tcpmem, in a mount namespace)', () => {
  const unit = path.resolve(__dirname, '../../../../examples/on-host/tcpmem-apply.service');
  const script = [
    'set -eu',
    'mount -t tmpfs tmpfs /usr/local/bin',
    `printf '#!/bin/sh\\nexec %s %s "$@"\\n' ${shellQuote(process.execPath)} ${shellQuote(bin)} >/usr/local/bin/tcpmem`,
    'chmod 755 /usr/local/bin/tcpmem',
    `systemd-analyze verify --man=no ${shellQuote(unit)}`,
  ].join('\n');
  const run = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
});
