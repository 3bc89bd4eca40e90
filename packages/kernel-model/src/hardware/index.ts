export type { BootAssumptions } from './normalize-hardware';
export { hasDecimalUnit } from './parse-size';
export { parseSize } from './parse-size';
