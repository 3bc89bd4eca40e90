/**
 * Freezes a plain-data value and everything it holds (arrays and objects), and returns it. Memoized results are
 * shared by every caller that asks for the same inputs, so they are frozen: a caller that writes to one gets a
 * TypeError instead of silently changing the answer for the next machine.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
