import type { Triple } from './tcp-mem';

/** A sysctl value in the kernel's unit. */
export type SysctlValue = number | Triple;

/** Exactly what `sysctl -n` prints for a value (without the newline): triples are tab-separated. */
export function formatSysctlValue(value: SysctlValue): string {
  return typeof value === 'number' ? String(value) : value.join('\t');
}
