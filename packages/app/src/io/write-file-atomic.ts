import fs from 'node:fs';
import path from 'node:path';
import { externalError } from '../errors/errors';

/**
 * Writes a file all at once: a temporary file beside it, fsync, rename. A reader sees the old or the new file.
 * The content is a string, or pieces written in turn (a document too big for one string).
 */
export function writeFileAtomic(file: string, text: string | Iterable<string>): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      if (typeof text === 'string') fs.writeFileSync(fd, text);
      else for (const piece of text) fs.writeFileSync(fd, piece);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw externalError('TCPMEM_WRITE', `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'Check that the folder exists and is writable.');
  }
}
