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

  const tsqRun = (kernel: string, ...extra: string[]): { status: number | null; stdout: string; report: { tsq: Record<string, unknown> & { simulation?: Record<string, unknown> } } } => {
    const args = ['model', '--memory', '64GiB', '--kernel', kernel, '--flow-rate', '25Gbit', '--completion-latency', '500us', ...extra];
    const run = runCli([...args, '--json']);
    const report = JSON.parse(run.stdout);
    const checked = validateDefinition('ModelReport', report);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    return { status: run.status, stdout: runCli(args).stdout, report };
  };

  it.each([
    // 3.10.0: vanilla 3.10 tcp_write_xmit `sk_wmem_alloc >= sysctl_tcp_limit_output_bytes`: 24 skbs need one byte more.
    ['3.10', { limitBytes: 131072, neededLimitBytes: 1528122, sendAnyway: 'none', pacingShift: 10 }, false],
    // 4.4 tcp_write_xmit: min(max(2 * truesize, sk_pacing_rate >> 10), 262144), `>` test.
    ['4.4', { limitBytes: 262144, neededLimitBytes: 1528121, sendAnyway: 'none', pacingShift: 10 }, true],
    // 6.1.0 has tcp_rtx_queue_empty only; 6.1.158 tcp_rtx_queue_empty_or_single_skb (f921a4a5bffa, 6.1.60).
    ['6.1.0', { limitBytes: 1048576, neededLimitBytes: 1528121, sendAnyway: 'rtx-queue-empty', pacingShift: 10 }, true],
    ['6.1.158', { limitBytes: 1048576, neededLimitBytes: 1528121, sendAnyway: 'rtx-queue-empty-or-single-skb', pacingShift: 10 }, true],
  ] as const)('models TSQ on %s as that kernel does (%j)', (kernel, expected, hasPacingRate) => {
    const { report, stdout } = tsqRun(kernel);
    expect(report.tsq).toMatchObject({ ...expected, capsFlow: true, remedy: 'raise-tcp-limit-output-bytes' });
    expect('pacingRateBytesPerSecond' in report.tsq).toBe(hasPacingRate);
    expect(stdout.includes('sk_pacing_rate ')).toBe(hasPacingRate);
    expect(stdout).toContain(`tcp_limit_output_bytes ≥ ${expected.neededLimitBytes}`);
  });

  it('admits 23 skbs on 3.10 with 1528121 and 24 with 1528122, and says "reached" only when the flow carried its rate', () => {
    const short = tsqRun('3.10', '--tcp-limit-output-bytes', '1528121').report.tsq;
    const enough = tsqRun('3.10', '--tcp-limit-output-bytes', '1528122').report.tsq;
    expect(short).toMatchObject({ capsFlow: true, simulation: { reachedFlowRate: false } });
    expect(enough).toMatchObject({ capsFlow: false, simulation: { reachedFlowRate: true } });
  });

  it('warns that new data stalls on 3.10 with tcp_limit_output_bytes 0, instead of calling TSQ off', () => {
    const { report, stdout } = tsqRun('3.10', '--tcp-limit-output-bytes', '0');
    expect(report.tsq).toMatchObject({ remedy: 'new-data-stalls', limitBytes: 0, payloadCeilingBytesPerSecond: 0, simulation: { throughputPerFlowMean: 0, measured: true } });
    expect(stdout).toContain('NEW DATA STALLS');
    expect(stdout).toMatch(/warning\s+tcp_limit_output_bytes 0 ≤ 0: tcp_write_xmit sends no new data/);
  });

  it.each([
    ['wired', 10, 132880],
    ['mac80211', 8, 234375],
    ['brcmfmac', 8, 234375],
  ])('takes sk_pacing_shift on 4.17 from --driver %s (%i): 400 Mbit/s at 2 ms has a limit of %i', (driver, shift, limit) => {
    const run = runCli(['model', '--memory', '4GiB', '--kernel', '4.17', '--flow-rate', '400Mbit', '--completion-latency', '2ms', '--driver', driver, '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).tsq).toMatchObject({ driver, pacingShift: shift, limitBytes: limit });
  });

  it('gives the same tcp_limit_output_bytes in the model as in the plan hint (1528121 for 25 Gbit/s at 500 µs on 6.1)', () => {
    const model = tsqRun('6.1.0-26-amd64').report.tsq;
    const plan = runCli(['plan', 'examples/transfer-cluster', '--offline']);
    expect(model['neededLimitBytes']).toBe(1528121);
    expect(plan.stdout + plan.stderr).toContain(`tcp_limit_output_bytes to at least ${String(model['neededLimitBytes'])} `);
  });

  it('says a slow flow was measured, not 0 B/s: the simulated time covers its skbs', () => {
    const run = runCli(['model', '--memory', '4GiB', '--kernel', '6.1', '--flow-rate', '1Mbit', '--completion-latency', '500us', '--json']);
    const sim = JSON.parse(run.stdout).tsq.simulation;
    expect(sim).toMatchObject({ measured: true, reachedFlowRate: true });
    expect(sim.throughputPerFlowMean).toBeGreaterThan(0.99 * 125_000);
    expect(runCli(['model', '--memory', '4GiB', '--kernel', '6.1', '--flow-rate', '1Mbit', '--completion-latency', '500us']).stdout).not.toContain('0.00 B/s');
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

  const fixture = (id: string, file: string): string => `packages/kernel-model/fixtures/qemu/${id}/${file}`;

  it.each([
    ['a raw 6.12 boot log', ['--calibrate', fixture('v612-cloud-2g', 'dmesg.txt')], 'v612-cloud-2g/dmesg.txt'],
    ['a 6.1 boot log with the meminfo of that boot', ['--calibrate', fixture('v61-cloud-1g', 'dmesg.txt'), '--meminfo', fixture('v61-cloud-1g', 'meminfo')], 'v61-cloud-1g/dmesg.txt'],
  ])('--calibrate learns the build from %s and says so in --json', (_what, flags, learnedFrom) => {
    const release = learnedFrom.startsWith('v612') ? '6.12.117+deb12-cloud-amd64' : '6.1.0-56-cloud-amd64';
    const run = runCli(['model', '--memory', '8GiB', '--cpus', '2', '--kernel', release, ...flags, '--json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    const checked = validateDefinition('ModelReport', report);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(report.kernel.buildProfile.kind).toBe('calibrated');
    expect(report.kernel.buildProfile.learnedFrom).toContain(learnedFrom);
    // The real 8 GiB boots of these builds (fixtures v612-cloud-8g, v61-cloud-8g): tcp_mem[1] 125462 and 125526.
    const real = learnedFrom.startsWith('v612') ? 125462 : 125526;
    expect(Math.abs(Number(report.sysctls['net.ipv4.tcp_mem'].split('\t')[1]) - real) / real).toBeLessThan(0.001);
    expect(report.ranges['net.ipv4.tcp_mem']).toEqual({ low: report.sysctls['net.ipv4.tcp_mem'], high: report.sysctls['net.ipv4.tcp_mem'] });
  });

  it('names what an estimated build was centred by, in --json and in the table', () => {
    const json = JSON.parse(runCli(['model', '--memory', '8GiB', '--kernel', '5.15.0-91-generic', '--json']).stdout);
    expect(json.kernel.buildProfile).toMatchObject({ kind: 'estimated', id: 'estimate:debian-6.1-amd64', estimate: { centre: 'published-image' } });
    expect(json.kernel.buildProfile.estimate.from).toMatch(/^ubuntu-5\.15-generic: /);
    const [low, high] = json.kernel.buildProfile.estimate.fixedPages as [number, number];
    expect(low).toBeLessThan(high);
    expect(runCli(['model', '--memory', '8GiB', '--kernel', '5.15.0-91-generic']).stdout).toContain('build profile: estimated (estimate:debian-6.1-amd64, centred by published image: ubuntu-5.15-generic)');
    const measured = JSON.parse(runCli(['model', '--memory', '8GiB', '--kernel', '6.1.0-56-amd64', '--json']).stdout);
    expect(measured.kernel.buildProfile.estimate).toBeUndefined();
  });

  it('gives ranges for a build it has not measured, and ± in the table', () => {
    const json = JSON.parse(runCli(['model', '--memory', '4GiB', '--kernel', '6.8.0-1021-aws', '--json']).stdout);
    expect(json.kernel.buildProfile.kind).toBe('estimated');
    const range = json.ranges['net.ipv4.tcp_mem'] as { low: string; high: string };
    const [low, high] = [range.low.split('\t').map(Number), range.high.split('\t').map(Number)];
    expect(low[1]).toBeLessThan(high[1]!);
    expect((high[1]! - low[1]!) / (high[1]! + low[1]!)).toBeLessThan(0.01);
    expect(runCli(['model', '--memory', '4GiB', '--kernel', '6.8.0-1021-aws']).stdout).toMatch(/net\.ipv4\.tcp_mem .*±0\.\d\d% \(estimated build\)/);
  });

  it('refuses a 6.1 boot log alone with an error naming the file and the fix', () => {
    const run = runCli(['model', '--memory', '8GiB', '--kernel', '6.1', '--calibrate', fixture('v61-generic-4g', 'dmesg.txt')]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('TCPMEM_CALIBRATE');
    expect(run.stderr).toContain('v61-generic-4g/dmesg.txt');
    expect(run.stderr).toContain('--meminfo');
  });

  it.each([
    ['a fleet file', 'examples/web-fleet/fleet.yaml', 'fleet'],
    ['a hardware file', 'examples/hardware/8gib-6.1.yaml', 'hardware'],
  ])('names the kind of another tcpmem document given to --calibrate (%s), not a boot log without its first line', (_what, file, kind) => {
    const run = runCli(['model', '--memory', '8GiB', '--kernel', '6.1.0-26-amd64', '--calibrate', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error TCPMEM_INVALID_FACTS: ${file} is a "${kind}" document, not facts or a boot log`);
  });

  it('shows pages and bytes also in MiB/GiB, beside the numbers', () => {
    const run = runCli(['model', '--memory', '8GiB', '--kernel', '6.1']);
    expect(run.status).toBe(0);
    const report = JSON.parse(runCli(['model', '--memory', '8GiB', '--kernel', '6.1', '--json']).stdout);
    const [low, pressure, high] = (report.sysctls['net.ipv4.tcp_mem'] as string).split('\t').map(Number) as [number, number, number];
    const mib = (pages: number) => String(Math.round((pages * 4096) / 2 ** 20));
    expect(run.stdout).toMatch(new RegExp(`net\\.ipv4\\.tcp_mem\\s+${low} ${pressure} ${high}\\s+pages\\s.*\\s${mib(low)}/${mib(pressure)}/${mib(high)} MiB$`, 'm'));
    expect(run.stdout).toMatch(/net\.ipv4\.tcp_rmem\s+4096 131072 6291456\s+bytes\s+4 KiB\/128 KiB\/6 MiB$/m);
    expect(run.stdout).toMatch(/net\.core\.somaxconn\s+4096\s+count$/m);
  });

  it.each([
    [['--memory', '0', '--kernel', '6.1'], 'memory is 0 bytes'],
    [['--nodes', '2GiB,0', '--kernel', '6.1'], 'nodes[1] is 0 bytes'],
    [['--memory', '8GiB', '--kernel', '99.1'], 'kernel 99.1 in (flags) is outside the series tcpmem models (3.10 to 7.1)'],
    [['--memory', '8GiB', '--kernel', '2.6'], 'kernel 2.6 in (flags) is outside the series tcpmem models'],
    [['--memory', '8GiB', '--kernel', '2.6.32-754.el6.x86_64'], 'outside the series'],
  ])('refuses %j as a usage error, not a note with exit 0', (args, text) => {
    const run = runCli(['model', ...args]);
    expect(run.status).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(text);
    const json = runCli(['model', ...args, '--json']);
    expect(json.status).toBe(64);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'TCPMEM_USAGE', exitCode: 64 });
  });

  it.each([['3.10'], ['7.1'], ['7.1.5'], ['3.10.0-1160.el7.x86_64']])('models kernel %s, at the edges of the series it knows', (kernel) => {
    expect(runCli(['model', '--memory', '8GiB', '--kernel', kernel, '--json']).status).toBe(0);
  });
});

