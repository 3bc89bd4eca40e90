import type { Size } from '@tcpmem/schema';

const units: Readonly<Record<string, number>> = {
  '': 1,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  // One letter, as people write sizes and the kernel's memparse() reads them (either case): binary.
  k: 1024,
  K: 1024,
  m: 1024 ** 2,
  M: 1024 ** 2,
  g: 1024 ** 3,
  G: 1024 ** 3,
  t: 1024 ** 4,
  T: 1024 ** 4,
  kB: 1000,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  TB: 1000 ** 4,
};

const sizePattern = /^([0-9]+(?:\.[0-9]+)?)\s*(B|[KMGT]iB|[kKMGT]B|[kKmMgGtT])?$/;

/**
 * Bytes in a schema `Size`: an integer number of bytes or a string with a binary (`8GiB`, or one letter as memparse
 * reads it: `8G`, `16k`) or decimal (`8GB`, `16kB`) unit. Fractions are rounded down to whole bytes. Returns
 * undefined for text the schema would reject.
 */
export function parseSize(size: Size): number | undefined {
  if (typeof size === 'number') return Number.isInteger(size) && size >= 0 ? size : undefined;
  const match = sizePattern.exec(size.trim());
  if (match === null) return undefined;
  const [, amount = '0', unit = ''] = match;
  const factor = units[unit];
  return factor === undefined ? undefined : Math.floor(Number(amount) * factor);
}

/** True when a size is written with a decimal unit (`16kB`, `4MB`): 1000-based where the kernel's sizes are 1024-based. */
export function hasDecimalUnit(size: Size): boolean {
  if (typeof size === 'number') return false;
  const unit = sizePattern.exec(size.trim())?.[2];
  return unit !== undefined && /^[kKMGT]B$/.test(unit);
}
