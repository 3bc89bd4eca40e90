export { bootDefaultRanges } from './boot-default-ranges';
export type { SysctlRange } from './boot-default-ranges';
export type { BootDefaults } from './compute-boot-defaults';
export { computeBootDefaults } from './compute-boot-defaults';
export { formatSysctlValue } from './format-sysctl-value';
export { ramBytes } from './ram-bytes';
