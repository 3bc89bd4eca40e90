export type { HostTcpMemoryInputs } from './host-inputs';
export type { HostTcpMemoryOutputs } from './host-inputs';
export { hostProviderOperations } from './host-provider-operations';
export { HostTcpMemory } from './host-tcp-memory';
export type { HostTcpMemoryArgs } from './host-tcp-memory';
export { TcpMemFleet } from './tcp-mem-fleet';
export type { TcpMemFleetArgs } from './tcp-mem-fleet';
