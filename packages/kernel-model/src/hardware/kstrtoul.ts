/** The result of a kernel integer parse: the value, or the errno the kernel would return. */
export type KernelParse = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: 'EINVAL' | 'ERANGE' };

const maxUnsignedLong = 2n ** 64n - 1n;

/**
 * `kstrtoul(s, 0, &v)` (lib/kstrtox.c, every version): base 0 picks hex after `0x`/`0X` followed by a hex digit,
 * octal after a leading `0`, decimal otherwise; one leading `+` and one trailing newline are accepted; any other
 * character, an empty number or a value above 2^64−1 fails. Values above 2^53 are returned rounded (they only ever
 * meet a `min()` with a smaller cap).
 */
export function kstrtoul(text: string): KernelParse {
  let s = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (s.startsWith('+')) s = s.slice(1);
  let base = 10;
  if (s.length >= 3 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && /[0-9a-fA-F]/.test(s[2] ?? '')) {
    base = 16;
    s = s.slice(2);
  } else if (s.startsWith('0')) {
    base = 8;
  }
  const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(s)) return { ok: false, error: 'EINVAL' };
  let value = 0n;
  for (const ch of s.toLowerCase()) {
    value = value * BigInt(base) + BigInt(parseInt(ch, 16));
    if (value > maxUnsignedLong) return { ok: false, error: 'ERANGE' };
  }
  return { ok: true, value: Number(value) };
}
