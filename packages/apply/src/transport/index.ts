export * from './errors';
export * from './known-hosts';
export * from './ssh-transport';
export * from './with-session';
export * from './local-transport';
