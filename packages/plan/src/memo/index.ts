export * from './kernel-lookup';
export * from './plan-memo';
