import fs from 'node:fs';
import path from 'node:path';
import { problem, type Problem } from '@tcpmem/schema';

const configExtensions = new Set(['.yaml', '.yml', '.json']);

/** Where a config repo ends: files found, included or named as facts must resolve inside `root`, unless allowed. */
export interface ConfigRoot {
  /** The real path (symlinks resolved) of the config repo's folder. */
  readonly root: string;
  /** `--allow-outside-root`: follow includes, facts and symlinks that lead out of the root. */
  readonly allowOutside: boolean;
}

/** The config root of a path given on the command line: the folder itself, or the folder of the file. */
export function configRootOf(target: string, allowOutside = false): ConfigRoot {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new ConfigPathError(target, `${target}: no such file or folder`, 'Check the path; it is read relative to the current folder.');
  }
  const folder = stat.isDirectory() ? target : path.dirname(target);
  return { root: fs.realpathSync(folder), allowOutside };
}

/** Whether `file` (resolved through every symlink) lies inside the config root. */
export function insideRoot(root: ConfigRoot, file: string): boolean {
  if (root.allowOutside) return true;
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return true; // a path that does not resolve is reported by whoever reads it
  }
  const relative = path.relative(root.root, real);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The problem for a path that leads out of the config root. */
export function outsideRootProblem(what: string, at: { file: string; path?: string }, root: ConfigRoot): Problem {
  return problem('TCPMEM_PATH_OUTSIDE_ROOT', `${what} leads outside the config repo (${root.root}); it is not read`, {
    ...at,
    hint: 'Keep config and facts files inside the config repo, or pass --allow-outside-root if you mean to read files from elsewhere.',
  });
}

/** The config files at a path, and the entries of a folder that were not used, as problems. */
export interface ConfigFiles {
  readonly files: string[];
  readonly problems: Problem[];
  /** The path was a folder: its files were found by walking it, not named (a walk skips what is not tcpmem's). */
  readonly walked: boolean;
}

/**
 * The config files at a path: the file itself, or every `.yaml`, `.yml` and `.json` file below a folder (hidden
 * entries and node_modules skipped), sorted so that every run reads them in the same order. Symlinks are followed
 * when they resolve inside the config root; one that leads out of it, or nowhere, is a problem, never skipped
 * silently. Throws a `ConfigPathError` when the path does not exist or a folder holds no config file (unless
 * `allowEmpty`: a facts folder before the first `tcpmem discover`, or holding only a `.gitkeep`, has no facts yet).
 */
export function findConfigFiles(target: string, root: ConfigRoot = configRootOf(target), options: { readonly allowEmpty?: boolean } = {}): ConfigFiles {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new ConfigPathError(target, `${target}: no such file or folder`, 'Check the path; it is read relative to the current folder.');
  }
  if (stat.isFile()) return { files: [target], problems: [], walked: false };
  if (!stat.isDirectory()) throw new ConfigPathError(target, `${target} is neither a file nor a folder`, 'Point tcpmem at a config file or a folder of them.');
  const files: string[] = [];
  const problems: Problem[] = [];
  const reals = new Map<string, string>();
  try {
    walk(target, { files, reals }, problems, root, new Set());
  } catch (error) {
    throw new ConfigPathError(target, `${target}: a folder cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'Check that tcpmem may read every folder below it.');
  }
  if (files.length === 0 && problems.length === 0 && options.allowEmpty !== true) {
    throw new ConfigPathError(target, `${target}: no .yaml, .yml or .json file in this folder`, 'Point tcpmem at a config file or a folder of them.');
  }
  // A file reached twice (a link to a file that is also found by its own path) is read once.
  const byRealPath = new Map<string, string>();
  for (const file of files.sort()) {
    const real = reals.get(file) ?? fs.realpathSync(file);
    if (!byRealPath.has(real)) byRealPath.set(real, file);
  }
  return { files: [...byRealPath.values()], problems, walked: true };
}

/**
 * What a walk finds: the files, and the real path of those it knows without asking again (a file that is no
 * symlink, in a folder whose real path the walk resolved, is that folder's real path and its name). A folder of
 * thousands of facts files is then resolved once, not once per file (each `realpathSync` is an lstat per part).
 */
interface Walked {
  readonly files: string[];
  readonly reals: Map<string, string>;
}

function walk(dir: string, out: Walked, problems: Problem[], root: ConfigRoot, seen: Set<string>): void {
  const real = fs.realpathSync(dir);
  if (seen.has(real)) return; // a link back to a folder already walked
  seen.add(real);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      followLink(full, out, problems, root, seen);
      continue;
    }
    if (entry.isDirectory()) walk(full, out, problems, root, seen);
    else if (!configExtensions.has(path.extname(entry.name))) continue;
    else if (entry.isFile()) {
      out.files.push(full);
      out.reals.set(full, path.join(real, entry.name));
    } else problems.push(notRegularProblem(full));
  }
}

/**
 * A config file's name on what is no regular file (a FIFO, a socket, a device): never opened, reported as when
 * it is named (read-sources.ts), so that a host whose facts file it is is not planned as if it had none.
 */
function notRegularProblem(file: string): Problem {
  return problem('TCPMEM_FILE_UNREADABLE', `${file} is not a regular file`, { file, line: 1, column: 1, hint: 'Config and facts files are regular files; check the path.' });
}

function followLink(link: string, out: Walked, problems: Problem[], root: ConfigRoot, seen: Set<string>): void {
  const at = { file: link, line: 1, column: 1 };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(link);
  } catch {
    if (configExtensions.has(path.extname(link))) {
      problems.push(problem('TCPMEM_FILE_UNREADABLE', `${link} is a symlink that leads nowhere`, { ...at, hint: 'Fix or remove the link.' }));
    }
    return;
  }
  if (!stat.isDirectory() && !configExtensions.has(path.extname(link))) return;
  if (!stat.isDirectory() && !stat.isFile()) {
    problems.push(notRegularProblem(link));
    return;
  }
  if (!insideRoot(root, link)) {
    problems.push(outsideRootProblem(`the symlink ${link}`, at, root));
    return;
  }
  if (stat.isFile()) {
    out.files.push(link);
    return;
  }
  walk(link, out, problems, root, seen);
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
