/** Control characters (C0, DEL, C1) and the line and bidi controls that reorder or break a terminal line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const named: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/**
 * Text from a file or a host (a host name of a saved plan, a kernel release, a sysctl.d file's name, a message that
 * quotes one) made safe to print for a person as one line: every control character is shown escaped (`\n`, `\e`,
 * `\x07`, `\u202e`), so that it can neither start a new line that looks like tcpmem's own output nor drive the
 * terminal (move the cursor, clear the screen, set the title, hide text).
 */
export function printable(text: string): string {
  return text.replace(controls, (c) => named[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
