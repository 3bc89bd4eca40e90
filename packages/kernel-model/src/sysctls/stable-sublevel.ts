import type { KernelVersion } from '../series/kernel-version';

/**
 * The real stable sublevel of a kernel, when it is known. An explicit `stableSublevel` (for Debian, from
 * /proc/version: "Debian 6.1.112-1" → 112) wins. Otherwise the release string's own sublevel counts, except when
 * it is a distribution's `x.y.0-N…` (Debian `6.1.0-26-amd64`, Ubuntu `5.15.0-91-generic`, RHEL
 * `4.18.0-513.el8.x86_64`): those are stable or vendor kernels whose sublevel the release string hides.
 */
export function stableSublevelOf(version: KernelVersion, stableSublevel?: number): number | undefined {
  if (stableSublevel !== undefined) return stableSublevel;
  if (version.patch === undefined) return undefined;
  if (version.patch === 0 && /^-\d/.test(version.localVersion)) return undefined;
  return version.patch;
}
