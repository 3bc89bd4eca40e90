import { pointerSegments } from '@tcpmem/schema';

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Turns a JSON pointer into the inputs (`/sysctls/net.ipv4.tcp_rmem/max`) into a Pulumi property path
 * (`sysctls["net.ipv4.tcp_rmem"].max`), the form `check` failures name properties in: identifiers are joined
 * with dots, array indexes and other keys (sysctl names hold dots) go in brackets. The root pointer `""` is `""`.
 */
export function toPropertyPath(pointer: string): string {
  let path = '';
  for (const segment of pointerSegments(pointer)) {
    if (/^(0|[1-9][0-9]*)$/.test(segment) && path !== '') path += `[${segment}]`;
    else if (identifier.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}
