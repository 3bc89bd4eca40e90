/**
 * apply and discover on a real Debian kernel booted under QEMU (test-hosts/qemu-guest/guest.sh), for the
 * whole-host setting a network namespace does not have: net.ipv4.tcp_mem is written, read back, persisted,
 * restored to its default, and rolled back when the kernel refuses a later write; discovered facts make the
 * model's tcp_mem default exactly the guest's boot value. Needs root and QEMU; TCG is slow (1–4 s a command).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listSysctls } from '@tcpmem/kernel-model';
import { createKernelLookup, loadFleet, planFleet, selectHosts } from '@tcpmem/plan';
import type { Plan } from '@tcpmem/schema';
import { applyPlan, discoverHost, sshExecutor, type ApplyEvent, type ApplyReport } from '../../src';
import { SessionPool } from '../../src/remote';
import { planLive } from './harness';

interface Guest {
  address: string;
  port: number;
  user: string;
  identityFile: string;
  knownHosts: string;
  release: string;
}

const GUEST = resolve(__dirname, '../../../../test-hosts/qemu-guest/guest.sh');
let work: string;
let stateDir: string;
let guest: Guest;
let bootTcpMem: string;

/** A command in the guest through OpenSSH (guest.sh ssh), not through tcpmem. */
const inGuest = (command: string): string => execFileSync(GUEST, ['ssh', stateDir, command], { encoding: 'utf8', timeout: 60_000 });

/** Live tcp_mem, somaxconn, tcp_rmem and every file of /etc/sysctl.d (hidden ones too), byte for byte. */
const snapshot = (): string =>
  inGuest(
    'for s in net/ipv4/tcp_mem net/core/somaxconn net/ipv4/tcp_rmem; do printf "%s=" $s; cat /proc/sys/$s; done; ' +
      'for f in /etc/sysctl.d/* /etc/sysctl.d/.[!.]*; do [ -e "$f" ] && { echo "== $f"; cat "$f"; }; done; ls -la /etc/sysctl.d | tail -n +2 | sed "s/  */ /g" | cut -d" " -f1,5,9',
  );
const live = (sysctl: string): string => inGuest(`cat /proc/sys/${sysctl.replace(/\./g, '/')}`).trim().split(/\s+/).join(' ');

