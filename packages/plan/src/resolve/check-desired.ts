import { tripleStepsDown } from '@tcpmem/kernel-model';
import { problem, type Problem, type Workload } from '@tcpmem/schema';
import type { HostKernel } from './host-kernel';
import type { DesiredValue } from './resolve-sysctl';
import { approxBytes } from './approx-bytes';

/**
 * Checks the value a host would get where `{atLeast}` keeps the host's own higher value in some field: each field
 * was checked alone, but together they may not be in order (`[{atLeast: 2}, 4096, default]` on a host whose low
 * is 94,137), or may be a write the kernel refuses.
 */
export function checkKeptValue(value: DesiredValue, after: readonly number[], kernel: HostKernel, problems: Problem[]): void {
  checkValue({ ...value, values: after }, kernel, problems, " (with the host's higher value kept by {atLeast})");
}

/** Above this share of RAM a tcp_mem high threshold leaves too little for everything else on the host. */
export const maxTcpMemShareOfRam = 0.5;

/**
 * Semantic checks of one host's resolved values, each located where the value was set: values the kernel would
 * reject, triples that are not non-decreasing, sysctls this kernel series does not have, a tcp_mem high above
 * half the RAM, and per-socket maxima that, times the workload's flows, do not fit under tcp_mem.
 */
export function checkDesired(desired: ReadonlyMap<string, DesiredValue>, kernel: HostKernel, workload: Workload | undefined, problems: Problem[]): void {
  for (const value of desired.values()) checkValue(value, kernel, problems);
  const tcpMem = desired.get('net.ipv4.tcp_mem');
  const highPages = tcpMem?.values[2] ?? kernel.defaults.get('net.ipv4.tcp_mem')?.[2];
  if (tcpMem !== undefined && highPages !== undefined && highPages * kernel.pageSize > maxTcpMemShareOfRam * kernel.memTotalBytes) {
    problems.push(problem('TCPMEM_TCP_MEM_TOO_LARGE', `net.ipv4.tcp_mem high ${highPages} pages (${approxBytes(highPages * kernel.pageSize)}) is over ${maxTcpMemShareOfRam * 100}% of this host's ${approxBytes(kernel.memTotalBytes)} RAM`, { file: tcpMem.origin.file, path: tcpMem.origin.pointer, hint: 'TCP could then take memory the rest of the host needs; the kernel default is about 9% of RAM.' }));
  }
  if (workload !== undefined && highPages !== undefined) {
    const direction = workload.direction ?? 'both';
    let perFlow = 0;
    if (direction !== 'send') perFlow += desired.get('net.ipv4.tcp_rmem')?.values[2] ?? kernel.defaults.get('net.ipv4.tcp_rmem')?.[2] ?? 0;
    if (direction !== 'receive') perFlow += desired.get('net.ipv4.tcp_wmem')?.values[2] ?? kernel.defaults.get('net.ipv4.tcp_wmem')?.[2] ?? 0;
    const needed = workload.flows * perFlow;
    if (needed > highPages * kernel.pageSize) {
      const source = desired.get('net.ipv4.tcp_rmem') ?? desired.get('net.ipv4.tcp_wmem') ?? tcpMem;
      problems.push(problem('TCPMEM_FLOWS_EXCEED_TCP_MEM', `${workload.flows} flows × ${approxBytes(perFlow)} of socket buffers need ${approxBytes(needed)}, more than net.ipv4.tcp_mem high (${approxBytes(highPages * kernel.pageSize)})`, {
        ...(source === undefined ? {} : { file: source.origin.file, path: source.origin.pointer }),
        hint: 'Raise net.ipv4.tcp_mem, lower the per-socket maxima, or leave tcp_mem to the workload derivation.',
      }));
    }
  }
}

/** One value: the sysctl exists on this kernel, the kernel accepts the write, a triple is in order. */
function checkValue(value: DesiredValue, kernel: HostKernel, problems: Problem[], kept = ''): void {
  const at = { file: value.origin.file, path: value.origin.pointer };
  const shape = kernel.shapes.get(value.name);
  if (shape === undefined || !kernel.defaults.has(value.name)) {
    problems.push(problem('TCPMEM_SYSCTL_UNAVAILABLE', `${value.name} does not exist on kernel ${kernel.release} (series ${kernel.series})`, { ...at, hint: 'Remove it for this host, or set it only for hosts whose kernel has it (a group).' }));
    return;
  }
  const check = kernel.checkWrite(value.name, value.values);
  if (!check.accepted) {
    problems.push(problem('TCPMEM_KERNEL_REJECTS', `${value.name} ${value.values.join(' ')}${kept}: the kernel would reject ${shape.fields.length > 1 ? `${shape.fields[check.elementIndex] ?? 'a field'} (${value.values[check.elementIndex]})` : 'it'}: ${check.reason}`, { ...at, hint: 'Use a value the kernel accepts; docs/sysctls.md lists the rules.' }));
  }
  // a step down the kernel's own default has (tcp_wmem with 64 KiB pages: 65536 16384) stays when only max is raised
  if (shape.fields.length === 3 && tripleStepsDown(value.values, kernel.defaults.get(value.name)).length > 0) {
    problems.push(problem('TCPMEM_TRIPLE_ORDER', `${value.name} ${value.values.join(' ')}${kept} is not non-decreasing (${shape.fields.join(' ≤ ')})`, {
      ...at,
      hint: kept === '' ? `Order the fields ${shape.fields.join(' ≤ ')}; the kernel accepts any order but uses them as thresholds.` : `Order the fields ${shape.fields.join(' ≤ ')} whatever the host has: give the later fields {atLeast} too, or set the earlier ones without it.`,
    }));
  }
}
