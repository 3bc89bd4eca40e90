import type { Size } from '@tcpmem/schema';

const units: Readonly<Record<string, number>> = {
  '': 1,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  kB: 1000,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  TB: 1000 ** 4,
};

const sizePattern = /^([0-9]+(?:\.[0-9]+)?)\s*(B|[KMGT]iB|[kKMGT]B)?$/;

/**
 * Bytes in a schema `Size`: an integer number of bytes or a string with a binary (`8GiB`) or decimal (`8GB`) unit.
 * Fractions are rounded down to whole bytes. Returns undefined for text the schema would reject.
 */
export function parseSize(size: Size): number | undefined {
  if (typeof size === 'number') return Number.isInteger(size) && size >= 0 ? size : undefined;
  const match = sizePattern.exec(size.trim());
  if (match === null) return undefined;
  const [, amount = '0', unit = ''] = match;
  const factor = units[unit];
  return factor === undefined ? undefined : Math.floor(Number(amount) * factor);
}
