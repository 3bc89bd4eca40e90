// A host described by /proc/meminfo alone (a pasted `cat /proc/meminfo`, no zoneinfo, no boot log, no memory size):
// the model finds the RAM whose MemTotal matches, and must then meet the bars it meets from the hardware.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hardware } from '@tcpmem/schema';
import { computeBootDefaults } from '../src/tcp-init/compute-boot-defaults';
import { formatSysctlValue } from '../src/tcp-init/format-sysctl-value';
import { loadFixtureCases } from './fixture-cases';

const withMeminfo = loadFixtureCases().filter((c) => existsSync(join(c.dir, 'meminfo')));

/** The fixture's machine as a user who pasted /proc/meminfo (and each node's) describes it. */
function meminfoOnly(c: (typeof withMeminfo)[number]): Hardware {
  const rest: Hardware = { ...c.hardware };
  delete rest.memory;
  delete rest.nodes;
  const nodeFiles = readdirSync(c.dir).filter((f) => /^node\d+-meminfo$/.test(f)).sort();
  return {
    ...rest,
    facts: {
      meminfo: readFileSync(join(c.dir, 'meminfo'), 'utf8'),
      ...(nodeFiles.length > 1 ? { nodeMeminfo: nodeFiles.map((f) => readFileSync(join(c.dir, f), 'utf8')) } : {}),
    },
  };
}

const relative = (model: number, observed: number): number => Math.abs(model - observed) / observed;

describe('a host described by /proc/meminfo alone', () => {
  it('finds captured boots with a meminfo to check', () => {
    expect(withMeminfo.length).toBeGreaterThan(20);
  });

  it.each(withMeminfo.map((c) => [c.id, c] as const))('%s: tcp_mem and udp_mem within 0.1 %%, min_free_kbytes within 0.5 %%', (_id, c) => {
    const model = computeBootDefaults(meminfoOnly(c));
    const off: string[] = [];
    for (const name of ['net.ipv4.tcp_mem', 'net.ipv4.udp_mem']) {
      const observed = (c.sysctls[name] ?? '').split(/\s+/).map(Number);
      const value = model.sysctls[name];
      if (typeof value !== 'object' || observed.length !== 3) continue;
      value.forEach((v, i) => {
        if (relative(v, observed[i] ?? 0) > 0.001) off.push(`${name}[${i}] ${v} vs ${observed[i]}`);
      });
    }
    const minFree = Number(c.sysctls['vm.min_free_kbytes']);
    if (relative(Number(formatSysctlValue(model.sysctls['vm.min_free_kbytes'] ?? 0)), minFree) > 0.005) off.push(`min_free_kbytes ${String(model.sysctls['vm.min_free_kbytes'])} vs ${minFree}`);
    expect(off).toEqual([]);
    expect(model.notes.some((n) => n.startsWith('Memory from MemTotal alone'))).toBe(true);
  });
});
