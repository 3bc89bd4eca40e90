import path from 'node:path';
import { examples, tempDir } from '../../test/temp-config';
import { InvalidHostPlanError, renderHost, type RenderedPodSysctls, type RenderedSysctlFile } from './render-host';

const version = '9.9.9-test';
const header = (host: string): string =>
  `# Managed by tcpmem: do not edit. \`tcpmem apply\` rewrites this file, and drops a setting once it leaves the config.\n# host ${host}, tcpmem ${version}\n`;

/** One host per kernel, each asking for a whole-host, a read-only-in-a-pod, a safe and an unsafe per-netns sysctl. */
const fleet = (kernels: Readonly<Record<string, string>>): string =>
  [
    'kind: fleet',
    'version: 1',
    'defaults:',
    '  sysctls:',
    '    net.core.somaxconn: 8192',
    '    net.core.rmem_max: 16MiB',
    '    net.ipv4.tcp_rmem: [4096, 131072, 8388608]',
    '    net.ipv4.tcp_mem: [100000, 150000, 200000]',
    'groups:',
    '  web: {}',
    'hosts:',
    ...Object.entries(kernels).map(([name, kernel]) => `  ${name}: { groups: [web], hardware: { kernel: "${kernel}", memory: 8GiB, cpus: 4 } }`),
    '',
  ].join('\n');

describe('renderHost', () => {
  it('renders tcpmem\'s file for a host from the model: the header naming host and version, then its settings sorted', async () => {
    const { dir, remove } = tempDir({ 'fleet.yaml': fleet({ 'web-1': '6.1.0-26-cloud-amd64' }) });
    try {
      const rendered = (await renderHost(dir, { host: 'web-1', format: 'sysctl.d', tcpmemVersion: version })) as RenderedSysctlFile;
      expect(rendered).toMatchObject({ format: 'sysctl.d', host: 'web-1', source: 'model', kernel: '6.1.0-26-cloud-amd64', path: '/etc/sysctl.d/99-tcpmem.conf', warnings: [] });
      expect(rendered.text).toBe(
        `${header('web-1')}net.core.rmem_max = 16777216\nnet.core.somaxconn = 8192\nnet.ipv4.tcp_mem = 100000 150000 200000\nnet.ipv4.tcp_rmem = 4096 131072 8388608\n`,
      );
    } finally {
      remove();
    }
  });

  it('renders a value relative to the kernel default from that host\'s own model (examples/web-fleet, cache-1 has 32 GiB)', async () => {
    const rendered = (await renderHost(path.join(examples, 'web-fleet'), { host: 'cache-1', format: 'sysctl.d', tcpmemVersion: version })) as RenderedSysctlFile;
    // 3 %, 4 % and 6 % of 32 GiB in 4 KiB pages
    expect(rendered.sysctls).toEqual([
      { name: 'net.core.somaxconn', value: '8192' },
      { name: 'net.ipv4.tcp_max_syn_backlog', value: '8192' },
      { name: 'net.ipv4.tcp_mem', value: `${Math.floor((0.03 * 32 * 2 ** 30) / 4096)} ${Math.floor((0.04 * 32 * 2 ** 30) / 4096)} ${Math.floor((0.06 * 32 * 2 ** 30) / 4096)}` },
    ]);
  });

  it.each([
    // kernel, sysctls a pod may set (safe?), sysctls left out
    ['4.14', [['net.core.somaxconn', false]], ['net.core.rmem_max', 'net.ipv4.tcp_mem', 'net.ipv4.tcp_rmem']],
    ['4.15', [['net.core.somaxconn', false], ['net.ipv4.tcp_rmem', true]], ['net.core.rmem_max', 'net.ipv4.tcp_mem']],
    ['6.1.0-26-cloud-amd64', [['net.core.somaxconn', false], ['net.ipv4.tcp_rmem', true]], ['net.core.rmem_max', 'net.ipv4.tcp_mem']],
  ])('on a %s kernel, gives a pod the per-network-namespace sysctls (safe or not) and leaves out the rest', async (kernel, pod, leftOut) => {
    const { dir, remove } = tempDir({ 'fleet.yaml': fleet({ h: kernel }) });
    try {
      const rendered = (await renderHost(dir, { host: 'h', format: 'kubernetes', tcpmemVersion: version })) as RenderedPodSysctls;
      expect(rendered.sysctls.map((s) => [s.name, s.safe])).toEqual(pod);
      expect(rendered.leftOut.map((s) => s.name)).toEqual(leftOut);
      expect(rendered.sysctls.find((s) => s.name === 'net.core.somaxconn')?.value).toBe('8192');
    } finally {
      remove();
    }
  });

  it.each([
    ['6.1', /^one value for the whole host on 6\.1: a pod's network namespace has no \/proc\/sys\/net\/core\/rmem_max; set it on the node/],
    ['6.12', /^read-only in a pod's network namespace on 6\.12 \(the host's value shows through\); set it on the node/],
  ])('says why a sysctl is left out of a pod on %s: rmem_max is absent there before 6.11, read-only after; tcp_mem is whole-host', async (kernel, rmemMax) => {
    const { dir, remove } = tempDir({ 'fleet.yaml': fleet({ h: kernel }) });
    try {
      const rendered = (await renderHost(dir, { host: 'h', format: 'kubernetes', tcpmemVersion: version })) as RenderedPodSysctls;
      expect(rendered.leftOut).toEqual([
        { name: 'net.core.rmem_max', value: '16777216', reason: expect.stringMatching(rmemMax) as unknown },
        { name: 'net.ipv4.tcp_mem', value: '100000 150000 200000', reason: expect.stringMatching(/^one value for the whole host on 6\.1\d?: a pod's network namespace has no \/proc\/sys\/net\/ipv4\/tcp_mem; set it on the node/) as unknown },
      ]);
    } finally {
      remove();
    }
  });

  it.each([
    ['a name no host has', 'web-9', /no host is named "web-9"/],
    ['a group', 'web', /"web" is a group of .*, not a host/],
    ['a glob', 'web-*', /is a pattern or a list/],
  ])('refuses %s as a usage error (exit 64)', async (_what, host, message) => {
    const { dir, remove } = tempDir({ 'fleet.yaml': fleet({ 'web-1': '6.1' }) });
    try {
      await expect(renderHost(dir, { host, format: 'sysctl.d', tcpmemVersion: version })).rejects.toMatchObject({ code: 'TCPMEM_USAGE', exitCode: 64, message: expect.stringMatching(message) as unknown });
    } finally {
      remove();
    }
  });

  it('refuses a host whose plan has errors, carrying them located in the config (file and line)', async () => {
    const text = fleet({ 'web-1': '6.1' }).replace('net.core.somaxconn: 8192', 'net.core.somaxconn: -1');
    const { dir, remove } = tempDir({ 'fleet.yaml': text });
    try {
      const error: unknown = await renderHost(dir, { host: 'web-1', format: 'sysctl.d', tcpmemVersion: version }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidHostPlanError);
      const problems = (error as InvalidHostPlanError).problems;
      expect(problems.map((p) => [p.code, path.basename(p.file ?? ''), p.line])).toEqual([['TCPMEM_KERNEL_REJECTS', 'fleet.yaml', 5]]);
      expect(error).toMatchObject({ exitCode: 1, message: 'web-1 has errors in its plan; nothing was rendered' });
    } finally {
      remove();
    }
  });
});
