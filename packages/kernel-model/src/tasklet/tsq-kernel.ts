import { parseKernelRelease, type KernelVersion } from '../series/kernel-version';

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
