/** One meminfo line: `NAME: N`, `NAME: N kB`, or with the `Node N ` prefix of node files. */
const meminfoLine = /^(?:Node\s+\d+\s+)?([^:\s]+):\s+(\d+)(?:\s+kB)?\s*$/;

/**
 * Parses /proc/meminfo or /sys/devices/system/node/nodeN/meminfo into `name → value` (kB for sizes, plain counts
 * for HugePages_*). The `Node N ` prefix of node files is dropped; of a name given twice, the last line counts.
 */
export function parseMeminfo(text: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = meminfoLine.exec(line);
    if (match?.[1] !== undefined) values[match[1]] = Number(match[2]);
  }
  return values;
}

/**
 * `parseMeminfo(text)[name]`, reading only the lines that hold `NAME:` (found with indexOf) instead of every line:
 * what the model reads of a meminfo file is MemTotal alone.
 */
export function meminfoValue(text: string, name: string): number | undefined {
  const needle = `${name}:`;
  let value: number | undefined;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const end = text.indexOf('\n', at);
    const match = meminfoLine.exec(text.slice(text.lastIndexOf('\n', at) + 1, end < 0 ? text.length : end));
    if (match?.[1] === name) value = Number(match[2]);
  }
  return value;
}
