import type { Problem, Workload } from '@tcpmem/schema';
import { bufferOverheadFactor, deriveWorkload } from './derive-workload';
import type { HostKernel } from './host-kernel';
import { kernelForHardware } from './kernel-for-hardware';
import type { DesiredValue } from './resolve-sysctl';

/** Real kernels from kernel-model, 128 GiB: tcp_mem 1541814 2055754 3083628 on 6.12 (its generic build), 1541730 2055640 3083460 on 6.1; tcp_limit_output_bytes 1 MiB on both. */
function kernelOf(kernel: string): HostKernel {
  const found = kernelForHardware({ kernel, memory: '128GiB', cpus: 32 });
  if ('problem' in found) throw new Error(found.problem.message);
  return found;
}
const k612 = kernelOf('6.12');
const k61 = kernelOf('6.1');
const origin = { file: 'fleet.yaml', pointer: '/groups/dtn/workload' };

function derive(workload: Workload, kernel: HostKernel = k612, explicit: readonly DesiredValue[] = []) {
  const problems: Problem[] = [];
  const derived = deriveWorkload(workload, origin, 'group dtn', kernel, new Map(explicit.map((v) => [v.name, v])), problems);
  return { values: Object.fromEntries((derived?.values ?? []).map((v) => [v.name, v.values])), bdp: derived?.bdpBytes, problems: problems.map((p) => `${p.severity} ${p.code} ${p.path ?? ''}`) };
}

const explicitWmem: DesiredValue = { name: 'net.ipv4.tcp_wmem', values: [4096, 16384, 67108864], onlyRaise: [false, false, false], reason: 'absolute (host h1)', origin: { file: 'fleet.yaml', pointer: '/hosts/h1/sysctls/net.ipv4.tcp_wmem' } };

describe('deriveWorkload', () => {
  it.each([
    [
      'sizes both buffers at twice the BDP, and leaves tcp_mem at the kernel default when it holds them',
      { flowRate: '10Gbit', rtt: '100ms', flows: 8 },
      { 'net.ipv4.tcp_rmem': [4096, 131072, 250000000], 'net.ipv4.tcp_wmem': [4096, 16384, 250000000], 'net.ipv4.tcp_mem': [1541814, 2055754, 3083628] },
    ],
    [
      'raises tcp_mem pressure to hold every flow, with the kernel\'s own proportions (low = pressure/4×3, high = low×2)',
      { flowRate: '10Gbit', rtt: '100ms', flows: 100 },
      { 'net.ipv4.tcp_rmem': [4096, 131072, 250000000], 'net.ipv4.tcp_wmem': [4096, 16384, 250000000], 'net.ipv4.tcp_mem': [9155274, 12207032, 18310548] },
    ],
    [
      'derives only the send buffer for senders',
      { flowRate: '10Gbit', rtt: '100ms', flows: 8, direction: 'send' },
      { 'net.ipv4.tcp_wmem': [4096, 16384, 250000000], 'net.ipv4.tcp_mem': [1541814, 2055754, 3083628] },
    ],
    [
      'derives only the receive buffer for receivers',
      { flowRate: '10Gbit', rtt: '100ms', flows: 100, direction: 'receive' },
      { 'net.ipv4.tcp_rmem': [4096, 131072, 250000000], 'net.ipv4.tcp_mem': [4577637, 6103516, 9155274] },
    ],
    [
      'never lowers a buffer below the kernel default',
      { flowRate: '1Mbit', rtt: '1ms', flows: 1 },
      { 'net.ipv4.tcp_rmem': [4096, 131072, 6291456], 'net.ipv4.tcp_wmem': [4096, 16384, 4194304], 'net.ipv4.tcp_mem': [1541814, 2055754, 3083628] },
    ],
  ] as const)('%s', (_behaviour, workload, expected) => {
    const { values, problems } = derive(workload);
    expect(values).toEqual(expected);
    expect(problems).toEqual([]);
  });

  it('computes the bandwidth-delay product in bytes', () => {
    expect(derive({ flowRate: '10Gbit', rtt: '100ms', flows: 8 }).bdp).toBe(125000000);
    expect(bufferOverheadFactor).toBe(2);
  });

  it('leaves an explicitly set buffer alone, and counts it in tcp_mem', () => {
    const { values } = derive({ flowRate: '25Gbit', rtt: '100ms', flows: 40 }, k61, [explicitWmem]);
    expect(values['net.ipv4.tcp_wmem']).toBeUndefined();
    expect(values['net.ipv4.tcp_rmem']).toEqual([4096, 131072, 625000000]);
    // 40 flows × (625000000 + 67108864) bytes = 6758876 pages of pressure.
    expect(values['net.ipv4.tcp_mem']).toEqual([Math.floor(6758876 / 4) * 3, 6758876, Math.floor(6758876 / 4) * 6]);
  });

  it.each([
    ['warns when TCP Small Queues cap a flow below its rate', { flowRate: '25Gbit', rtt: '100ms', flows: 4 }, ['warning TCPMEM_TSQ_CAPS_FLOW /groups/dtn/workload']],
    ['does not warn when the TX completions come fast enough', { flowRate: '25Gbit', rtt: '100ms', flows: 4, completionLatency: '100us' }, []],
    ['does not warn for receivers, whose sends TSQ does not limit', { flowRate: '25Gbit', rtt: '100ms', flows: 4, direction: 'receive' }, []],
    ['does not warn for a rate under the cap', { flowRate: '10Gbit', rtt: '100ms', flows: 4 }, []],
    ['reports a rate it cannot read, and derives nothing', { flowRate: 'fast', rtt: '100ms', flows: 4 }, ['error TCPMEM_VALUE /groups/dtn/workload']],
    ['reports a round-trip time it cannot read', { flowRate: '10Gbit', rtt: 'long', flows: 4 }, ['error TCPMEM_VALUE /groups/dtn/workload']],
  ] as const)('%s', (_behaviour, workload, expected) => {
    expect(derive(workload as Workload, k61).problems).toEqual(expected);
  });
});
