import { styleFor } from './style';
import { terminalSafe } from './terminal-safe';

const colours = styleFor({ isTTY: true }, {}, false);

describe('terminalSafe', () => {
  it('keeps lines and every colour tcpmem writes', () => {
    const text = [colours.bold('Plan:'), colours.green('1 to add'), colours.yellow('~'), colours.red('error'), colours.dim('# note'), colours.cyan('x')].join('\n');
    expect(terminalSafe(text)).toBe(text);
  });

  it.each([
    ['clearing the screen', 'a\u001b[2Jb', 'a\\e[2Jb'],
    ['moving the cursor up to rewrite a line of the plan', 'x\u001b[3A\u001b[Ky', 'x\\e[3A\\e[Ky'],
    ['hiding text (SGR 8, not one of tcpmem colours)', '\u001b[8mhidden\u001b[28m', '\\e[8mhidden\\e[28m'],
    ['setting the title (OSC, BEL-terminated)', '\u001b]0;owned\u0007', '\\e]0;owned\\x07'],
    ['writing the clipboard (OSC 52)', '\u001b]52;c;Y3VybA==\u001b\\', '\\e]52;c;Y3VybA==\\e\\'],
    ['a carriage return that overwrites the line', 'safe\rEVIL', 'safe\\rEVIL'],
    ['a C1 control sequence introducer', 'a\u009b2Jb', 'a\\x9b2Jb'],
    ['a bidi override that reorders the line', 'a\u202eb', 'a\\u202eb'],
    ['a tab and a backspace', 'a\tb\bc', 'a\\tb\\x08c'],
  ])('escapes %s', (_what, text, shown) => {
    expect(terminalSafe(text)).toBe(shown);
  });

  it('escapes a colour code only when it is not whole (no ESC [ 31 without its m)', () => {
    expect(terminalSafe('\u001b[31')).toBe('\\e[31');
    expect(terminalSafe('\u001b[310m')).toBe('\\e[310m');
  });
});
