// The errors the CLI shows live in the application layer, which throws them; the CLI maps them to exit codes.
export { TcpmemError, externalError, usageError, userError } from '@tcpmem/app';
