import { parseKernelRelease, type KernelVersion } from '../series/kernel-version';
import { stableSublevelOf } from '../sysctls/stable-sublevel';

/** A kernel as the TSQ model needs it: the version numbers and, when known, the distribution suffix. */
export type TsqKernel = Pick<KernelVersion, 'major' | 'minor' | 'patch'> & { readonly localVersion?: string };

/** A kernel given as `uname -r` text (`6.1.0-26-cloud-amd64`), a series (`4.19`), or already parsed. */
export type TsqKernelInput = string | TsqKernel;

/** Normalises a kernel input; throws a RangeError for text that is not a kernel release (the caller's bug). */
export function tsqKernel(input: TsqKernelInput): TsqKernel {
  if (typeof input !== 'string') return input;
  const version = parseKernelRelease(input);
  if (version === undefined) throw new RangeError(`"${input}" is not a kernel release: expected e.g. 6.1 or 6.1.0-26-amd64.`);
  return version;
}

/**
 * The stable sublevel the TSQ rules key on: the release's own (6.1.158 → 158), undefined when only a series was
 * given (6.1) or when a distribution's `x.y.0-N` hides it (Debian 6.1.0-26-amd64, RHEL 4.18.0-513.el8).
 */
export function tsqSublevel(kernel: TsqKernel): number | undefined {
  return stableSublevelOf({ ...kernel, release: '', localVersion: kernel.localVersion ?? '' });
}

/** A RHEL 8 kernel (4.18.0-*.el8): a 4.18 base carrying many 5.x networking backports. */
export function isRhel8(kernel: TsqKernel): boolean {
  return kernel.major === 4 && kernel.minor === 18 && /\.el8/.test(kernel.localVersion ?? '');
}
