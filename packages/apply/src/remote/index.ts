export { transportOptions } from './connect';
export { discoverHost } from './discover';
export type { DiscoverResult } from './discover';
export { readHost } from './read-host';
export { readHostWith } from './read-host';
export { readOverTransport } from './read-host';
export { readNames } from './ssh-executor';
export { sshExecutor } from './ssh-executor';
