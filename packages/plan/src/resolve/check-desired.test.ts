import type { Problem, Workload } from '@tcpmem/schema';
import { checkDesired, checkKeptValue } from './check-desired';
import type { HostKernel } from './host-kernel';
import { kernelForHardware } from './kernel-for-hardware';
import type { DesiredValue } from './resolve-sysctl';

/** Real kernels from kernel-model: 5.15 on 4 GiB (tcp_mem high 91380 pages), and 6.1 without its stable sublevel. */
function kernelOf(kernel: string, memory: string): HostKernel {
  const found = kernelForHardware({ kernel, memory, cpus: 4 });
  if ('problem' in found) throw new Error(found.problem.message);
  return found;
}
const k515 = kernelOf('5.15.0-91-generic', '4GiB');
const k61 = kernelOf('6.1.0-26-amd64', '8GiB');

function want(name: string, values: readonly number[]): DesiredValue {
  return { name, values, onlyRaise: values.map(() => false), reason: 'absolute (host h1)', origin: { file: 'fleet.yaml', pointer: `/hosts/h1/sysctls/${name}` } };
}

function check(values: readonly DesiredValue[], kernel: HostKernel = k515, workload?: Workload): string[] {
  const problems: Problem[] = [];
  checkDesired(new Map(values.map((v) => [v.name, v])), kernel, workload, problems);
  return problems.map((p) => `${p.code} ${p.path ?? ''}`);
}

const at = (name: string) => `/hosts/h1/sysctls/${name}`;

describe('checkDesired', () => {
  it.each([
    ['values the kernel accepts, in order, that fit the host', [want('net.ipv4.tcp_rmem', [4096, 131072, 16777216]), want('net.ipv4.tcp_mem', [45690, 60921, 91380]), want('net.core.somaxconn', [8192])], []],
    ['an element below the kernel\'s minimum', [want('net.ipv4.tcp_rmem', [0, 131072, 6291456])], [`TCPMEM_KERNEL_REJECTS ${at('net.ipv4.tcp_rmem')}`]],
    ['a negative somaxconn', [want('net.core.somaxconn', [-1])], [`TCPMEM_KERNEL_REJECTS ${at('net.core.somaxconn')}`]],
    ['an int sysctl above INT_MAX', [want('net.ipv4.tcp_max_syn_backlog', [2147483648])], [`TCPMEM_KERNEL_REJECTS ${at('net.ipv4.tcp_max_syn_backlog')}`]],
    ['a triple that is not non-decreasing (which the kernel accepts)', [want('net.ipv4.tcp_wmem', [4096, 1048576, 65536])], [`TCPMEM_TRIPLE_ORDER ${at('net.ipv4.tcp_wmem')}`]],
    ['a sysctl this kernel series does not have', [want('net.ipv4.tcp_child_ehash_entries', [1024])], [`TCPMEM_SYSCTL_UNAVAILABLE ${at('net.ipv4.tcp_child_ehash_entries')}`]],
    ['a tcp_mem high over half the RAM', [want('net.ipv4.tcp_mem', [500000, 600000, 700000])], [`TCPMEM_TCP_MEM_TOO_LARGE ${at('net.ipv4.tcp_mem')}`]],
  ] as const)('reports %s', (_what, values, expected) => {
    expect(check(values)).toEqual(expected);
  });

  it('refuses a write whose outcome hangs on a stable backport the release does not settle, and says so', () => {
    const problems: Problem[] = [];
    checkDesired(new Map([['net.ipv4.tcp_rmem', want('net.ipv4.tcp_rmem', [1, 131072, 6291456])]]), k61, undefined, problems);
    expect(problems.map((p) => p.code)).toEqual(['TCPMEM_KERNEL_REJECTS']);
    expect(problems[0]?.message).toMatch(/tcp-rmem-min-4096.*6\.1\.0-26-amd64 does not settle/);
  });

  const flows = (n: number, direction?: Workload['direction']): Workload => ({ flowRate: '10Gbit', rtt: '100ms', flows: n, ...(direction === undefined ? {} : { direction }) });
  it.each([
    ['fit under tcp_mem high', [want('net.ipv4.tcp_rmem', [4096, 131072, 16777216])], flows(10), []],
    ['do not fit under tcp_mem high', [want('net.ipv4.tcp_rmem', [4096, 131072, 16777216])], flows(100), [`TCPMEM_FLOWS_EXCEED_TCP_MEM ${at('net.ipv4.tcp_rmem')}`]],
    ['fit when only the receive buffer counts', [want('net.ipv4.tcp_rmem', [4096, 131072, 8388608]), want('net.ipv4.tcp_wmem', [4096, 16384, 33554432])], flows(40, 'receive'), []],
    ['do not fit when both buffers count', [want('net.ipv4.tcp_rmem', [4096, 131072, 8388608]), want('net.ipv4.tcp_wmem', [4096, 16384, 33554432])], flows(40), [`TCPMEM_FLOWS_EXCEED_TCP_MEM ${at('net.ipv4.tcp_rmem')}`]],
  ] as const)('checks whether a workload\'s flows times their buffers %s', (_what, values, workload, expected) => {
    expect(check(values, k515, workload)).toEqual(expected);
  });
});

describe('checkKeptValue', () => {
  it.each([
    ['a kept field that puts the triple out of order', [94137, 4096, 6291456], ['TCPMEM_TRIPLE_ORDER']],
    ['a kept value the kernel refuses', [4096, 131072, 2147483648], ['TCPMEM_KERNEL_REJECTS']],
    ['a kept value that is fine', [8192, 131072, 6291456], []],
  ] as const)('reports %s', (_what, after, codes) => {
    const problems: Problem[] = [];
    checkKeptValue({ ...want('net.ipv4.tcp_rmem', [2, 4096, 6291456]), onlyRaise: [true, false, false] }, after, k515, problems);
    expect(problems.map((p) => p.code)).toEqual(codes);
    for (const p of problems) expect(p.message).toContain("(with the host's higher value kept by {atLeast})");
  });
});
