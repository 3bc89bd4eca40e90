import { validateDefinition } from '@tcpmem/schema';
import { runCli } from './run-cli';

describe('tcpmem model', () => {
  it('prints the defaults of an 8 GiB 6.1 host as one JSON document, each value as sysctl -n prints it', () => {
    const run = runCli(['model', '--memory', '8GiB', '--kernel', '6.1', '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    const checked = validateDefinition('ModelReport', report);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(report.sysctls['net.ipv4.tcp_rmem']).toBe('4096\t131072\t6291456');
    expect(report.sysctls['net.ipv4.tcp_mem']).toMatch(/^\d+\t\d+\t\d+$/);
    expect(report.hashTables).toEqual({ established: 65536, bind: 65536 });
    expect(report.sysctls['net.ipv4.tcp_max_syn_backlog']).toBe('512');
    expect(report.sysctls['net.core.somaxconn']).toBe('4096');
    expect(report.sysctls['net.ipv4.tcp_limit_output_bytes']).toBe('1048576');
  });

  it('takes memory per NUMA node and boot parameters', () => {
    const run = runCli(['model', '--nodes', '2GiB,6GiB', '--kernel', '6.12', '--cmdline', 'thash_entries=4096', '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.hashTables.established).toBe(4096);
    expect(new Set(report.zones.map((z: { node: number }) => z.node))).toEqual(new Set([0, 1]));
  });

  it('reads a hardware file', () => {
    const run = runCli(['model', '--hardware', 'examples/hardware/small-4.19-thash.yaml', '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.kernel.series).toBe('4.19');
    expect(report.hashTables.established).toBe(16384);
    expect(report.sysctls['net.ipv4.tcp_rmem']).toBe('4096\t87380\t6291456');
  });

  it('explains the derivation zone by zone in the human output', () => {
    const run = runCli(['model', '--memory', '4GiB', '--kernel', '6.1', '--explain']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Zones at tcp_init() (pages)');
    expect(run.stdout).toMatch(/^0\s+DMA32\s/m);
    expect(run.stdout).toContain('nr_free_zone_pages');
    expect(run.stdout).toMatch(/net\.ipv4\.tcp_mem\s+\d+ \d+ \d+\s+pages\s+[\d.]+% \/ [\d.]+% \/ [\d.]+%/);
  });

  it('models TCP Small Queues for a flow: a 25 Gbit/s flow is capped on 6.1 and not on 6.18', () => {
    const on61 = JSON.parse(runCli(['model', '--memory', '64GiB', '--kernel', '6.1', '--flow-rate', '25Gbit', '--completion-latency', '500us', '--json']).stdout);
    const on618 = JSON.parse(runCli(['model', '--memory', '64GiB', '--kernel', '6.18', '--flow-rate', '25Gbit', '--completion-latency', '500us', '--json']).stdout);
    expect(on61.tsq).toMatchObject({ capsFlow: true, tcpLimitOutputBytes: 1048576, remedy: 'raise-tcp-limit-output-bytes' });
    expect(on618.tsq).toMatchObject({ capsFlow: false, tcpLimitOutputBytes: 4194304 });
    expect(on61.tsq.simulation.reachedFlowRate).toBe(false);
  });

  it.each([
    [['model', '--memory', '8GiB'], 'no kernel given'],
    [['model', '--kernel', '6.1'], 'no memory given'],
    [['model', '--memory', 'eight', '--kernel', '6.1'], 'memory'],
    [['model', '--memory', '8GiB', '--kernel', '6.1', '--flow-rate', 'fast'], '--flow-rate'],
  ])('refuses %j as a usage error naming the flag', (args, text) => {
    const run = runCli(args);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain(text);
  });
});
