import { memparse } from './memparse';

/** A resolved `crashkernel=` reservation. */
export interface CrashkernelReservation {
  readonly bytes: number;
  /** `,high`: reserved above 4 GiB (plus a low part); otherwise below 4 GiB when it fits. */
  readonly high: boolean;
  readonly low: boolean;
}

/**
 * Resolves `crashkernel=` (kernel/crash_core.c `parse_crashkernel`, 3.10 → 7.1): `size[@offset]`, `size,high`,
 * `size,low`, or `start-[end]:size[,start-[end]:size…][@offset]` matched against the system RAM size.
 * Undefined when the text does not parse or no range matches (the kernel then reserves nothing).
 */
export function parseCrashkernel(text: string, systemRamBytes: number): CrashkernelReservation | undefined {
  const high = text.endsWith(',high');
  const low = text.endsWith(',low');
  const body = (high || low ? text.slice(0, text.lastIndexOf(',')) : text).replace(/@.*$/, '');
  if (!body.includes(':')) {
    const size = memparse(body);
    return size === undefined || size.rest !== '' ? undefined : { bytes: size.bytes, high, low };
  }
  for (const range of body.split(',')) {
    const [span = '', sizeText = ''] = range.split(':');
    const [startText = '', endText = ''] = span.split('-');
    const start = memparse(startText)?.bytes;
    const end = endText === '' ? Infinity : memparse(endText)?.bytes;
    const size = memparse(sizeText)?.bytes;
    if (start === undefined || end === undefined || size === undefined) return undefined;
    // parse_crashkernel_mem(): "if (system_ram >= start && system_ram < end)".
    if (systemRamBytes >= start && systemRamBytes < end) return { bytes: size, high, low };
  }
  return undefined;
}
