export * from './transport';
export * from './remote';
