import { printable } from './printable';
import { formatProblem, problem } from './problem';

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

describe('formatProblem', () => {
  it('prints a problem that quotes a hostile value as its two lines, every control character escaped', () => {
    const text = formatProblem(
      problem('TCPMEM_KERNEL_RELEASE', '"6.1.0\u001b[2J\nfake line" is not a kernel release', {
        file: 'facts/\u001b]0;x\u0007.json',
        line: 1,
        column: 1,
        path: '/hosts/a\rb',
        hint: 'Write what `uname -r` prints\u202e.',
      }),
    );
    expect(text).toBe('facts/\\e]0;x\\x07.json:1:1: error TCPMEM_KERNEL_RELEASE: "6.1.0\\e[2J\\nfake line" is not a kernel release (at /hosts/a\\rb)\n    hint: Write what `uname -r` prints\\u202e.');
  });
});
