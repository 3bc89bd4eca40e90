import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ApplyEvent, ApplyReport } from '@tcpmem/apply';
import type { Plan } from '@tcpmem/schema';
import { machineAppId } from '@tcpmem/apply';
import type { CliRun } from '../run-cli';

/**
 * `tcpmem apply --local` and `tcpmem plan --local` through the real binary, as root, inside a network + mount +
 * UTS namespace: a tmpfs over /etc/sysctl.d and /run/tcpmem, /proc/sys read-only but for the namespace's own
 * /proc/sys/net, its own host name and /etc/machine-id. This machine's /etc and sysctls are never touched (checked).
 * The values written, the file persisted, the rollback of a value the kernel refuses, and a commit killed half-way
 * (its mv held before rename(2) by strace's syscall delay, as test-hosts/netns-hosts.sh delay-syscalls does over
 * SSH) recovered from its journal by the next run. Needs root, unshare, nsenter, strace.
 */
const bin = path.resolve(__dirname, '../../bin/run.js');

/** A namespace kept alive by a sleeping process, entered with nsenter by every command of a test. */
class LocalNamespace {
  private constructor(
    private readonly holder: ChildProcess,
    readonly pid: number,
  ) {}

  static async up(hostname: string, machineIdFile: string): Promise<LocalNamespace> {
    const setup = [
      'set -e',
      'mount -t tmpfs tmpfs /etc/sysctl.d',
      'mkdir -p /run/tcpmem && mount -t tmpfs tmpfs /run/tcpmem',
      // a stray write outside /proc/sys/net fails with EROFS instead of changing this machine
      'mount --bind /proc/sys /proc/sys && mount --bind /proc/sys/net /proc/sys/net && mount -o remount,bind,ro /proc/sys',
      `mount --bind ${machineIdFile} /etc/machine-id`,
      `hostname ${hostname}`,
      'echo ready',
      'exec sleep 100000',
    ].join('\n');
    const holder = spawn('unshare', ['--net', '--mount', '--uts', '--propagation', 'private', 'sh', '-c', setup], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      holder.on('exit', (code) => {
        reject(new Error(`the namespace did not come up (exit ${String(code)})`));
      });
    });
    return new LocalNamespace(holder, holder.pid!);
  }

  down(): void {
    this.holder.kill('SIGKILL');
  }

  private enter(): string[] {
    return ['nsenter', '-t', String(this.pid), '-n', '-m', '-u', '--'];
  }

  /** Runs a shell script in the namespace, as root. */
  sh(script: string): string {
    const [cmd, ...args] = this.enter();
    return execFileSync(cmd!, [...args, 'sh', '-c', script], { encoding: 'utf8' });
  }

  live(sysctl: string): string {
    return this.sh(`cat /proc/sys/${sysctl.replace(/\./g, '/')}`).trim().split(/\s+/).join(' ');
  }

  setLive(sysctl: string, value: string): void {
    this.sh(`printf '%s\\n' '${value}' > /proc/sys/${sysctl.replace(/\./g, '/')}`);
  }

  /** tcpmem's file in the namespace, or undefined. */
  file(): string | undefined {
    const out = this.sh('cat /etc/sysctl.d/99-tcpmem.conf 2>/dev/null || echo "(none)"');
    return out === '(none)\n' ? undefined : out;
  }

  /** Every file of the namespace's /etc/sysctl.d (hidden ones too) and of its /run/tcpmem. */
  leftovers(): string {
    return this.sh('ls -A /etc/sysctl.d /run/tcpmem');
  }

  /** `tcpmem ARGS` in the namespace, as `prefix` runs it (strace, setpriv), to its end. */
  tcpmem(args: readonly string[], prefix: readonly string[] = []): CliRun {
    const [cmd, ...rest] = this.enter();
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    const r = spawnSync(cmd!, [...rest, ...prefix, process.execPath, bin, ...args], { encoding: 'utf8', env, timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** `tcpmem ARGS` in the namespace, started and left running. */
  start(args: readonly string[], prefix: readonly string[] = []): { child: ChildProcess; done: Promise<CliRun> } {
    const [cmd, ...rest] = this.enter();
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    const child = spawn(cmd!, [...rest, ...prefix, process.execPath, bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const done = new Promise<CliRun>((resolve) => {
      child.on('close', (status) => {
        resolve({ status, stdout, stderr });
      });
    });
    return { child, done };
  }
}

/** One process of the machine: its parent, its command line, and the syscall it sits in. */
interface Proc {
  pid: number;
  ppid: number;
  cmdline: string[];
  syscall: number | undefined;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[1]);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
      const syscall = Number(fs.readFileSync(`/proc/${entry}/syscall`, 'utf8').split(' ')[0]);
      out.push({ pid: Number(entry), ppid, cmdline, syscall: Number.isInteger(syscall) ? syscall : undefined });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** x86-64: rename, renameat, renameat2. */
const RENAMES = [82, 264, 316];

/** Polls every 10 ms until a process matches, failing when `running` ends first. */
async function waitFor(match: (p: Proc) => boolean, running: Promise<CliRun>, timeoutMs = 60_000): Promise<{ found: Proc; all: Proc[] }> {
  let ended: CliRun | undefined;
  void running.then((r) => (ended = r));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (ended !== undefined) throw new Error(`tcpmem ended before the moment to strike: ${ended.stdout}${ended.stderr}`);
    const all = processes();
    const found = all.find(match);
    if (found !== undefined) return { found, all };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out waiting for the moment to strike');
}

const machineId = '0123456789abcdef0123456789abcdef';
let tmp: string;
let ns: LocalNamespace;
/** This machine's own state, which no test may change. */
let machineBefore: { somaxconn: string; sysctlD: string[]; ownFile: string | undefined };

const machineState = (): typeof machineBefore => ({
  somaxconn: fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8'),
  sysctlD: fs.readdirSync('/etc/sysctl.d').sort(),
  ownFile: fs.existsSync('/etc/sysctl.d/99-tcpmem.conf') ? fs.readFileSync('/etc/sysctl.d/99-tcpmem.conf', 'utf8') : undefined,
});

let round = 0;
/** A fleet whose host `name` (and a host `other`) wants fresh values; returns the config path. */
function fleet(name: string, extra: { rmemMax?: string; facts?: string; defaults?: readonly string[]; sysctls?: readonly string[] } = {}): { config: string; somaxconn: number } {
  round += 1;
  const somaxconn = 5000 + round;
  const dir = path.join(tmp, `config-${String(round)}`);
  fs.mkdirSync(dir);
  const config = path.join(dir, 'fleet.yaml');
  fs.writeFileSync(
    config,
    [
      'kind: fleet',
      'defaults:',
      ...(extra.defaults ?? []).map((line) => `  ${line}`),
      '  sysctls:',
      `    net.core.somaxconn: ${String(somaxconn)}`,
      `    net.ipv4.tcp_rmem: { max: ${extra.rmemMax ?? '8MiB'} }`,
      ...(extra.sysctls ?? []).map((line) => `    ${line}`),
      'hosts:',
      `  ${name}: {}`,
      '  other: { address: 192.0.2.1 }',
      '',
    ].join('\n'),
  );
  if (extra.facts !== undefined) {
    fs.mkdirSync(path.join(dir, 'facts'));
    fs.writeFileSync(path.join(dir, 'facts', `${name}.json`), extra.facts);
  }
  return { config, somaxconn };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync('/tmp/tcpmem-apply-local-');
  fs.chmodSync(tmp, 0o755); // read by the runs as nobody
  fs.writeFileSync(path.join(tmp, 'machine-id'), `${machineId}\n`);
  machineBefore = machineState();
  ns = await LocalNamespace.up('node-7.example.com', path.join(tmp, 'machine-id'));
}, 60_000);

afterAll(() => {
  ns.down();
  fs.rmSync(tmp, { recursive: true, force: true });
  // nothing of this machine was changed
  expect(machineState()).toEqual(machineBefore);
});

it('applies the entry named after this machine (its short host name) here: live values, the persisted file, exit 0; then nothing to do', () => {
  const { config, somaxconn } = fleet('node-7');
  const run = ns.tcpmem(['apply', '--local', config, '--auto-approve']);
  expect(run.stderr).toMatch(/live: current values read on this machine/);
  expect(run.stdout).toMatch(/node-7 {2}applied: 2 settings; \/etc\/sysctl\.d\/99-tcpmem\.conf written/);
  expect(run.status).toBe(0);
  expect(ns.live('net.core.somaxconn')).toBe(String(somaxconn));
  expect(ns.live('net.ipv4.tcp_rmem').split(' ')[2]).toBe('8388608');
  const file = ns.file()!;
  expect(file.split('\n').filter((l) => !l.startsWith('#'))).toEqual([`net.core.somaxconn = ${String(somaxconn)}`, `net.ipv4.tcp_rmem = ${ns.live('net.ipv4.tcp_rmem')}`, '']);
  expect(file).toMatch(/^# Managed by tcpmem/);
  expect(ns.leftovers()).toBe('/etc/sysctl.d:\n99-tcpmem.conf\n\n/run/tcpmem:\n');

  const again = ns.tcpmem(['apply', '--local', config, '--auto-approve', '--json']);
  expect(again.status).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ executor: 'local', summary: { hosts: 1, unchanged: 1, applied: 0 } });
}, 120_000);

it('plans here without root and without SSH, matching the entry by the machine ID its facts carry', () => {
  const facts = JSON.stringify({ kind: 'facts', version: 1, host: 'db-3', capturedAt: '2026-01-01T00:00:00Z', facts: { release: '6.1.0-26-amd64', machineAppId: machineAppId(machineId) } });
  const { config, somaxconn } = fleet('db-3', { facts });
  const run = ns.tcpmem(['plan', '--local', config, '--json'], ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
  expect(run.status).toBe(0);
  const plan = JSON.parse(run.stdout) as Plan;
  expect(plan).toMatchObject({ mode: 'live', summary: { hosts: 1 } });
  expect(plan.hosts[0]).toMatchObject({ name: 'db-3', source: 'live' });
  // read from the namespace, as apply would find it
  expect(plan.hosts[0]!.changes.find((c) => c.sysctl === 'net.core.somaxconn')).toMatchObject({ before: [Number(ns.live('net.core.somaxconn'))], after: [somaxconn] });
}, 60_000);

it.each([
  ['no entry is named after it nor carries its machine ID', ['plan', '--local'], 1, /TCPMEM_LOCAL_HOST_UNMATCHED: no host of .* is this machine: none is named or addressed "node-7\.example\.com" or "node-7", nor is its machine ID in any facts file[\s\S]*--host NAME/],
  ['apply --local does not run as root', ['apply', '--local', '--host', 'web-9', '--auto-approve'], 1, /TCPMEM_LOCAL_NOT_ROOT: .* must run as root; nothing was read or changed/],
])('says so and changes nothing when %s', (_what, args, status, message) => {
  const { config } = fleet('web-9');
  const before = ns.leftovers() + ns.live('net.core.somaxconn');
  const run = ns.tcpmem([...args, config], ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
  expect(run.stderr).toMatch(message);
  expect(run.status).toBe(status);
  expect(ns.leftovers() + ns.live('net.core.somaxconn')).toBe(before);
}, 60_000);

it('streams --events, the last run-done with the report, executor local', () => {
  const { config, somaxconn } = fleet('node-7');
  const run = ns.tcpmem(['apply', '--local', config, '--auto-approve', '--events']);
  expect(run.status).toBe(0);
  const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as ApplyEvent);
  expect(events.map((e) => e.type)).toEqual(['run-started', 'batch-started', 'host-started', 'host-read', 'host-prepared', 'host-written', 'host-verified', 'host-persisted', 'host-done', 'batch-done', 'sessions-closed', 'run-done']);
  // the local `sh` is closed in the background too, after its host-done, and its close time reported
  const closed = events.find((e) => e.type === 'sessions-closed');
  expect(closed?.type === 'sessions-closed' && Object.keys(closed.closeMs)).toEqual([expect.any(String)]);
  expect(events[0]).toMatchObject({ type: 'run-started', executor: 'local', hosts: 1, hostsToChange: 1 });
  expect(events.at(-1)).toMatchObject({ type: 'run-done', report: { executor: 'local', summary: { applied: 1 } } });
  expect(ns.live('net.core.somaxconn')).toBe(String(somaxconn));
}, 60_000);

it('rolls back when a write fails at apply time, restoring what it had written, exit 3', () => {
  // A value the kernel (and kernel-model) accepts, in a file this namespace mounts read-only: the write fails with
  // EROFS after net.core.somaxconn was written, as a container's masked /proc/sys entry would make it.
  const { config } = fleet('node-7', { rmemMax: '5MiB', sysctls: ['net.ipv4.tcp_max_syn_backlog: 4096'] });
  const planFile = path.join(tmp, `plan-${String(round)}.json`);
  expect(ns.tcpmem(['plan', '--local', config, '--out', planFile]).status).toBe(0);
  const backlog = '/proc/sys/net/ipv4/tcp_max_syn_backlog';
  ns.sh(`mount --bind ${backlog} ${backlog} && mount -o remount,bind,ro ${backlog}`);
  try {
    const before = { somaxconn: ns.live('net.core.somaxconn'), backlog: ns.live('net.ipv4.tcp_max_syn_backlog'), rmem: ns.live('net.ipv4.tcp_rmem'), file: ns.file() };
    const run = ns.tcpmem(['apply', '--local', planFile, '--json']);
    expect(run.status).toBe(3);
    const report = JSON.parse(run.stdout) as ApplyReport;
    expect(report.hosts[0]).toMatchObject({ host: 'node-7', status: 'failed', state: 'rolled-back', failure: { stage: 'write', code: 'TCPMEM_APPLY_KERNEL_REJECTED', sysctl: 'net.ipv4.tcp_max_syn_backlog' } });
    expect(report.hosts[0]!.failure?.message).toMatch(/\/proc\/sys is read-only on this host \(EROFS/);
    expect(report.hosts[0]!.settings.find((s) => s.sysctl === 'net.core.somaxconn')?.outcome).toBe('rolled-back');
    expect({ somaxconn: ns.live('net.core.somaxconn'), backlog: ns.live('net.ipv4.tcp_max_syn_backlog'), rmem: ns.live('net.ipv4.tcp_rmem'), file: ns.file() }).toEqual(before);
    expect(ns.leftovers()).toBe('/etc/sysctl.d:\n99-tcpmem.conf\n\n/run/tcpmem:\n');
  } finally {
    ns.sh(`umount ${backlog}`);
  }
}, 60_000);

it('refuses a saved plan edited to a value the planner would refuse, touching nothing, exit 1 (TCPMEM_UNSAFE_PLAN)', () => {
  const { config } = fleet('node-7', { rmemMax: '5MiB' });
  const planFile = path.join(tmp, `plan-${String(round)}.json`);
  expect(ns.tcpmem(['plan', '--local', config, '--out', planFile]).status).toBe(0);
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as Plan;
  const index = plan.hosts[0]!.changes.findIndex((c) => c.sysctl === 'net.ipv4.tcp_rmem');
  plan.hosts[0]!.changes[index]!.after = [0, 65536, 4194304];
  fs.writeFileSync(planFile, JSON.stringify(plan));
  const before = { somaxconn: ns.live('net.core.somaxconn'), rmem: ns.live('net.ipv4.tcp_rmem'), file: ns.file() };

  const run = ns.tcpmem(['apply', '--local', planFile]);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(`TCPMEM_UNSAFE_PLAN: refusing ${planFile}, before contacting any host: node-7: net.ipv4.tcp_rmem 0 65536 4194304: kernel`);
  expect(run.stderr).toContain(`(at /hosts/0/changes/${index}/after, TCPMEM_KERNEL_REJECTS)`);
  expect({ somaxconn: ns.live('net.core.somaxconn'), rmem: ns.live('net.ipv4.tcp_rmem'), file: ns.file() }).toEqual(before);
  expect(ns.leftovers()).toBe('/etc/sysctl.d:\n99-tcpmem.conf\n\n/run/tcpmem:\n');
}, 60_000);

it('refuses a saved plan made here once the machine changed since, touching nothing, exit 1', () => {
  const { config } = fleet('node-7');
  const planFile = path.join(tmp, `plan-${String(round)}.json`);
  expect(ns.tcpmem(['plan', '--local', config, '--out', planFile]).status).toBe(0);
  ns.setLive('net.core.somaxconn', '3333');
  const file = ns.file();
  const run = ns.tcpmem(['apply', '--local', planFile, '--json']);
  expect(run.status).toBe(1);
  expect(JSON.parse(run.stdout)).toMatchObject({ executor: 'local', refused: { staleHosts: [{ host: 'node-7' }] } });
  expect(ns.live('net.core.somaxconn')).toBe('3333');
  expect(ns.file()).toBe(file);
}, 60_000);

/** The transaction's root `sh -s` above a process, and that process's own chain. */
function rootShell(of: Proc, all: Proc[]): Proc | undefined {
  const byPid = new Map(all.map((p) => [p.pid, p]));
  let p = byPid.get(of.ppid);
  while (p !== undefined && p.cmdline.join(' ') !== 'sh -s') p = byPid.get(p.ppid);
  return p;
}

const delayRenames = (ms: number): string[] => ['strace', '-f', '-qq', '-o', '/dev/null', '-e', 'trace=rename,renameat,renameat2', '-e', `inject=rename,renameat,renameat2:delay_enter=${String(ms * 1000)}`];
const isStagedMv = (p: Proc): boolean => p.cmdline[0] === 'mv' && p.cmdline.some((a) => a.includes('.99-tcpmem.conf.') && a.endsWith('.tmp')) && p.syscall !== undefined && RENAMES.includes(p.syscall);

it('recovers a commit killed half-way (tcpmem, its sh and the mv SIGKILLed while the mv waits before rename) from its journal at the next run, fully as before; the run after applies', async () => {
  const { config, somaxconn } = fleet('node-7', { rmemMax: '6MiB' });
  const planFile = path.join(tmp, `plan-${String(round)}.json`);
  expect(ns.tcpmem(['plan', '--local', config, '--out', planFile]).status).toBe(0);
  const before = { somaxconn: ns.live('net.core.somaxconn'), rmem: ns.live('net.ipv4.tcp_rmem'), file: ns.file() };

  const first = ns.start(['apply', '--local', planFile, '--json'], delayRenames(30_000));
  const { found: mv, all } = await waitFor(isStagedMv, first.done);
  const sh = rootShell(mv, all);
  expect(sh).toBeDefined();
  // the live values are written, the new file staged: kill the transaction, its mv and tcpmem itself
  expect(ns.live('net.core.somaxconn')).toBe(String(somaxconn));
  const node = all.find((p) => p.cmdline.includes(bin) && p.pid === sh!.ppid);
  for (const pid of [sh!.pid, mv.pid, node!.pid]) process.kill(pid, 'SIGKILL');
  await first.done;
  expect(ns.file()).toBe(before.file);
  expect(ns.sh('ls /run/tcpmem')).toMatch(/journal/);

  // the next run takes the dead transaction's lock over and undoes its commit from the journal: the machine is
  // fully as before, which is not what this run planned (it read the killed commit's live values): stale, exit 1
  const next = ns.tcpmem(['apply', '--local', config, '--auto-approve', '--json']);
  const report = JSON.parse(next.stdout) as ApplyReport;
  expect(report.hosts[0]).toMatchObject({ status: 'stale', warnings: [expect.stringMatching(/killed during its commit; its journal was used to restore the values/) as unknown] });
  expect(next.status).toBe(1);
  expect({ somaxconn: ns.live('net.core.somaxconn'), rmem: ns.live('net.ipv4.tcp_rmem'), file: ns.file() }).toEqual(before);
  expect(ns.leftovers()).toBe('/etc/sysctl.d:\n99-tcpmem.conf\n\n/run/tcpmem:\n');

  // and the run after it applies
  const last = ns.tcpmem(['apply', '--local', config, '--auto-approve', '--json']);
  expect(last.status).toBe(0);
  expect(JSON.parse(last.stdout)).toMatchObject({ hosts: [{ status: 'applied', warnings: [] }] });
  expect(ns.live('net.core.somaxconn')).toBe(String(somaxconn));
  expect(ns.live('net.ipv4.tcp_rmem').split(' ')[2]).toBe(String(6 * 1024 * 1024));
  expect(ns.file()).toContain(`net.core.somaxconn = ${String(somaxconn)}\n`);
}, 180_000);

it('cannot be raced by a survivor of a killed commit: with only its sh killed while its mv sits before rename, the machine ends fully OLD or fully NEW and the report says which', async () => {
  const { config, somaxconn } = fleet('node-7');
  const planFile = path.join(tmp, `plan-${String(round)}.json`);
  expect(ns.tcpmem(['plan', '--local', config, '--out', planFile]).status).toBe(0);
  const before = { somaxconn: ns.live('net.core.somaxconn'), rmem: ns.live('net.ipv4.tcp_rmem'), file: ns.file() };

  const first = ns.start(['apply', '--local', planFile, '--events'], delayRenames(3_000));
  const { found: mv, all } = await waitFor(isStagedMv, first.done);
  process.kill(rootShell(mv, all)!.pid, 'SIGKILL'); // the root sh alone: its mv lives on
  const run = await first.done;
  const r = (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { report: ApplyReport }).report.hosts[0]!;
  if (r.status === 'applied') {
    expect(run.status).toBe(0);
    expect(ns.live('net.core.somaxconn')).toBe(String(somaxconn));
    expect(ns.file()).toContain(`net.core.somaxconn = ${String(somaxconn)}\n`);
  } else {
    expect(run.status).toBe(3);
    expect(r).toMatchObject({ status: 'failed', state: 'rolled-back' });
    expect(r.failure?.message).toMatch(/reading the host again shows it as it was before/);
    expect({ somaxconn: ns.live('net.core.somaxconn'), rmem: ns.live('net.ipv4.tcp_rmem'), file: ns.file() }).toEqual(before);
  }
  expect(ns.leftovers()).toBe('/etc/sysctl.d:\n99-tcpmem.conf\n\n/run/tcpmem:\n');
}, 120_000);
