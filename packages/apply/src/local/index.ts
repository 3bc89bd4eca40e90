export { localExecutor } from './local-executor';
export { readLocalHost } from './local-executor';
export { localIdentity } from './machine-identity';
export { machineAppId } from './machine-identity';
export type { MachineIdentity } from './machine-identity';
