export { ExitCode } from './exit-codes';
export { TcpmemError } from './errors';
