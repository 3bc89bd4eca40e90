import fs from 'node:fs';
import path from 'node:path';

const configExtensions = new Set(['.yaml', '.yml', '.json']);

/**
 * The config files at a path: the file itself, or every `.yaml`, `.yml` and `.json` file below a folder (hidden
 * entries and node_modules skipped), sorted so that every run reads them in the same order. Throws a
 * `ConfigPathError` when the path does not exist or a folder holds no config file.
 */
export function findConfigFiles(target: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new ConfigPathError(target, `${target}: no such file or folder`, 'Check the path; it is read relative to the current folder.');
  }
  if (stat.isFile()) return [target];
  if (!stat.isDirectory()) throw new ConfigPathError(target, `${target} is neither a file nor a folder`, 'Point tcpmem at a config file or a folder of them.');
  const files: string[] = [];
  try {
    walk(target, files);
  } catch (error) {
    throw new ConfigPathError(target, `${target}: a folder cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'Check that tcpmem may read every folder below it.');
  }
  if (files.length === 0) {
    throw new ConfigPathError(target, `${target}: no .yaml, .yml or .json file in this folder`, 'Point tcpmem at a config file or a folder of them.');
  }
  return files.sort();
}

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && configExtensions.has(path.extname(entry.name))) out.push(full);
  }
}

/** A config path that cannot be read at all (as opposed to a file with problems in it). */
export class ConfigPathError extends Error {
  constructor(
    readonly target: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ConfigPathError';
  }
}
