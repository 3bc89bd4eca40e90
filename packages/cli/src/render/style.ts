/**
 * Terminal colours, off when NO_COLOR is set (https://no-color.org), when --no-color is given, or when the
 * stream is not a terminal.
 */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** The SGR parameters the styles write (`ESC [ N m`): bold, dim, their end, red, green, yellow, cyan, their end. */
export const styleCodes: readonly number[] = [1, 2, 22, 31, 32, 33, 36, 39];

const plain: Style = { bold: (t) => t, dim: (t) => t, red: (t) => t, green: (t) => t, yellow: (t) => t, cyan: (t) => t };
const ansi: Style = { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };

/** Chooses a style for a stream. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): Style {
  const noColor = noColorFlag || (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') || env['TERM'] === 'dumb';
  return !noColor && stream.isTTY === true ? ansi : plain;
}
