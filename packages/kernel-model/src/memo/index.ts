export * from './model-memo';
