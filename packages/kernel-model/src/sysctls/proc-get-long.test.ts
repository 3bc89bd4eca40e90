import { procGetLong, skipSpaces } from './proc-get-long';

/** `42`, `-42`, or the failure; with the characters read. */
function read(text: string, overflowCheck = true): string {
  const r = procGetLong(text, 0, text.length, overflowCheck);
  return r.ok ? `${r.negative ? '-' : ''}${r.value.toString()}/${r.length}` : r.failure;
}

describe('proc_get_long() (kernel/sysctl.c)', () => {
  it.each([
    ['4096', '4096/4'],
    ['4096 5', '4096/4'],
    ['4096\t', '4096/4'],
    ['4096\n', '4096/4'],
    ['-5', '-5/2'],
    ['-0', '-0/2'],
    ['0x1000', '4096/6'],
    ['0X1f', '31/4'],
    ['010', '8/3'],
    ['0', '0/1'],
    ['08', 'not-a-number'],
    ['0x', 'not-a-number'],
    ['0xg', 'not-a-number'],
    ['-', 'not-a-number'],
    ['+1', 'not-a-number'],
    [' 1', 'not-a-number'],
    ['1.5', 'not-a-number'],
    ['4096k', 'not-a-number'],
    ['4096,1', 'not-a-number'],
    ['4096\r', 'not-a-number'],
    ['1e21', 'not-a-number'],
    ['18446744073709551615', '18446744073709551615/20'],
    ['18446744073709551616', 'above-ulong'],
    ['000000000000000000001', 'too-long'],
    ['-00000000000000000001', 'too-long'],
    ['', 'end-of-input'],
  ])('reads %j as %s (5.3+ strtoul_lenient)', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  it.each([
    ['18446744073709551616', '0/20'],
    ['18446744073709551617', '1/20'],
    ['99999999999999999999', '7766279631452241919/20'],
  ])('wraps %j modulo 2^64 before 5.3 (simple_strtoul)', (text, expected) => {
    expect(read(text, false)).toBe(expected);
  });

  it('skips the kernel\'s isspace() set: space, \\t, \\n, \\v, \\f, \\r', () => {
    expect(skipSpaces(' \t\n\v\f\rx', 0, 7)).toBe(6);
    expect(skipSpaces('\u00a0x', 0, 2)).toBe(0);
  });
});
