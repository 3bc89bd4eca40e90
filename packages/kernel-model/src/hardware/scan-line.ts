// Helpers for reading a line of a /proc file in place, character by character, as a regex would.

/** Whether a UTF-16 code unit is one a regex's `\s` matches (Unicode WhiteSpace and LineTerminator). */
export function isBlank(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** Where the run of `\s` from `at` ends (at most at `end`). */
export function skipBlanks(text: string, at: number, end: number): number {
  while (at < end && isBlank(text.charCodeAt(at))) at++;
  return at;
}

/** Where the run of ASCII digits (`\d`) from `at` ends (at most at `end`). */
export function skipDigits(text: string, at: number, end: number): number {
  while (at < end) {
    const code = text.charCodeAt(at);
    if (code < 48 || code > 57) break;
    at++;
  }
  return at;
}

/** A number read from a line, and where its digits end. */
export interface NumberAt {
  readonly value: number;
  readonly end: number;
}

/** The value of the digits from `start` to `end`, as `Number` reads them (exactly: by hand up to 15 digits, below 2^53). */
export function digitsValue(text: string, start: number, end: number): number {
  if (end - start > 15) return Number(text.slice(start, end));
  let value = 0;
  for (let at = start; at < end; at++) value = value * 10 + text.charCodeAt(at) - 48;
  return value;
}

/** `\s+(\d+)` from `at`: the number and where its digits end; undefined if that is not what follows. */
export function blanksThenNumber(text: string, at: number, end: number): NumberAt | undefined {
  const digits = skipBlanks(text, at, end);
  const after = skipDigits(text, digits, end);
  return digits === at || after === digits ? undefined : { value: digitsValue(text, digits, after), end: after };
}
