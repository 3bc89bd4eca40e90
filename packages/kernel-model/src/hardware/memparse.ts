/** A size parsed the way `memparse()` does it (lib/cmdline.c): the bytes and the unparsed rest of the text. */
export interface MemparseResult {
  readonly bytes: number;
  readonly rest: string;
}

const multipliers: Readonly<Record<string, number>> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };

/**
 * `memparse()` (lib/cmdline.c, all versions): a number in base 0 (`0x` hex, leading-0 octal, else decimal) with an
 * optional K/M/G/T/P/E suffix (binary multiples, any case). Parsing stops at the first character that is not part of
 * the number, which is returned as `rest`; undefined when there is no number at all.
 */
export function memparse(text: string): MemparseResult | undefined {
  const match = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([kKmMgGtTpPeE]?)(.*)$/s.exec(text);
  if (match === null) return undefined;
  const [, digits = '0', suffix = '', rest = ''] = match;
  const value = digits.startsWith('0x') || digits.startsWith('0X') ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : Number(digits);
  return { bytes: value * (multipliers[suffix.toLowerCase()] ?? 1), rest };
}
