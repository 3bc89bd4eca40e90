import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why a small file (a private key, a known_hosts file) was not read. */
export type SmallFileProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-regular'; readonly what: string }
  | { readonly kind: 'too-large'; readonly maxBytes: number }
  | { readonly kind: 'error'; readonly code: string };

export type SmallFileRead = { readonly ok: true; readonly data: Buffer } | { readonly ok: false; readonly problem: SmallFileProblem };

/**
 * Reads a file that must be small and regular (a private key, known_hosts). It is opened without blocking, so a
 * FIFO or a device is refused at once instead of hanging or being read forever, and never more than `maxBytes`
 * (plus one, to tell a file that is too large) is read, whatever the file claims its size is.
 */
export async function readSmallFile(file: string, maxBytes: number): Promise<SmallFileRead> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, problem: code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', code } };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, problem: { kind: 'not-regular', what: fileKind(stat) } };
    if (stat.size > maxBytes) return { ok: false, problem: { kind: 'too-large', maxBytes } };
    let buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size + 1, 4096)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        // the file grew while it was read: grow the buffer, never past the limit
        if (buffer.length > maxBytes) return { ok: false, problem: { kind: 'too-large', maxBytes } };
        const bigger = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(bigger);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return { ok: false, problem: { kind: 'too-large', maxBytes } };
    }
    return { ok: true, data: buffer.subarray(0, length) };
  } catch (e) {
    return { ok: false, problem: { kind: 'error', code: (e as NodeJS.ErrnoException).code ?? 'error' } };
  } finally {
    await handle.close();
  }
}

/** The problem in words, for an error message: `is a FIFO, not a regular file`. */
export function describeSmallFileProblem(problem: SmallFileProblem): string {
  switch (problem.kind) {
    case 'missing':
      return 'does not exist';
    case 'not-regular':
      return `is a ${problem.what}, not a regular file`;
    case 'too-large':
      return `is larger than ${problem.maxBytes} bytes`;
    case 'error':
      return `cannot be read (${problem.code})`;
  }
}

function fileKind(stat: import('node:fs').Stats): string {
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  if (stat.isSocket()) return 'socket';
  if (stat.isDirectory()) return 'folder';
  return 'special file';
}
