import { printable } from '@tcpmem/schema';
import { styleCodes } from './style';

/** Our own colours (`styleCodes`), or one control character (C0 but LF, DEL, C1, line and bidi controls). */
const controlOrStyle = new RegExp(`\\u001b\\[(?:${styleCodes.join('|')})m|[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]`, 'gu');

/**
 * Text for a person's terminal, as the last step before it is written: its lines and tcpmem's own colours stay,
 * and every other control character is shown escaped as `printable` shows it. Renderers make each value from a
 * file or a host `printable` where they put it in (so no value starts a line of its own); this is the guard for
 * any they miss: whatever a config, a facts file, a saved plan or a host says, it cannot move the cursor, clear
 * the screen, rewrite a line of the plan, set the terminal's title or clipboard, or reorder text (bidi).
 */
export function terminalSafe(text: string): string {
  return text.replace(controlOrStyle, (match) => (match.length > 1 ? match : printable(match)));
}
