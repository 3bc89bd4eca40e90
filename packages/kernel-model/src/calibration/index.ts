export * from './calibrate-build';
export * from './parse-boot-log';
