/**
 * A kernel version as the model needs it: the numeric parts of a release (`6.1.0-26-cloud-amd64` → 6.1.0) and
 * the series (`6.1`) whose formulas apply. Distribution suffixes (`-26-cloud-amd64`, `-91-generic`) are kept as
 * `localVersion`; note that Debian's `6.1.0-26` package is a 6.1.y stable kernel whose real sublevel is not in
 * `uname -r` (it is in /proc/version, e.g. "Debian 6.1.112-1").
 */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
  /** The sublevel from the release string; undefined when only a series was given. */
  readonly patch: number | undefined;
  readonly release: string;
  readonly localVersion: string;
}

const releasePattern = /^(\d+)\.(\d+)(?:\.(\d+))?(.*)$/;

/** Parses `uname -r` output or a bare series; undefined when the text is not a kernel release. */
export function parseKernelRelease(release: string): KernelVersion | undefined {
  const match = releasePattern.exec(release.trim());
  if (match === null) return undefined;
  const [, major, minor, patch, rest] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: patch === undefined ? undefined : Number(patch),
    release: release.trim(),
    localVersion: rest ?? '',
  };
}

/** Compares a version with `major.minor[.patch]`: negative, 0 or positive. A missing patch counts as 0. */
export function compareVersion(version: Pick<KernelVersion, 'major' | 'minor' | 'patch'>, other: string): number {
  const [major = 0, minor = 0, patch = 0] = other.split('.').map(Number);
  return version.major - major || version.minor - minor || (version.patch ?? 0) - patch;
}

/** True when the version is at least `major.minor[.patch]` (e.g. `atLeast(v, '4.15')`). */
export function atLeast(version: Pick<KernelVersion, 'major' | 'minor' | 'patch'>, other: string): boolean {
  return compareVersion(version, other) >= 0;
}

/** The series (`6.1`) of a version. */
export function seriesOf(version: Pick<KernelVersion, 'major' | 'minor'>): string {
  return `${version.major}.${version.minor}`;
}
