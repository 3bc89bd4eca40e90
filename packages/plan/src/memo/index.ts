export { createKernelLookup } from './kernel-lookup';
