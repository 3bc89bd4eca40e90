import type { Hardware } from '@tcpmem/schema';
import { parseBootCmdline } from '../hardware/parse-boot-cmdline';
import { parseSize } from '../hardware/parse-size';
import type { BootDefaults } from './compute-boot-defaults';

/**
 * The RAM of a host in bytes, as its owner states it: the memory of its NUMA nodes plus `memory`, at most what
 * `mem=` on its command line lets the kernel use; when neither is given (a host described by captured /proc
 * files), the kernel's totalram_pages × page size from the model. The size `tcpmem model` shows and the planner
 * compares byte-sized sysctls with (shares of RAM, tcp_mem against RAM).
 */
export function ramBytes(hardware: Pick<Hardware, 'nodes' | 'memory' | 'cmdline' | 'facts'>, boot: Pick<BootDefaults, 'memory'>): number {
  const nodes = (hardware.nodes ?? []).reduce<number>((sum, node) => sum + (parseSize(typeof node === 'object' ? node.memory : node) ?? 0), 0);
  const installed = nodes + (hardware.memory === undefined ? 0 : (parseSize(hardware.memory) ?? 0));
  if (installed <= 0) return boot.memory.totalram_pages * boot.memory.pageSize;
  // mem=1G on a 64 GiB machine: the kernel uses 1 GiB, and 1% of RAM is 1% of that
  const mem = parseBootCmdline(hardware.facts?.cmdline ?? hardware.cmdline ?? '').mem;
  return mem !== undefined && mem > 0 && mem < installed ? mem : installed;
}
