export type { BootAssumptions } from './normalize-hardware';
export { HardwareInputError } from './normalize-hardware';
export { hasDecimalUnit } from './parse-size';
export { parseSize } from './parse-size';
export type { FactTexts } from './fact-texts';
export { factTextsKey } from './fact-texts';
export { modelFacts } from './fact-texts';
export { modelFactsKey } from './fact-texts';
export { parseFactTexts } from './fact-texts';
