export * from './connect';
export * from './read-script';
export * from './read-host';
