import type { Hardware } from '@tcpmem/schema';
import { parseSize } from '../hardware/parse-size';
import type { BootDefaults } from './compute-boot-defaults';

/**
 * The RAM of a host in bytes, as its owner states it: the memory of its NUMA nodes plus `memory`; when neither is
 * given (a host described by captured /proc files), the kernel's totalram_pages × page size from the model.
 * The size `tcpmem model` shows and the planner compares byte-sized sysctls with.
 */
export function ramBytes(hardware: Pick<Hardware, 'nodes' | 'memory'>, boot: Pick<BootDefaults, 'memory'>): number {
  const nodes = (hardware.nodes ?? []).reduce<number>((sum, node) => sum + (parseSize(typeof node === 'object' ? node.memory : node) ?? 0), 0);
  const installed = nodes + (hardware.memory === undefined ? 0 : (parseSize(hardware.memory) ?? 0));
  return installed > 0 ? installed : boot.memory.totalram_pages * boot.memory.pageSize;
}
