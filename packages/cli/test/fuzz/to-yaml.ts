/**
 * A small block-style YAML writer for the mutated documents (the test has no YAML library of its own). Strings
 * and unusual keys are written as JSON strings, which YAML reads as double-quoted scalars; numbers JSON cannot
 * hold are written in YAML's own spelling (`.inf`, `-.inf`, `.nan`), so a mutation survives the round trip.
 */
export function toYaml(value: unknown): string {
  return `${lines(value, 0).join('\n')}\n`;
}

const plainKey = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const reserved = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', 'True', 'False', 'Null', 'NULL', 'TRUE', 'FALSE']);

function key(name: string): string {
  return plainKey.test(name) && !reserved.has(name) ? name : JSON.stringify(name);
}

/** A value written on one line, or undefined when it needs a block of its own. */
function inline(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (value === Infinity) return '.inf';
    if (value === -Infinity) return '-.inf';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? '{}' : undefined;
  return JSON.stringify(typeof value);
}

/** Appends the lines of a value (no spread: a big fleet has more lines than a call may take arguments). */
function lines(value: unknown, indent: number, out: string[] = []): string[] {
  const pad = ' '.repeat(indent);
  const one = inline(value);
  if (one !== undefined) {
    out.push(`${pad}${one}`);
    return out;
  }
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      const scalar = inline(item);
      if (scalar !== undefined) out.push(`${pad}- ${scalar}`);
      else {
        out.push(`${pad}-`);
        lines(item, indent + 2, out);
      }
    }
    return out;
  }
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    const scalar = inline(item);
    if (scalar !== undefined) out.push(`${pad}${key(name)}: ${scalar}`);
    else {
      out.push(`${pad}${key(name)}:`);
      lines(item, indent + 2, out);
    }
  }
  return out;
}
