import type { Hardware } from '@tcpmem/schema';
import type { BootAssumptions } from '../hardware/normalize-hardware';
import { normalizeHardware } from '../hardware/normalize-hardware';
import { buildKindOf, estimatedBuildSpread, kernelBuildFor, type KernelBuild } from '../series/kernel-build';
import { computeBootDefaults, type BootDefaults } from './compute-boot-defaults';
import { memTotalOnly } from './memory-from-meminfo';
import type { SysctlValue } from './format-sysctl-value';

/** The memory-derived sysctls whose value depends on the kernel build's reservations. */
export const memoryDerivedSysctls = ['net.ipv4.tcp_mem', 'net.ipv4.udp_mem', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'vm.min_free_kbytes'] as const;

/** The lowest and highest value the model considers possible for one sysctl (element by element for triples). */
export interface SysctlRange {
  readonly low: SysctlValue;
  readonly high: SysctlValue;
}

/** Fixed-part samples across the spread: the THP switch at 512 MiB makes the result non-monotonic, so a grid. */
const samples = 9;

function widen(range: SysctlRange | undefined, value: SysctlValue): SysctlRange {
  if (range === undefined) return { low: value, high: value };
  if (typeof value === 'number' || typeof range.low === 'number' || typeof range.high === 'number') {
    const [low, high] = [Number(range.low), Number(range.high)];
    return { low: Math.min(low, Number(value)), high: Math.max(high, Number(value)) };
  }
  const [lo, hi] = [range.low, range.high];
  return {
    low: value.map((v, i) => Math.min(v, lo[i] ?? v)) as unknown as SysctlValue,
    high: value.map((v, i) => Math.max(v, hi[i] ?? v)) as unknown as SysctlValue,
  };
}

/**
 * For every memory-derived sysctl, the lowest and highest value the model considers possible for the host. With a
 * measured or calibrated build (or a boot log that says what was freed) the range is the value itself; with an
 * estimated build it spans the estimate's spread (`KernelBuild.estimate`, else `estimatedBuildSpread`): the fixed reservation,
 * the percpu unit per CPU and, from zoneinfo without a boot log, the image pages freed after tcp_init.
 */
export function bootDefaultRanges(hardware: Hardware, assumptions: BootAssumptions = {}, center?: BootDefaults): Readonly<Record<string, SysctlRange>> {
  const result = center ?? computeBootDefaults(hardware, assumptions);
  // A host described by MemTotal alone: any memory reads the same kernel, arch and facts here.
  const fromMemTotal = memTotalOnly(hardware) !== undefined;
  const machine = normalizeHardware(fromMemTotal ? { ...hardware, memory: 2 ** 30 } : hardware, assumptions);
  const build: KernelBuild = assumptions.build ?? kernelBuildFor(machine.kernel, machine.arch);
  const kind = buildKindOf(build);
  // A measured profile used for another ABI of its Debian series carries a narrow band (`estimate`); one used for the
  // very release it was measured on, or a calibrated one, is exact.
  const exact = (kind !== 'estimated' && (kind !== 'measured' || build.estimate === undefined)) || (machine.facts?.zones !== undefined && machine.facts.lateFrees !== undefined);
  const ranges: Record<string, SysctlRange> = {};
  const take = (d: BootDefaults): void => {
    for (const name of memoryDerivedSysctls) {
      const value = name === 'vm.min_free_kbytes' ? d.memory.min_free_kbytes : d.sysctls[name];
      if (value !== undefined) ranges[name] = widen(ranges[name], value);
    }
  };
  take(result);
  if (exact) return ranges;
  const spread = estimatedBuildSpread[machine.arch];
  // The estimate's own spread around its centre (a Debian flavour, a published image, a kernel era), else the arch's.
  const [fixedLow, fixedHigh] = build.estimate?.fixed ?? spread.fixed;
  for (let i = 0; i < samples; i++) {
    const fixed = Math.round(fixedLow + ((fixedHigh - fixedLow) * i) / (samples - 1));
    for (const percpu of kind === 'measured' ? [build.percpuPagesPerCpu] : spread.percpu) {
      // From zoneinfo or MemTotal without a boot log, what is freed after tcp_init is part of what was measured.
      for (const freed of (machine.facts?.zones !== undefined || fromMemTotal) && kind !== 'measured' ? spread.freed : [build.freedAfterTcpInitPages]) {
        take(computeBootDefaults(hardware, { ...assumptions, build: { ...build, fixedReservedPages: fixed, percpuPagesPerCpu: percpu, freedAfterTcpInitPages: freed } }));
      }
    }
  }
  return ranges;
}
