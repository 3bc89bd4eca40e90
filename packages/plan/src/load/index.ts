export * from './find-config-files';
export * from './read-sources';
export * from './validate-config';
export * from './load-fleet';
export * from './locate-problems';
