export * from './connect';
export * from './conversation';
export * from './read-script';
export * from './read-host';
export * from './ssh-executor';
export * from './transaction-script';
export * from './discover';
