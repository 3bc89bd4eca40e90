import { getSysctl } from './registry';
import type { CType, SysctlName } from './sysctl-definition';

/** A sysctl's value as read from /proc/sys or `sysctl -n`, or why the text is not one. */
export type SysctlTextResult =
  | { readonly ok: true; readonly values: readonly bigint[] }
  | { readonly ok: false; readonly code: 'TCPMEM_SYSCTL_TEXT'; readonly message: string };

const RANGES: Record<CType, readonly [bigint, bigint]> = {
  int: [-(1n << 31n), (1n << 31n) - 1n],
  'unsigned int': [0n, (1n << 32n) - 1n],
  'unsigned long': [0n, (1n << 64n) - 1n],
};

/**
 * Parses what the kernel prints for a sysctl (`4096\t131072\t6291456\n`): decimal integers separated by any
 * whitespace, exactly as many as the sysctl has elements, each within its C type. Whitespace never matters, so
 * two texts of the same values compare equal once parsed.
 */
export function parseSysctlText(name: SysctlName, text: string): SysctlTextResult {
  const definition = getSysctl(name);
  const tokens = text.trim() === '' ? [] : text.trim().split(/\s+/);
  const fail = (message: string): SysctlTextResult => ({ ok: false, code: 'TCPMEM_SYSCTL_TEXT', message: `${name}: ${message}` });
  if (tokens.length !== definition.fields.length) {
    return fail(`expected ${definition.fields.length} number(s) (${definition.fields.join(', ')}), got ${tokens.length} in ${JSON.stringify(text)}`);
  }
  const [low, high] = RANGES[definition.cType];
  const values: bigint[] = [];
  for (const token of tokens) {
    if (!/^-?\d+$/.test(token)) return fail(`${JSON.stringify(token)} is not a decimal integer`);
    const value = BigInt(token);
    if (value < low || value > high) return fail(`${token} is outside ${definition.cType} (${low.toString()} … ${high.toString()})`);
    values.push(value);
  }
  return { ok: true, values };
}

/** The text the kernel prints for these values, without the trailing newline: tab-separated decimal integers. */
export function formatSysctlText(name: SysctlName, values: readonly (bigint | number)[]): string {
  const definition = getSysctl(name);
  if (values.length !== definition.fields.length) {
    throw new RangeError(`${name} has ${definition.fields.length} element(s), got ${values.length} value(s)`);
  }
  return values
    .map((v) => {
      if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new RangeError(`${name}: ${String(v)} is not a safe integer (pass a bigint)`);
      return BigInt(v).toString();
    })
    .join('\t');
}

const exact = (v: bigint | number): bigint | undefined => (typeof v === 'bigint' ? v : Number.isSafeInteger(v) ? BigInt(v) : undefined);

/** True when two value lists are the same integers, whatever their types. */
export function sameSysctlValues(a: readonly (bigint | number)[], b: readonly (bigint | number)[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      const ex = exact(x);
      return y !== undefined && ex !== undefined && ex === exact(y);
    })
  );
}
