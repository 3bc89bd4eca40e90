import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, type CliRun } from './run-cli';

interface PlannedHost {
  status: string;
  changes: { sysctl: string; after: number[] | null }[];
  problems: { code: string; severity: string; message: string; hint?: string }[];
}

/** Plans, offline, one 8 GiB 6.1 host whose only setting is `name: <yaml>`, written as an operator would. */
function planOne(name: string, yaml: string): { run: CliRun; host: PlannedHost | undefined; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-forms-'));
  fs.writeFileSync(
    path.join(dir, 'fleet.yaml'),
    ['kind: fleet', 'version: 1', 'defaults:', '  hardware: { kernel: "6.1", memory: 8GiB, cpus: 4 }', '  sysctls:', `    ${name}: ${yaml}`, 'hosts:', '  h: {}', ''].join('\n'),
  );
  const run = runCli(['plan', dir, '--offline', '--json']);
  const plan = run.stdout === '' ? undefined : (JSON.parse(run.stdout) as { hosts?: PlannedHost[] });
  return { run, host: plan?.hosts?.[0], dir };
}

const after = (host: PlannedHost | undefined, name: string): number[] | null | undefined => host?.changes.find((c) => c.sysctl === name)?.after;

describe('triples in the sysctl.conf form', () => {
  it.each([
    ['net.ipv4.tcp_rmem', '"4096 131072 16777216"', [4096, 131072, 16777216]],
    ['net.ipv4.tcp_wmem', '"4096\\t16384\\t8388608"', [4096, 16384, 8388608]],
    ['net.ipv4.tcp_rmem', "'  4096   87380  6291456 '", [4096, 87380, 6291456]],
    ['net.ipv4.tcp_mem', '"188004 250672 376008"', [188004, 250672, 376008]],
    ['net.ipv4.udp_mem', '"188004\t250672 376008"', [188004, 250672, 376008]],
  ])('%s: %s is planned as %j', (name, yaml, values) => {
    const { run, host } = planOne(name, yaml);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(host?.problems).toEqual([]);
    expect(after(host, name)).toEqual(values);
  });

  it.each([
    ['net.ipv4.tcp_rmem', '"4096, 131072, 16777216"'],
    ['net.ipv4.tcp_rmem', '"4096 131072"'],
    ['net.ipv4.tcp_mem', '"1 2 3 4"'],
    ['net.core.somaxconn', '"4096 8192 16384"'],
  ])('%s: %s is a located schema error whose hint names the forms, not a regular expression', (name, yaml) => {
    const { run, dir } = planOne(name, yaml);
    expect(run.status).toBe(1);
    const validated = runCli(['validate', dir, '--json']);
    const problem = JSON.parse(validated.stdout).problems[0];
    expect(problem).toMatchObject({ code: 'TCPMEM_SCHEMA', line: 6 });
    expect(problem.hint).not.toMatch(/\^|\$|\[0-9\]/);
  });

  it('keeps the order check: a sysctl.conf triple out of order is TCPMEM_TRIPLE_ORDER', () => {
    const { run, host } = planOne('net.ipv4.tcp_rmem', '"131072 4096 16777216"');
    expect(run.status).toBe(1);
    expect(host?.problems.map((p) => p.code)).toContain('TCPMEM_TRIPLE_ORDER');
  });
});

describe('size units', () => {
  it.each([
    // One letter is binary, as memparse and the sizes people write.
    ['net.core.wmem_max', '16k', 16384],
    ['net.core.wmem_max', '16K', 16384],
    ['net.core.rmem_max', '8M', 8 * 2 ** 20],
    ['net.core.rmem_max', '8m', 8 * 2 ** 20],
    ['net.core.wmem_max', '1g', 2 ** 30],
    ['net.ipv4.tcp_limit_output_bytes', '4M', 4 * 2 ** 20],
    ['net.core.rmem_max', '16MiB', 16 * 2 ** 20],
    ['net.core.rmem_max', '16777216', 16777216],
  ])('%s: %s is %i bytes, without a warning', (name, yaml, bytes) => {
    const { run, host } = planOne(name, yaml);
    expect(run.status).toBe(0);
    expect(host?.problems).toEqual([]);
    expect(after(host, name)).toEqual([bytes]);
  });

  it('reads a tcp_mem high of 1G as 1 GiB in 4 KiB pages', () => {
    const { host } = planOne('net.ipv4.tcp_mem', '{ high: 1G }');
    expect(after(host, 'net.ipv4.tcp_mem')?.[2]).toBe(2 ** 30 / 4096);
  });

  it.each([
    ['net.core.wmem_max', '16kB', 16000, '16KiB', '16,384'],
    ['net.core.wmem_max', '16KB', 16000, '16KiB', '16,384'],
    ['net.ipv4.tcp_limit_output_bytes', '4MB', 4_000_000, '4MiB', '4,194,304'],
    ['net.core.rmem_max', '1 GB', 1e9, '1GiB', '1,073,741,824'],
  ])('%s: %s is %i bytes, as written, with a warning that says what was probably meant', (name, yaml, bytes, binary, binaryBytes) => {
    const { run, host, dir } = planOne(name, yaml);
    expect(run.status).toBe(0);
    expect(after(host, name)).toEqual([bytes]);
    expect(host?.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_DECIMAL_UNIT', severity: 'warning' })]);
    expect(host?.problems[0]?.message).toContain(`is decimal: ${bytes.toLocaleString('en-US')} bytes, not ${binaryBytes} (${binary})`);
    const human = runCli(['plan', dir, '--offline']);
    expect(human.stdout).toContain(`warning TCPMEM_DECIMAL_UNIT: ${name}: "${yaml}" is decimal`);
  });

  it('refuses a unit on a count', () => {
    const { host } = planOne('net.core.somaxconn', '8k');
    expect(host?.problems.map((p) => p.code)).toEqual(['TCPMEM_UNIT_MISMATCH']);
  });
});
