import { parseSysctlConf } from '@tcpmem/kernel-model';
import { persistedFile, type PersistedEntry, type PersistedState } from './observation';

/** systemd-sysctl's configuration folders, highest priority first (sysctl.d(5)). */
export const sysctlDirs = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'] as const;

/** One sysctl file read from a host. */
export interface SysctlFile {
  readonly path: string;
  readonly text: string;
}

/**
 * What a host's sysctl files say, by the rules of systemd-sysctl (sysctl.d(5)): a file in a higher-priority
 * folder masks one with the same name in a lower one; the remaining files are applied in the order of their
 * names, and a later assignment wins. Returns tcpmem's own entries, per sysctl the last assignment that comes after
 * tcpmem's file (and so would override it at boot), and, per sysctl tcpmem's file sets, the last assignment of any
 * other file (what boot gives without tcpmem's file). Values are compared as integers.
 */
export function persistedState(files: readonly SysctlFile[], managed: ReadonlySet<string>): PersistedState {
  const byName = new Map<string, SysctlFile>();
  for (const dir of sysctlDirs) {
    for (const file of files) {
      if (!file.path.startsWith(`${dir}/`) || !file.path.endsWith('.conf')) continue;
      const name = file.path.slice(dir.length + 1);
      if (name.includes('/') || byName.has(name)) continue;
      byName.set(name, file);
    }
  }
  const ownName = persistedFile.slice(persistedFile.lastIndexOf('/') + 1);
  const ordered = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const own = new Map<string, readonly number[]>();
  const overriding = new Map<string, PersistedEntry>();
  const others = new Map<string, PersistedEntry>();
  for (const [name, file] of ordered) {
    const isOwn = file.path === persistedFile;
    for (const entry of parseSysctlConf(file.text).entries) {
      if (entry.kind !== 'assignment' || entry.values === undefined || !managed.has(entry.name)) continue;
      const key = entry.name;
      const values = entry.values.map(Number);
      if (isOwn) {
        own.set(key, values);
        continue;
      }
      others.set(key, { values, file: file.path });
      if (name > ownName) overriding.set(key, { values, file: file.path });
    }
  }
  const beneath = new Map([...others].filter(([key]) => own.has(key)));
  return { file: persistedFile, own, overriding, beneath };
}
