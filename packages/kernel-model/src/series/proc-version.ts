import type { KernelVersion } from './kernel-version';

/**
 * The real stable sublevel of a distribution kernel, from /proc/version, when `uname -r` hides it: Debian's
 * `6.1.0-26-amd64` says "Debian 6.1.112-1 (2024-09-30)" there, i.e. 6.1.112. Undefined when the text does not
 * say (Ubuntu and RHEL builds do not) or names another series.
 */
export function stableSublevelFromProcVersion(procVersion: string, version: Pick<KernelVersion, 'major' | 'minor'>): number | undefined {
  // The compiler's version ("Debian 12.2.0-14") comes first: take the one of this kernel's series.
  for (const [, major, minor, sublevel] of procVersion.matchAll(/\bDebian (\d+)\.(\d+)\.(\d+)-/g)) {
    if (Number(major) === version.major && Number(minor) === version.minor) return Number(sublevel);
  }
  return undefined;
}
