export { createModelMemo } from './model-memo';
export type { KernelModel } from './model-memo';
export { pureKernelModel } from './model-memo';
