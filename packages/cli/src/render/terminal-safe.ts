import { printable } from '@tcpmem/schema';
import { styleCodes } from './style';

/** Line ends and tcpmem's own colours (`styleCodes`): what a person's terminal is meant to get as it is. */
// eslint-disable-next-line no-control-regex -- tcpmem's own escape sequences are the point
const lineEndOrStyle = new RegExp(`(\\n|\\u001b\\[(?:${styleCodes.join('|')})m)`, 'u');

/**
 * Text for a person's terminal, as the last step before it is written: its lines and tcpmem's own colours stay,
 * and everything between them is `printable` (every other control character shown escaped). Renderers make each
 * value from a file or a host `printable` where they put it in (so no value starts a line of its own); this is the
 * guard for any they miss: whatever a config, a facts file, a saved plan or a host says, it cannot move the cursor,
 * clear the screen, rewrite a line of the plan, set the terminal's title or clipboard, or reorder text (bidi).
 */
export function terminalSafe(text: string): string {
  // split with a capturing group: the line ends and colours are at the odd places
  return text
    .split(lineEndOrStyle)
    .map((piece, i) => (i % 2 === 1 ? piece : printable(piece)))
    .join('');
}
