/**
 * The kernel's number reader for sysctl writes, after proc_get_long() and proc_skip_spaces() in kernel/sysctl.c
 * (the same in 3.10 and 7.1 apart from overflow): an optional `-`, then a number in base 0 (`0x…` hex, `0…`
 * octal, else decimal), which must be followed by a space, tab or newline or the end of the input; at most 21
 * characters (TMPBUFLEN - 1) including the sign.
 */

export const ULONG_MAX = (1n << 64n) - 1n;
const TMPBUFLEN = 22;

/** Why a number could not be read. */
export type GetLongFailure = 'end-of-input' | 'not-a-number' | 'too-long' | 'above-ulong';

export type GetLongResult =
  | { readonly ok: true; readonly value: bigint; readonly negative: boolean; readonly length: number }
  | { readonly ok: false; readonly failure: GetLongFailure };

/** isspace() of the kernel's ctype for ASCII: space, \t, \n, \v, \f, \r. */
export function isKernelSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** proc_skip_spaces(): the index of the first non-space character at or after `start`, at most `end`. */
export function skipSpaces(text: string, start: number, end: number): number {
  let p = start;
  while (p < end && isKernelSpace(text[p])) p++;
  return p;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isXDigit = (c: string | undefined): boolean => isDigit(c) || (c !== undefined && /^[a-fA-F]$/.test(c));

/** _parse_integer()'s digit value, or undefined for a character that ends the number. */
function digitValue(c: string | undefined): bigint | undefined {
  if (c === undefined) return undefined;
  if (isDigit(c)) return BigInt(c.charCodeAt(0) - 48);
  const lower = c.toLowerCase();
  if (lower >= 'a' && lower <= 'f' && lower.length === 1) return BigInt(lower.charCodeAt(0) - 87);
  return undefined;
}

/**
 * proc_get_long() on `text[start, end)`. With `overflowCheck` (strtoul_lenient(), 5.3+) a number above ULONG_MAX
 * fails; without it (simple_strtoul()) it wraps modulo 2^64.
 */
export function procGetLong(text: string, start: number, end: number, overflowCheck: boolean): GetLongResult {
  const size = end - start;
  if (size <= 0) return { ok: false, failure: 'end-of-input' };
  const tmp = text.slice(start, start + Math.min(size, TMPBUFLEN - 1));
  let p = 0;
  let negative = false;
  if (tmp[0] === '-' && size > 1) {
    negative = true;
    p = 1;
  }
  if (!isDigit(tmp[p])) return { ok: false, failure: 'not-a-number' };
  // _parse_integer_fixup_radix() with base 0.
  let base = 10n;
  if (tmp[p] === '0') {
    if (tmp[p + 1]?.toLowerCase() === 'x' && isXDigit(tmp[p + 2])) {
      base = 16n;
      p += 2;
    } else {
      base = 8n;
    }
  }
  let value = 0n;
  let overflow = false;
  for (;;) {
    const digit = digitValue(tmp[p]);
    if (digit === undefined || digit >= base) break;
    const next = value * base + digit;
    if (next > ULONG_MAX) overflow = true;
    value = next & ULONG_MAX;
    p++;
  }
  if (overflow && overflowCheck) return { ok: false, failure: 'above-ulong' };
  if (p === TMPBUFLEN - 1) return { ok: false, failure: 'too-long' };
  const after = text[start + p];
  if (p < size && after !== ' ' && after !== '\t' && after !== '\n') return { ok: false, failure: 'not-a-number' };
  return { ok: true, value, negative, length: p };
}
