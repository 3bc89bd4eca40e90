// tcpmem's exit codes are part of the application layer's errors (docs/errors.md lists them).
export { ExitCode, type ExitCodeValue } from '@tcpmem/app';
