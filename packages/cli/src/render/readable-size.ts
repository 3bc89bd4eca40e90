const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Sizes for people beside a value in pages or bytes: `367/490/734 MiB` (one unit when the fields share it),
 * `4 KiB/128 KiB/6 MiB` otherwise; three significant digits at most. Undefined for counts and for values that are
 * not sizes (a negative number, or nothing).
 */
export function readableSize(values: readonly number[], unit: string, pageSize: number): string | undefined {
  const factor = unit === 'pages' ? pageSize : unit === 'bytes' ? 1 : unit === 'KiB' ? 1024 : undefined;
  if (factor === undefined || values.length === 0 || values.some((v) => !Number.isFinite(v) || v < 0)) return undefined;
  const parts = values.map((v) => scaled(v * factor));
  const shared = parts.every((p) => p.unit === parts[0]!.unit);
  return shared ? `${parts.map((p) => p.text).join('/')} ${parts[0]!.unit}` : parts.map((p) => `${p.text} ${p.unit}`).join('/');
}

function scaled(bytes: number): { text: string; unit: string } {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = Number.isInteger(value) || unit === 0 ? 0 : value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return { text: Number(value.toFixed(digits)).toString(), unit: units[unit]! };
}
