import { memparse } from './memparse';

/** A resolved `crashkernel=` reservation. */
export interface CrashkernelReservation {
  readonly bytes: number;
  /** `,high`: reserved above 4 GiB (plus a low part); otherwise below 4 GiB when it fits. */
  readonly high: boolean;
  readonly low: boolean;
}

/**
 * Whether a kernel rounds system RAM up to 128 MiB before matching `crashkernel=` ranges: mainline from 5.17
 * ("kdump: round up the total memory size to 128M for crashkernel reservation"), and RHEL 8/9 (`.el8`, `.el9`
 * releases) by backport.
 */
export function crashkernelRoundsUpRam(release: { readonly major: number; readonly minor: number; readonly release: string }): boolean {
  return release.major > 5 || (release.major === 5 && release.minor >= 17) || /\.el(?:8|9|10)/.test(release.release);
}

/**
 * Resolves `crashkernel=` (kernel/crash_core.c `parse_crashkernel`, 3.10 → 7.1): `size[@offset]`, `size,high`,
 * `size,low`, or `start-[end]:size[,start-[end]:size…][@offset]` matched against the system RAM size.
 * Undefined when the text does not parse or no range matches (the kernel then reserves nothing).
 */
export function parseCrashkernel(text: string, systemRamBytes: number, options: { readonly roundUpSystemRam?: boolean } = {}): CrashkernelReservation | undefined {
  const high = text.endsWith(',high');
  const low = text.endsWith(',low');
  const body = (high || low ? text.slice(0, text.lastIndexOf(',')) : text).replace(/@.*$/, '');
  if (!body.includes(':')) {
    const size = memparse(body);
    return size === undefined || size.rest !== '' ? undefined : { bytes: size.bytes, high, low };
  }
  // "Firmware sometimes reserves some memory regions for its own use, so the system memory size is less than the
  // actual physical memory size. Work around this by rounding up the total size to 128M" (parse_crashkernel_mem,
  // mainline 5.17+, and RHEL 8/9 kernels by backport): a 1 GiB VM with 990 MiB of RAM matches `1G-4G:192M`.
  const ram = options.roundUpSystemRam === true ? Math.ceil(systemRamBytes / 2 ** 27) * 2 ** 27 : systemRamBytes;
  for (const range of body.split(',')) {
    const [span = '', sizeText = ''] = range.split(':');
    const [startText = '', endText = ''] = span.split('-');
    const start = memparse(startText)?.bytes;
    const end = endText === '' ? Infinity : memparse(endText)?.bytes;
    const size = memparse(sizeText)?.bytes;
    if (start === undefined || end === undefined || size === undefined) return undefined;
    // parse_crashkernel_mem(): "if (system_ram >= start && system_ram < end)".
    // "if (size >= total_mem) … invalid size": the whole parameter is rejected.
    if (ram >= start && ram < end) return size >= ram ? undefined : { bytes: size, high, low };
  }
  return undefined;
}
