import { listSysctls } from '@tcpmem/kernel-model';
import type { ObservedHost } from '@tcpmem/schema';
import type { Observation } from './observation';
import { persistedState } from './persisted-state';

/** Every sysctl tcpmem reads and may write, the names a live read asks for. */
const readNames: ReadonlySet<string> = new Set(listSysctls().map((s) => s.name));

/**
 * The observation a live read of this host would give: its live values (text that is not integers is left out, as a
 * live read leaves it), tcpmem's own file and the files that would override it at boot (sysctl.d(5) order), and
 * the release and values as facts. Pure: the host comes from an `observed.json` (`$defs/ObservedState`).
 */
export function observationOf(host: ObservedHost, managed: ReadonlySet<string> = readNames): Observation {
  const sysctls = new Map<string, readonly number[]>();
  const raw: Record<string, string> = {};
  for (const [name, text] of Object.entries(host.sysctls)) {
    if (text === undefined) continue;
    raw[name] = text.trim();
    const values = text.trim().split(/\s+/).map(Number);
    if (values.every(Number.isSafeInteger)) sysctls.set(name, values);
  }
  const files = Object.entries(host.files ?? {}).flatMap(([path, text]) => (text === undefined ? [] : [{ path, text }]));
  return {
    source: 'live',
    release: host.release,
    sysctls,
    persisted: persistedState(files, managed),
    facts: { ...(host.release === undefined ? {} : { release: host.release }), sysctls: raw },
  };
}
