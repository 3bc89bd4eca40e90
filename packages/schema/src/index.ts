export * from './generated/types';
export { tcpmemSchema } from './generated/schema';
export * from './validator';
export * from './generated/guards';
export * from './problem';
export * from './source-document';
export * from './ajv-problems';
export * from './validate-source';
export * from './immutable';
