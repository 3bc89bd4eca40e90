export * from './local-executor';
export * from './machine-identity';
