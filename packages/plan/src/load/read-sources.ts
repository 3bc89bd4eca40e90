import fs from 'node:fs';
import { checkParsed, foreignShape, parseSource, problem, type Problem, type SourceDocument, type TcpmemDocument } from '@tcpmem/schema';
import { findConfigFiles } from './find-config-files';
import { utf8Text } from './utf8-text';

/** One file that passed the schema gate. */
export interface LoadedSource {
  readonly file: string;
  readonly document: SourceDocument;
  readonly value: TcpmemDocument;
}

/** Every file at a path, each through the schema gate: what passed, and every problem of what did not. */
export interface SourceSet {
  readonly files: string[];
  readonly sources: LoadedSource[];
  readonly problems: Problem[];
}

/** Largest config file tcpmem reads; a bigger one is almost surely not a config file. */
export const maxConfigFileBytes = 64 * 1024 * 1024;

/** Reads and schema-checks the config files at a path (a file, or a folder of them: see `readFiles`'s `walked`). */
export function readSources(target: string): SourceSet {
  const found = findConfigFiles(target);
  const read = readFiles(found.files, { walked: found.walked });
  return { ...read, problems: [...found.problems, ...read.problems] };
}

/** How files came to be read. */
export interface ReadOptions {
  /**
   * The files were found by walking a folder, not named: one that is not a tcpmem document at all (no `kind`, a
   * foreign `kind`, not a mapping — a package.json, a Pulumi.yaml) is skipped with a note (TCPMEM_NOT_TCPMEM),
   * not an error. A file named on its own is always checked.
   */
  readonly walked?: boolean;
  /** Told each file's bytes as read (the config digest is made from them: load/config-digest.ts). */
  readonly onBytes?: (file: string, bytes: Uint8Array) => void;
}

/** Reads and schema-checks the given files. */
export function readFiles(files: readonly string[], options: ReadOptions = {}): SourceSet {
  const sources: LoadedSource[] = [];
  const problems: Problem[] = [];
  const read: string[] = [];
  for (const file of files) {
    const text = readText(file, problems, options.onBytes, options.walked === true);
    if (text === undefined) {
      read.push(file);
      continue;
    }
    const parsed = parseSource(file, text);
    // A stream of several YAML documents (a Kubernetes manifest) is no tcpmem document, which is one document.
    const stream = !parsed.ok && parsed.problems.length > 0 && parsed.problems.every((p) => p.code === 'TCPMEM_SYNTAX' && p.message.includes('multiple documents'));
    if (!parsed.ok && !(stream && options.walked === true)) {
      read.push(file);
      problems.push(...parsed.problems);
      continue;
    }
    const foreign = !parsed.ok ? 'it holds several YAML documents' : options.walked === true ? foreignShape(parsed.document.value) : undefined;
    if (foreign !== undefined) {
      problems.push(problem('TCPMEM_NOT_TCPMEM', `not a tcpmem document (${foreign}); skipped`, {
        severity: 'note',
        file,
        line: 1,
        column: 1,
        hint: 'A folder may hold other files; tcpmem reads those with a tcpmem `kind`. Name the file on its own to check it as one.',
      }));
      continue;
    }
    read.push(file);
    if (!parsed.ok) continue; // unreachable: a stream that is not walked was reported above
    const checked = checkParsed(parsed.document);
    if (checked.ok) sources.push({ file, document: checked.document, value: checked.value });
    else problems.push(...checked.problems);
  }
  return { files: read, sources, problems };
}

/**
 * The text of a file, or undefined with its problem. `foundRegular`: a folder walk saw it as a regular file; it is
 * then opened at once and checked by the `fstat` of the open file (one path lookup and one stat a file, which a
 * folder of thousands of facts files feels). Any other file is stat'ed before it is opened: a FIFO or a device is
 * never opened. Either way, what is read is a regular file no larger than the limit, with the same problems.
 */
function readText(file: string, problems: Problem[], onBytes: ((file: string, bytes: Uint8Array) => void) | undefined, foundRegular: boolean): string | undefined {
  const at = { file, line: 1, column: 1 };
  try {
    // O_NONBLOCK: should the file have become a FIFO since the walk, opening it does not wait for a writer.
    const fd = foundRegular ? openOrUndefined(file) : undefined;
    let bytes: Uint8Array;
    try {
      const stat = fd === undefined ? fs.statSync(file) : fs.fstatSync(fd);
      // FIFOs and devices report size 0 and may never end: only regular files are read.
      if (!stat.isFile()) {
        problems.push(problem('TCPMEM_FILE_UNREADABLE', `${file} is not a regular file`, { ...at, hint: 'Config and facts files are regular files; check the path.' }));
        return undefined;
      }
      if (stat.size > maxConfigFileBytes) {
        problems.push(problem('TCPMEM_FILE_TOO_LARGE', `${file} is ${stat.size} bytes, over the ${maxConfigFileBytes}-byte limit`, { ...at, hint: 'Split the fleet into files joined with `include`.' }));
        return undefined;
      }
      bytes = (fd === undefined ? undefined : readOpened(fd, stat.size)) ?? fs.readFileSync(file);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    onBytes?.(file, bytes);
    const text = utf8Text(bytes);
    if (text === undefined) {
      problems.push(problem('TCPMEM_FILE_UNREADABLE', `${file} is not UTF-8 text`, { file, ...firstInvalidByte(bytes), hint: 'Config files are UTF-8 YAML or JSON; re-save the file as UTF-8.' }));
      return undefined;
    }
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (error) {
    problems.push(problem('TCPMEM_FILE_UNREADABLE', `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { ...at, hint: 'Check that the file exists and that tcpmem may read it.' }));
    return undefined;
  }
}

/** An open file descriptor for reading, or undefined when it cannot be opened (then `statSync` says why, as before). */
function openOrUndefined(file: string): number | undefined {
  try {
    return fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
}

/**
 * The bytes of an open regular file of `size` bytes, as `readFileSync` reads them: up to `size` (less if the file
 * ended sooner); a file that tells no size is read to its end. Undefined when a read would block (EAGAIN: a
 * mandatory lock, where O_NONBLOCK is honoured for regular files): then the file is read by its path, as before.
 */
function readOpened(fd: number, size: number): Buffer | undefined {
  try {
    if (size === 0) return fs.readFileSync(fd);
    const buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const got = fs.readSync(fd, buffer, read, size - read, null);
      if (got === 0) break;
      read += got;
    }
    return read < size ? buffer.subarray(0, read) : buffer;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return undefined;
    throw error;
  }
}

/** Line and column of the first byte that is not valid UTF-8 (columns count characters before it). */
function firstInvalidByte(bytes: Uint8Array): { line: number; column: number } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection (a prefix cut inside a character is also invalid: step back up to 3).
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    let ok = false;
    for (let cut = mid; cut >= Math.max(low, mid - 3) && !ok; cut -= 1) {
      try {
        decoder.decode(bytes.subarray(0, cut));
        ok = true;
      } catch {
        ok = false;
      }
    }
    if (ok) low = mid;
    else high = mid - 1;
  }
  const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, low));
  const lines = prefix.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}
