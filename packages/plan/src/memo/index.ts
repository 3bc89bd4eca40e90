export { createKernelLookup } from './kernel-lookup';
export { createPlanMemo } from './plan-memo';
