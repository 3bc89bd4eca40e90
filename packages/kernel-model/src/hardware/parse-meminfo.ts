/**
 * Parses /proc/meminfo or /sys/devices/system/node/nodeN/meminfo into `name → value` (kB for sizes, plain counts
 * for HugePages_*). The `Node N ` prefix of node files is dropped.
 */
export function parseMeminfo(text: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(?:Node\s+\d+\s+)?([^:\s]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (match?.[1] !== undefined) values[match[1]] = Number(match[2]);
  }
  return values;
}
