export { checkWrite } from './check-write';
export { valuesAfter } from './check-write';
export { lintValue } from './lint-value';
export { getSysctl } from './registry';
export { isSysctlName } from './registry';
export { listSysctls } from './registry';
export { vectorLength } from './registry';
export { parseSysctlConf } from './sysctl-conf';
