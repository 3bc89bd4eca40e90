export * from './model-executor';
