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
 * What RHEL 7 (3.10.0-*.el7, x86-64) reads `crashkernel=auto` as: not a range table but a formula
 * (`arch_default_crash_size()` in RHEL 7's kernel/kexec.c, CONFIG_KEXEC_AUTO_RESERVE=y; read in the 3.10.0-514.el7
 * tree, github Shun-Hao/linux-3.10.0-514.el7 @3b214f03): nothing when system RAM rounded up to 128 MiB is below
 * KEXEC_AUTO_THRESHOLD (2 GiB; the kernel warns "crashkernel=auto resulted in zero bytes of reserved memory"),
 * otherwise KEXEC_AUTO_RESERVED_SIZE (160 MiB, include/asm-generic/kexec.h) plus 2 bits per 4 KiB page of the rest
 * ("Filtering logic in kdump initrd requires 2bits per 4K page"), rounded up to 1 MiB.
 */
export const rhel7CrashkernelAuto = 'rhel7:160M+(ram-160M)/16K';

/** The RHEL 7 `crashkernel=auto` size for `systemRamBytes` of system RAM (memblock_phys_mem_size), or undefined. */
export function rhel7CrashkernelAutoBytes(systemRamBytes: number): number | undefined {
  const base = 160 * 2 ** 20;
  if (Math.ceil(systemRamBytes / 2 ** 27) * 2 ** 27 < 2 ** 31) return undefined;
  return base + Math.ceil(Math.floor((systemRamBytes - base) / 2 ** 14) / 2 ** 20) * 2 ** 20;
}

/**
 * What a kernel substitutes for `crashkernel=auto`, or undefined where `auto` is refused (mainline, RHEL 9+: nothing
 * is reserved there). RHEL 8 (`__parse_crashkernel` in RHEL 8's kernel/crash_core.c) substitutes a range table;
 * later RHEL 8 minors document `1G-4G:160M,4G-64G:192M,…` for x86-64, the kernel table is used here. RHEL 7 x86-64
 * uses a formula: `rhel7CrashkernelAuto` (see rhel7CrashkernelAutoBytes).
 */
export function crashkernelAutoRanges(release: { readonly release: string }, arch: 'x86_64' | 'aarch64'): string | undefined {
  if (/\.el7/.test(release.release)) return arch === 'x86_64' ? rhel7CrashkernelAuto : undefined;
  if (!/\.el8/.test(release.release)) return undefined;
  return arch === 'aarch64' ? '2G-:448M' : '1G-64G:160M,64G-1T:256M,1T-:512M';
}

/** Which `crashkernel=` arguments a kernel acts on, out of all those on its command line. */
export interface CrashkernelArgs {
  /** The region: the last `crashkernel=` without a suffix, else the last `crashkernel=…,high`. */
  readonly main: string | undefined;
  /** The last `crashkernel=…,low` (the low part reserved beside a region placed above 4 GiB). */
  readonly low: string | undefined;
}

/**
 * Picks the `crashkernel=` arguments as `get_last_crashkernel()` does (kernel/crash_core.c, 3.9+; crash_reserve.c
 * from 6.9): the plain form is the last one without a known suffix; only when there is none (or it does not parse)
 * does the kernel read the last `,high`; the last `,low` sizes the low part.
 */
export function selectCrashkernelArgs(values: readonly string[]): CrashkernelArgs {
  const plain = values.filter((v) => !v.endsWith(',high') && !v.endsWith(',low'));
  const high = values.filter((v) => v.endsWith(',high'));
  const low = values.filter((v) => v.endsWith(',low'));
  return { main: plain.at(-1) ?? high.at(-1), low: low.at(-1) };
}

/**
 * The size of the low part beside a region above 4 GiB: `crashkernel=Y,low` when given (`0` turns it off), else
 * DEFAULT_CRASH_KERNEL_LOW_SIZE: x86-64 max(swiotlb + 8 MiB, 256 MiB), arm64 128 MiB.
 */
export function crashkernelLowBytes(low: string | undefined, arch: 'x86_64' | 'aarch64', swiotlbBytes: number): number {
  if (low !== undefined) {
    const size = memparse(low.slice(0, low.lastIndexOf(',')));
    if (size !== undefined && size.rest === '') return size.bytes;
  }
  return arch === 'aarch64' ? 128 * 2 ** 20 : Math.max(swiotlbBytes + 8 * 2 ** 20, 256 * 2 ** 20);
}

/**
 * Resolves `crashkernel=` (kernel/crash_core.c `parse_crashkernel`, 3.10 → 7.1): `size[@offset]`, `size,high`,
 * `size,low`, or `start-[end]:size[,start-[end]:size…][@offset]` matched against the system RAM size.
 * Undefined when the text does not parse or no range matches (the kernel then reserves nothing).
 */
export function parseCrashkernel(
  text: string,
  systemRamBytes: number,
  options: { readonly roundUpSystemRam?: boolean | undefined; readonly autoRanges?: string | undefined } = {},
): CrashkernelReservation | undefined {
  if (text === 'auto') {
    if (options.autoRanges === rhel7CrashkernelAuto) {
      const bytes = rhel7CrashkernelAutoBytes(systemRamBytes);
      return bytes === undefined ? undefined : { bytes, high: false, low: false };
    }
    return options.autoRanges === undefined ? undefined : parseCrashkernel(options.autoRanges, systemRamBytes, { roundUpSystemRam: options.roundUpSystemRam });
  }
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
