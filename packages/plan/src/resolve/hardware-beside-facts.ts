import type { HardwareFields, HostFacts } from '@tcpmem/schema';

/**
 * A host's hardware block (as layered) less what its facts — discovered, or read live — say themselves: the facts
 * are what the host is, the block is what the config guessed or once knew (a `defaults.hardware` for hosts not yet
 * discovered, a block left from before a RAM upgrade). Memory (`memory`, `nodes`) goes when the facts tell it
 * (zoneinfo or meminfo), and `cpus`, `pageSize` and `cmdline` when the facts have them; the rest (`arch`, `platform`,
 * `initrd`, `usable`, …) stays, as facts do not say it or the model reads the facts' word first. The kernel release
 * is the facts' too (planHost). Without facts, the block as it is.
 */
export function hardwareBesideFacts(hardware: HardwareFields, facts: HostFacts | undefined, factsTellMemory: boolean): HardwareFields {
  if (facts === undefined) return hardware;
  const { memory, nodes, cpus, pageSize, cmdline, ...rest } = hardware;
  const kept: HardwareFields = { ...rest };
  if (!factsTellMemory) {
    if (memory !== undefined) kept.memory = memory;
    if (nodes !== undefined) kept.nodes = nodes;
  }
  if (cpus !== undefined && facts.cpus === undefined) kept.cpus = cpus;
  if (pageSize !== undefined && facts.pageSize === undefined) kept.pageSize = pageSize;
  if (cmdline !== undefined && facts.cmdline === undefined) kept.cmdline = cmdline;
  return kept;
}
