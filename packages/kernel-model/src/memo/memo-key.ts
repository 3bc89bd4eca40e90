/**
 * The memo key of plain data (objects, arrays, strings, numbers, booleans, undefined): its JSON, which is exact for
 * inputs built by one function (their properties always come in the same order). JSON writes NaN and ±Infinity as
 * null, so when a null shows up the key is made again with those numbers spelled out (rare: it costs a replacer).
 */
export function memoKey(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes('null')) return json;
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' && !Number.isFinite(item) ? String(item) : item));
}
