import { printable } from '@tcpmem/schema';

/** How many names a host list shows before `… and N more`. */
const NAMES_SHOWN = 3;

/** `a, b, c` for up to six names; `a, b, c, … and 47 more` for more (each `printable`: a saved plan's may be anything). */
export function hostList(names: readonly string[]): string {
  if (names.length <= 6) return names.map(printable).join(', ');
  return `${names.slice(0, NAMES_SHOWN).map(printable).join(', ')}, … and ${names.length - NAMES_SHOWN} more`;
}

/**
 * The heading of hosts shown once for all of them: `web-1, web-2 (2 identical hosts)` for a few,
 * `50 identical hosts: web-01, web-02, web-03, … and 47 more` for many, the name alone for one.
 */
export function identicalHosts(names: readonly string[]): string {
  if (names.length <= 1) return names.map(printable).join('');
  if (names.length <= 6) return `${hostList(names)} (${names.length} identical hosts)`;
  return `${names.length} identical hosts: ${hostList(names)}`;
}
