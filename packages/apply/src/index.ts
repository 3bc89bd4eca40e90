export * from './transport';
export * from './remote';
export * from './engine';
export * from './model';
export * from './local';
