import { problem, type Problem } from '@tcpmem/schema';
import { sameValues } from '../observe/observation';
import { deriveWorkload } from './derive-workload';
import type { HostKernel } from './host-kernel';
import type { LayeredSysctl, LayeredWorkload } from './layer-settings';
import { fieldOriginOf, type DesiredValue } from './resolve-sysctl';

/**
 * Warns where a sysctl set at a broader level than a host's workload (`defaults` against a group's workload, an
 * earlier group against a later one) beats what the workload would derive: the explicit value wins over any
 * workload, so a broad `tcp_rmem: {max: {atLeast: 16MiB}}` silently makes a group's 40 Gbit workload a no-op. A
 * setting at the workload's own level or a narrower one is taken as meant. Each warning is located at the
 * workload and names the setting, the value the workload would derive and the value planned instead; none when
 * they are equal. Pure.
 */
export function checkWorkloadOverrides(
  workload: LayeredWorkload,
  sysctls: ReadonlyMap<string, LayeredSysctl>,
  explicit: ReadonlyMap<string, DesiredValue>,
  kernel: HostKernel,
  problems: Problem[],
): void {
  const overriding = [...explicit.values()].filter((value) => {
    const level = sysctls.get(value.name)?.level;
    return derivedNames.has(value.name) && level !== undefined && workload.broaderLevels.has(level);
  });
  if (overriding.length === 0) return;
  // What the workload would derive were those broad settings not there (settings at its level or below still count).
  const meant = new Map(explicit);
  for (const value of overriding) meant.delete(value.name);
  const derivation = deriveWorkload(workload.value, workload.origin, workload.setBy, kernel, meant, []);
  if (derivation === undefined) return;
  const { flowRate, rtt, flows } = workload.value;
  for (const value of overriding) {
    const derived = derivation.values.find((d) => d.name === value.name);
    if (derived === undefined || sameValues(derived.values, value.values)) continue;
    const layered = sysctls.get(value.name);
    const fields = kernel.shapes.get(value.name)?.fields ?? [];
    const differing = fields.findIndex((_f, i) => derived.values[i] !== value.values[i]);
    const at = layered === undefined || differing < 0 ? value.origin : fieldOriginOf(layered, fields[differing] ?? '', differing);
    const where = at.file === workload.origin.file ? `at ${at.pointer}` : `in ${at.file} at ${at.pointer}`;
    problems.push(problem('TCPMEM_WORKLOAD_OVERRIDDEN', `the ${workload.setBy} workload (${flows} flows × ${flowRate} × ${rtt} RTT) would set ${value.name} to ${derived.values.join(' ')}, but ${layered?.setBy ?? 'a broader level'} sets it ${where}, which wins: ${value.values.join(' ')} is planned`, {
      severity: 'warning',
      file: workload.origin.file,
      path: workload.origin.pointer,
      hint: `A setting wins over any workload, and a narrower level cannot unset it: to let the workload size ${value.name}, move the setting from ${layered?.level ?? 'the broader level'} to the groups or hosts that want it, or set ${value.name} in ${workload.setBy} to the value you want.`,
    }));
  }
}

/** The sysctls a workload derives (derive-workload.ts). */
const derivedNames: ReadonlySet<string> = new Set(['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'net.ipv4.tcp_mem']);