beforeAll(() => {
  work = mkdtempSync('/tmp/tcpmem-apply-vm-');
  chmodSync(work, 0o755);
  stateDir = join(work, 'vm');
  execFileSync(GUEST, ['up', stateDir], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  guest = JSON.parse(readFileSync(join(stateDir, 'guest.json'), 'utf8')) as Guest;
  bootTcpMem = live('net.ipv4.tcp_mem');
}, 320_000);
afterAll(() => {
  try {
    execFileSync(GUEST, ['down', stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 60_000);

function fleet(file: string, sysctls: Record<string, unknown>): string {
  const path = join(work, 'config', file);
  mkdirSync(join(work, 'config'), { recursive: true });
  const ssh = { user: guest.user, port: guest.port, identityFile: guest.identityFile, knownHostsFile: guest.knownHosts, connectTimeout: '60s', commandTimeout: '120s' };
  writeFileSync(path, JSON.stringify({ kind: 'fleet', version: 1, hosts: { vm1: { address: guest.address, ssh, sysctls } } }, null, 2));
  return path;
}

const run = async (plan: Plan): Promise<ApplyReport> => applyPlan(plan, sshExecutor(), { tcpmemVersion: 'test' });

it('discovers the facts that make the model predict tcp_mem\'s boot default exactly', async () => {
  const config = fleet('fleet-default.json', { 'net.ipv4.tcp_mem': 'default' });
  const names = listSysctls().map((s) => s.name);
  const ssh = { user: guest.user, port: guest.port, identityFile: guest.identityFile, knownHostsFile: guest.knownHosts, connectTimeout: '60s', commandTimeout: '120s' };
  const found = await discoverHost('vm1', guest.address, ssh, names);
  if (!found.ok) throw new Error(found.message);
  expect(found.document.facts).toMatchObject({ release: guest.release, pageSize: 4096, cpus: 1, hashTablesLine: expect.stringMatching(/^TCP: Hash tables configured \(established \d+ bind \d+\)$/) as unknown });
  expect(found.document.facts.dmesg).toMatch(/Freeing initrd memory/);
  expect(found.document.facts.nodeMeminfo).toHaveLength(1);
  mkdirSync(join(work, 'config', 'facts'), { recursive: true });
  writeFileSync(join(work, 'config', 'facts', 'vm1.json'), JSON.stringify(found.document));

  const load = loadFleet(config);
  const offline = planFleet(load.fleet!, {
    mode: 'offline',
    createdAt: new Date().toISOString(),
    tcpmemVersion: 'test',
    configPath: config,
    digest: undefined,
    observations: new Map(),
    kernelFor: createKernelLookup(),
    hostIndexes: selectHosts(load.fleet!, [], []).indexes,
    problems: [],
  });
  expect(offline.hosts[0]!.changes.find((c) => c.sysctl === 'net.ipv4.tcp_mem')?.after?.join(' ')).toBe(bootTcpMem);
  rmSync(join(work, 'config', 'facts'), { recursive: true });
}, 180_000);

it('applies tcp_mem (a share of RAM) to a real kernel: written, read back, persisted; planned again, nothing to do', async () => {
  const config = fleet('fleet.json', { 'net.ipv4.tcp_mem': { low: '2%', pressure: '3%', high: '4%' }, 'net.core.somaxconn': 2048 });
  const plan = await planLive(config);
  const change = plan.hosts[0]!.changes.find((c) => c.sysctl === 'net.ipv4.tcp_mem')!;
  expect(change).toMatchObject({ action: 'create', before: bootTcpMem.split(' ').map(Number) });
  const report = await run(plan);
  expect(report.hosts[0]).toMatchObject({ status: 'applied', state: 'changed', file: { action: 'written' } });
  expect(live('net.ipv4.tcp_mem')).toBe(change.after!.join(' '));
  expect(inGuest('cat /etc/sysctl.d/99-tcpmem.conf')).toContain(`net.ipv4.tcp_mem = ${change.after!.join(' ')}\n`);
  // what the file says is what the kernel would load at boot: sysctl -p of it changes nothing
  inGuest('sudo -n sysctl -q -p /etc/sysctl.d/99-tcpmem.conf');
  expect(live('net.ipv4.tcp_mem')).toBe(change.after!.join(' '));

  const again = await planLive(config);
  expect(again.summary).toMatchObject({ hostsWithChanges: 0 });
}, 240_000);

it('rolls tcp_mem back on a real kernel when the kernel refuses a later write of the same transaction, run as apply CONFIG runs it: on the shell of the live read', async () => {
  const config = fleet('fleet-2.json', { 'net.ipv4.tcp_mem': { low: '1%', pressure: '2%', high: '3%' }, 'net.core.somaxconn': 2048, 'net.ipv4.tcp_rmem': [4096, 65536, 4194304] });
  const pool = new SessionPool();
  const plan = await planLive(config, pool);
  // bypass the planner's check: the kernel itself must refuse tcp_rmem min 0 (it sorts after tcp_mem)
  plan.hosts[0]!.changes.find((c) => c.sysctl === 'net.ipv4.tcp_rmem')!.after = [0, 65536, 4194304];
  const before = snapshot();
  const events: ApplyEvent[] = [];
  const report = await applyPlan(plan, sshExecutor({ sessions: pool }), { tcpmemVersion: 'test', onEvent: (e) => events.push(e) });
  await pool.closeAll();
  expect(events.find((e) => e.type === 'host-done')).toMatchObject({ timings: { reused: true, reusedShell: true } });
  expect(report.hosts[0]).toMatchObject({ status: 'failed', state: 'rolled-back', failure: { code: 'TCPMEM_APPLY_KERNEL_REJECTED', sysctl: 'net.ipv4.tcp_rmem' } });
  // the kernel's errno, named by the write done again with coreutils' printf (the shell's says only "I/O error")
  expect(report.hosts[0]!.failure?.message).toMatch(/EINVAL/);
  expect(report.hosts[0]!.settings.find((s) => s.sysctl === 'net.ipv4.tcp_mem')?.outcome).toBe('rolled-back');
  expect(snapshot()).toBe(before);
}, 240_000);

it('restores tcp_mem to the kernel default when it leaves the config, and drops its line', async () => {
  const config = fleet('fleet-3.json', { 'net.core.somaxconn': 2048 });
  const plan = await planLive(config);
  const restore = plan.hosts[0]!.changes.find((c) => c.sysctl === 'net.ipv4.tcp_mem')!;
  expect(restore.action).toBe('delete');
  const report = await run(plan);
  expect(report.hosts[0]).toMatchObject({ status: 'applied' });
  expect(live('net.ipv4.tcp_mem')).toBe(restore.after!.join(' '));
  expect(inGuest('cat /etc/sysctl.d/99-tcpmem.conf')).not.toContain('tcp_mem');
}, 240_000);
