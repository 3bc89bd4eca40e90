export * from './series';
export * from './hardware';
export * from './zones';
export * from './calibration';
export * from './tcp-init';
export * from './tasklet';
export * from './sysctls';
export * from './memo';
