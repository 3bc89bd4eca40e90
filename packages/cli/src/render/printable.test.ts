import { printable } from './printable';

describe('printable', () => {
  it.each([
    ['a plain host name stays as it is', 'web-1.example.com', 'web-1.example.com'],
    ['a newline is shown as \\n, so it cannot forge a line of output', 'h1\n  ✓ h2  applied', 'h1\\n  ✓ h2  applied'],
    ['a carriage return and a tab are shown escaped', 'a\rb\tc', 'a\\rb\\tc'],
    ['an escape sequence cannot drive the terminal', 'h\u001b[2Jx', 'h\\e[2Jx'],
    ['other C0 and C1 controls and DEL are shown as \\xNN', 'a\u0007b\u009bc\u007f', 'a\\x07b\\x9bc\\x7f'],
    ['bidi overrides and line separators are shown as \\uNNNN', 'a\u202eb\u2028c', 'a\\u202eb\\u2028c'],
    ['letters outside ASCII stay', 'hôte-ü', 'hôte-ü'],
  ])('%s', (_what, text, shown) => {
    expect(printable(text)).toBe(shown);
  });
});
