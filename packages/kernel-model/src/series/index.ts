export type { KernelBuild } from './kernel-build';
export { compareVersion } from './kernel-version';
export type { KernelVersion } from './kernel-version';
export { parseKernelRelease } from './kernel-version';
export { stableSublevelFromProcVersion } from './proc-version';
export { supportedSeries } from './series-facts';
