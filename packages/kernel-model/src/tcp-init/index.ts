export * from './compute-boot-defaults';
export * from './format-sysctl-value';
export * from './socket-buffers';
export * from './tcp-hash-tables';
export * from './tcp-mem';
export * from './ram-bytes';
export * from './boot-default-ranges';
