/**
 * Rates and durations as people write them (`25Gbit`, `1.25GB/s`, `500us`, `2ms`), parsed into the model's units:
 * bytes per second and integer nanoseconds. Decimal prefixes (k, M, G, T) are powers of 1000, binary ones (Ki, Mi,
 * Gi, Ti) powers of 1024. Parsing returns a result instead of throwing; formatting is separate.
 */

/** A parsed value, or why the text is not one. */
export type UnitParseResult =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly code: 'unit-syntax' | 'unit-ambiguous' | 'unit-unknown'; readonly message: string };

const numberAndRest = /^([0-9]+(?:\.[0-9]+)?)\s*(.*)$/;
const prefixes: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};
const bitUnits = new Set(['bit', 'bit/s', 'bits/s', 'b/s']);
const byteUnits = new Set(['B/s', 'byte/s', 'bytes/s']);

/** Parses a rate into bytes per second: `25Gbit`, `25 Gbit/s`, `10Gb/s` (bits), `1.25GB/s`, `100MiB/s` (bytes); a bare number is bytes/s. */
export function parseRate(text: string): UnitParseResult {
  const match = numberAndRest.exec(text.trim());
  if (match === null) {
    return { ok: false, code: 'unit-syntax', message: `"${text}" is not a rate: write a number and a unit, e.g. 25Gbit or 1.25GB/s.` };
  }
  const amount = Number(match[1]);
  const rest = match[2] ?? '';
  if (rest === '') return { ok: true, value: amount };
  if (/^[kKMGT]?i?[bB]ps$/.test(rest)) {
    return {
      ok: false,
      code: 'unit-ambiguous',
      message: `"${text}" is ambiguous (tc reads "bps" as bytes, most people as bits): write ${match[1]}${rest.slice(0, -3)}bit or ${match[1]}${rest.slice(0, -3)}B/s.`,
    };
  }
  const unitMatch = /^(Ki|Mi|Gi|Ti|k|K|M|G|T)?(.*)$/.exec(rest);
  const prefix = unitMatch?.[1] ?? '';
  const unit = unitMatch?.[2] ?? '';
  const scale = prefixes[prefix];
  if (scale === undefined) return unknownRate(text);
  if (bitUnits.has(unit)) return { ok: true, value: (amount * scale) / 8 };
  if (byteUnits.has(unit)) return { ok: true, value: amount * scale };
  return unknownRate(text);
}

function unknownRate(text: string): UnitParseResult {
  return {
    ok: false,
    code: 'unit-unknown',
    message: `"${text}" has an unknown rate unit: use bit, Kbit, Mbit, Gbit (bits per second) or B/s, KB/s, MB/s, GB/s, MiB/s (bytes per second).`,
  };
}

const durationUnits: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9 };

/** Parses a duration into integer nanoseconds: `500us`, `500µs`, `2ms`, `1.5s`, `800ns`. */
export function parseDuration(text: string): UnitParseResult {
  const match = numberAndRest.exec(text.trim());
  const scale = match === null ? undefined : durationUnits[match[2] ?? ''];
  if (match === null || scale === undefined) {
    return {
      ok: false,
      code: match === null ? 'unit-syntax' : 'unit-unknown',
      message: `"${text}" is not a duration: write a number and one of ns, us (µs), ms, s, e.g. 500us.`,
    };
  }
  return { ok: true, value: Math.round(Number(match[1]) * scale) };
}

function trimmed(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function scaled(value: number, units: readonly (readonly [number, string])[]): string {
  for (const [size, name] of units) if (Math.abs(value) >= size) return `${trimmed(value / size)} ${name}`;
  const last = units[units.length - 1];
  return last === undefined ? String(value) : `${trimmed(value / last[0])} ${last[1]}`;
}

/** Formats bytes per second in decimal units with the bit rate beside it: `2.10 GB/s (16.8 Gbit/s)`. */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return 'unlimited';
  const bytes = scaled(bytesPerSecond, [[1e12, 'TB/s'], [1e9, 'GB/s'], [1e6, 'MB/s'], [1e3, 'kB/s'], [1, 'B/s']]);
  const bits = scaled(bytesPerSecond * 8, [[1e12, 'Tbit/s'], [1e9, 'Gbit/s'], [1e6, 'Mbit/s'], [1e3, 'kbit/s'], [1, 'bit/s']]);
  return `${bytes} (${bits})`;
}

/** Formats a byte count: exact binary units when it is a whole number of them (`1 MiB`), else bytes (`262145 B`). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'unlimited';
  for (const [size, name] of [[1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB']] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${name}`;
  }
  return `${Math.round(bytes)} B`;
}

/** Formats integer nanoseconds: `500 µs`, `2 ms`, `1.50 s`. */
export function formatDuration(ns: number): string {
  return scaled(ns, [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']]).replace(/\.0+ /, ' ');
}
