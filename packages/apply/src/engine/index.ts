export * from './apply-events';
export * from './apply-report';
export * from './apply-plan';
export * from './executor';
export * from './host-result';
export * from './host-work';
export * from './stale';
export * from './run-pool';
