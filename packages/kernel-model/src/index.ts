export * from './series/kernel-version';
