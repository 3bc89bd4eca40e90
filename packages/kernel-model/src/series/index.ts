export * from './kernel-build';
export * from './kernel-version';
export * from './series-facts';
export * from './proc-version';
