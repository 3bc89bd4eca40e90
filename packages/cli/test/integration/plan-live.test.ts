import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../run-cli';
import { CliTestHosts } from './cli-test-hosts';

/**
 * `tcpmem plan` against real hosts: network namespaces, each with its own sshd, from test-hosts/netns-hosts.sh.
 * Reads are live and read-only; the test changes a host's state itself (as root, through the harness's folders
 * and `ip netns exec`) to see plan report drift, files and shadowing.
 */
let hosts: CliTestHosts;

const writeFleet = (extraHosts = ''): string =>
  hosts.writeFleet({ sysctls: ['net.ipv4.tcp_rmem: { max: 8MiB }', 'net.core.somaxconn: 8192', 'net.ipv4.tcp_mem: { pressure: 5% }'], extraHosts });

beforeAll(() => {
  hosts = new CliTestHosts(2, '/tmp/tcpmem-plan-live-');
}, 180_000);

afterAll(() => hosts.down(), 120_000);

function plan(...args: string[]): { status: number | null; plan: any; stderr: string } {
  const run = runCli(['plan', hosts.configDir, '--json', ...args]);
  return { status: run.status, plan: JSON.parse(run.stdout), stderr: run.stderr };
}

const change = (p: any, host: string, sysctl: string) => p.hosts.find((h: any) => h.name === host).changes.find((c: any) => c.sysctl === sysctl);

describe('tcpmem plan, live over SSH', () => {
  it('reads every host live and plans from what it read', () => {
    writeFleet();
    const { status, plan: p } = plan();
    expect(status).toBe(0);
    expect(p.mode).toBe('live');
    for (const host of p.hosts) {
      expect(host.source).toBe('live');
      expect(host.observed.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(host.observed.release).toBe(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
    }
    // A fresh namespace starts at the kernel's per-netns defaults, whatever this machine has.
    expect(change(p, 'h1', 'net.core.somaxconn')).toMatchObject({ action: 'create', before: [4096], after: [8192] });
    expect(change(p, 'h1', 'net.ipv4.tcp_rmem').after[2]).toBe(8 * 1024 * 1024);
  }, 120_000);

  it('says a whole-host setting (tcp_mem) is not in a namespace, instead of failing', () => {
    const { plan: p } = plan();
    const h1 = p.hosts.find((h: any) => h.name === 'h1');
    expect(change(p, 'h1', 'net.ipv4.tcp_mem')).toBeUndefined();
    expect(h1.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_SYSCTL_NOT_ON_HOST', severity: 'warning', line: 7 })]);
  }, 120_000);

  it('reports managed settings as no-op, drift (live-only, file-only), restores, and a shadowing file', () => {
    const h1 = hosts.host('h1');
    fs.writeFileSync(path.join(h1.sysctlDir, '99-tcpmem.conf'), 'net.core.somaxconn = 8192\nnet.ipv4.tcp_rmem = 4096 131072 8388608\nnet.ipv4.tcp_max_orphans = 4096\n');
    fs.writeFileSync(path.join(h1.sysctlDir, '99-zz-local.conf'), 'net.core.somaxconn = 1024\n');
    hosts.setLive('h1', 'net.core.somaxconn', '8192');
    try {
      const { plan: p } = plan();
      expect(change(p, 'h1', 'net.core.somaxconn')).toMatchObject({ action: 'no-op', drift: 'none', shadowedBy: '/etc/sysctl.d/99-zz-local.conf' });
      expect(change(p, 'h1', 'net.ipv4.tcp_rmem')).toMatchObject({ action: 'update', drift: 'live-only', persistedBefore: [4096, 131072, 8388608] });
      expect(change(p, 'h1', 'net.ipv4.tcp_max_orphans')).toMatchObject({ action: 'delete', persistedBefore: [4096] });
      expect(change(p, 'h2', 'net.core.somaxconn')).toMatchObject({ action: 'create' });
    } finally {
      fs.rmSync(path.join(h1.sysctlDir, '99-tcpmem.conf'));
      fs.rmSync(path.join(h1.sysctlDir, '99-zz-local.conf'));
      hosts.setLive('h1', 'net.core.somaxconn', '4096');
    }
  }, 120_000);

  it('plans an unreachable host from the model, reports it, and exits 4', () => {
    writeFleet(`  gone: { address: ${hosts.state.unreachableAddress}, hardware: { kernel: "6.12", memory: 4GiB } }`);
    const { status, plan: p } = plan('--parallelism', '4');
    expect(status).toBe(4);
    const gone = p.hosts.find((h: any) => h.name === 'gone');
    expect(gone).toMatchObject({ status: 'unreachable', source: 'model' });
    expect(gone.problems[0]).toMatchObject({ code: 'TCPMEM_UNREACHABLE', severity: 'warning' });
    expect(p.summary.unreachable).toBe(1);
    expect(p.hosts.filter((h: any) => h.status === 'ok')).toHaveLength(2);
  }, 120_000);
});
