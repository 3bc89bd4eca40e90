import fs from 'node:fs';
import path from 'node:path';
import { externalError } from '../errors/errors';

/** Writes made by this process so far: each gets a temporary file of its own, even two at once to one file. */
let writes = 0;

/** The temporary file a write to `file` goes through: beside it, hidden, named by this process and the write. */
function temporaryFor(file: string): string {
  writes += 1;
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${writes}.tmp`);
}

function writeError(file: string, error: unknown): Error {
  return externalError('TCPMEM_WRITE', `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'Check that the folder exists and is writable.');
}

/**
 * Writes a file all at once: a temporary file beside it, fsync, rename. A reader sees the old or the new file.
 * The content is a string, or pieces written in turn (a document too big for one string).
 */
export function writeFileAtomic(file: string, text: string | Iterable<string>): void {
  const tmp = temporaryFor(file);
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
    throw writeError(file, error);
  }
}

/**
 * `writeFileAtomic` for a string, off the event loop: the open, write, fsync and rename run on libuv's threads.
 * For a command that writes while it talks to hosts (`tcpmem discover`, one file a host): an fsync takes
 * milliseconds on a cloud disk, and a synchronous one stops every connection's traffic meanwhile.
 */
export async function writeFileAtomicAsync(file: string, text: string): Promise<void> {
  const tmp = temporaryFor(file);
  try {
    const handle = await fs.promises.open(tmp, 'w', 0o644);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (error) {
    await fs.promises.rm(tmp, { force: true });
    throw writeError(file, error);
  }
}
