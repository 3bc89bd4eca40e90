import { problem, type Problem, type Workload } from '@tcpmem/schema';
import type { Origin } from '../fleet/fleet-model';
import type { HostKernel } from './host-kernel';
import type { DesiredValue } from './resolve-sysctl';
import { formatRate, parseDuration, parseRate } from '@tcpmem/kernel-model';
import { approxBytes } from './approx-bytes';

/**
 * Buffer overhead: a socket's buffer holds more than the data in flight. On receive, tcp_adv_win_scale=1 (the
 * default up to 6.5) advertises half the buffer as window, and 6.6+ starts its scaling_ratio at about the same
 * share for 1500-byte MTUs; on send, each skb's truesize roughly doubles the payload. So a flow needs about
 * twice its bandwidth-delay product in rmem/wmem: the factor ESnet's host-tuning guidance and the kernel's own
 * tcp_rmem documentation imply.
 */
export const bufferOverheadFactor = 2;

/** What a workload asks of one host: the sysctls it derives, and its warnings. */
export interface WorkloadDerivation {
  readonly values: DesiredValue[];
  readonly bdpBytes: number;
}

/**
 * Derives `tcp_rmem[2]`/`tcp_wmem[2]` from the bandwidth-delay product (× the overhead factor) and a `tcp_mem`
 * whose pressure threshold holds every flow's buffers, never below the kernel defaults; warns when TCP Small
 * Queues (`tcp_limit_output_bytes` over the TX completion latency) caps a flow below its target rate.
 */
export function deriveWorkload(
  workload: Workload,
  origin: Origin,
  setBy: string,
  kernel: HostKernel,
  explicit: ReadonlyMap<string, DesiredValue>,
  problems: Problem[],
): WorkloadDerivation | undefined {
  const parsedRate = parseRate(workload.flowRate);
  const parsedRtt = parseDuration(workload.rtt);
  const parsedLatency = parseDuration(workload.completionLatency ?? '500us');
  if (!parsedRate.ok || !parsedRtt.ok || !parsedLatency.ok) {
    const bad = !parsedRate.ok ? parsedRate : !parsedRtt.ok ? parsedRtt : parsedLatency;
    problems.push(problem('TCPMEM_VALUE', bad.ok ? 'unreadable workload' : bad.message, { file: origin.file, path: origin.pointer, hint: 'Write rates such as 10Gbit and durations such as 100ms.' }));
    return undefined;
  }
  const rate = parsedRate.value;
  const rtt = parsedRtt.value / 1e9;
  const completionLatency = parsedLatency.value / 1e9;
  const direction = workload.direction ?? 'both';
  const bdpBytes = Math.ceil(rate * rtt);
  const perFlow = Math.ceil(bdpBytes * bufferOverheadFactor);
  const values: DesiredValue[] = [];
  const why = `${workload.flows} flows × ${workload.flowRate} × ${workload.rtt} RTT: BDP ${approxBytes(bdpBytes)} × ${bufferOverheadFactor} overhead (${setBy} workload)`;
  let bytesPerFlow = 0;
  for (const [name, wanted] of [
    ['net.ipv4.tcp_rmem', direction !== 'send'],
    ['net.ipv4.tcp_wmem', direction !== 'receive'],
  ] as const) {
    const base = kernel.defaults.get(name);
    if (!wanted || base === undefined) continue;
    const given = explicit.get(name);
    if (given !== undefined) {
      bytesPerFlow += given.values[2] ?? 0;
      continue;
    }
    const max = Math.max(base[2] ?? 0, perFlow);
    bytesPerFlow += max;
    values.push({ name, values: [base[0] ?? 4096, base[1] ?? 16384, max], onlyRaise: [false, false, false], reason: why, origin });
  }
  const mem = kernel.defaults.get('net.ipv4.tcp_mem');
  if (mem !== undefined) {
    const neededPages = Math.ceil((workload.flows * bytesPerFlow) / kernel.pageSize);
    const pressure = Math.max(mem[1] ?? 0, neededPages);
    // tcp_init_mem() proportions (all versions): low = pressure/4*3, high = low*2.
    const low = Math.floor(pressure / 4) * 3;
    const high = Math.max(mem[2] ?? 0, low * 2);
    values.push({ name: 'net.ipv4.tcp_mem', values: [low, pressure, high], onlyRaise: [false, false, false], reason: `pressure holds ${workload.flows} flows × ${approxBytes(bytesPerFlow)} (${setBy} workload)`, origin });
  }
  const limit = kernel.defaults.get('net.ipv4.tcp_limit_output_bytes')?.[0];
  if (limit !== undefined && direction !== 'receive') {
    const ceiling = kernel.tsqCeilingBytesPerSecond(limit, completionLatency);
    if (ceiling < rate) {
      problems.push(problem('TCPMEM_TSQ_CAPS_FLOW', `TCP Small Queues cap one flow at about ${formatRate(ceiling)} on ${kernel.release} (tcp_limit_output_bytes ${limit} over a ${completionLatency * 1e6} µs TX completion latency), below the ${workload.flowRate} target`, {
        severity: 'warning',
        file: origin.file,
        path: origin.pointer,
        hint: `Raise net.ipv4.tcp_limit_output_bytes to at least ${kernel.tsqNeededLimitBytes(rate, completionLatency)} for this workload, or use paced flows (fq qdisc).`,
      }));
    }
  }
  return { values, bdpBytes };
}
