import fs from 'node:fs';
import path from 'node:path';
import { ConfigPathError, configRootOf, insideRoot, outsideRootProblem, readFiles, type ConfigRoot } from '@tcpmem/plan';
import { hasErrors, parseSource, problem, sortProblems, type HostPlan, type Problem, type ValidationReport } from '@tcpmem/schema';
import { userError } from '../errors/errors';
import { loadFleetConfig } from './load-fleet-config';
import { planSelection } from './make-plan';

/** How to validate. */
export interface ValidateOptions {
  /** `--allow-outside-root`: follow includes, facts and symlinks that lead out of the config repo. */
  readonly allowOutsideRoot?: boolean | undefined;
}

/**
 * `tcpmem validate`: the gate `tcpmem plan --offline` runs, without contacting any host, every problem in one
 * run, sorted and located. A path that does not exist is TCPMEM_PATH.
 *
 * - A config repo — a fleet file, or a folder that holds one — is loaded exactly as plan loads it (includes,
 *   facts, the checks between files: unknown groups and presets, duplicates, missing includes) and every host is
 *   planned offline from its facts or the kernel model (values the kernel rejects, triples out of order, what does
 *   not fit the host's memory). A problem found planning hosts is reported once, naming the hosts it is about.
 *   A host with an address but no hardware and no facts cannot be checked offline: a note says so (plan reads it live).
 * - A fleet file that another fleet file near it includes (`include: hosts/`) is checked as part of that fleet:
 *   its own problems and those of the hosts it defines.
 * - A folder that holds no fleet file directly: each other document (hardware, facts, a plan) is checked against
 *   the schema, and each folder below it as above. Files that are no tcpmem document are skipped with a note.
 * - Any other file (hardware, facts, a saved plan): against the schema.
 */
export function validatePath(target: string, options: ValidateOptions = {}): ValidationReport {
  try {
    const root = configRootOf(target, options.allowOutsideRoot === true);
    const result = fs.statSync(target).isDirectory() ? validateFolder(target, root, new Set()) : validateFile(target, options);
    if (result.files.length === 0 && result.problems.length === 0) {
      throw new ConfigPathError(target, `${target}: no .yaml, .yml or .json file in this folder`, 'Point tcpmem at a config file or a folder of them.');
    }
    const skipped = result.problems.find((p) => p.code === 'TCPMEM_NOT_TCPMEM');
    if (result.files.length === 0 && skipped?.file !== undefined) {
      // As plan says of such a folder: nothing here is tcpmem's (a fleet file that lost its `kind`?).
      result.problems.push(problem('TCPMEM_NO_FLEET', 'no tcpmem document was found: every file was skipped as no tcpmem document', { file: skipped.file, line: 1, column: 1, hint: 'Validate a config file or a folder that holds some.' }));
    }
    return { valid: !hasErrors(result.problems), files: result.files, problems: sortProblems(result.problems) };
  } catch (error) {
    if (error instanceof ConfigPathError) throw userError('TCPMEM_PATH', error.message, error.hint);
    throw error;
  }
}

interface Checked {
  readonly files: string[];
  readonly problems: Problem[];
}

const configExtensions = new Set(['.yaml', '.yml', '.json']);
/** How many folders above a fleet file are searched for the fleet file that includes it. */
const enclosingLevels = 3;

function validateFile(file: string, options: ValidateOptions): Checked {
  const read = readFiles([file]);
  const source = read.sources[0];
  if (source === undefined || source.value.kind !== 'fleet') return { files: read.files, problems: read.problems };
  const enclosing = enclosingFleet(file, options);
  if (enclosing === undefined) return checkConfig(file, options);
  // Checked as part of the fleet that includes it: this file's problems and its hosts'; all of them when the
  // fleet cannot be loaded (then its hosts could not be checked, and the reason is elsewhere).
  const whole = checkConfig(enclosing, options, file);
  const own = path.resolve(file);
  const problems = whole.loaded ? whole.problems.filter((p) => whole.hostProblems.has(p) || (p.file !== undefined && path.resolve(p.file) === own)) : whole.problems;
  return { files: [file], problems };
}

/** A folder: a config repo when it holds a fleet file itself; else its other documents one by one, and its folders. */
function validateFolder(dir: string, root: ConfigRoot, seen: Set<string>): Checked {
  const real = fs.realpathSync(dir);
  if (seen.has(real)) return { files: [], problems: [] }; // a link back to a folder already checked
  seen.add(real);
  const files: string[] = [];
  const folders: string[] = [];
  const problems: Problem[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    const isConfig = configExtensions.has(path.extname(entry.name));
    if (entry.isSymbolicLink()) {
      const target = statOrUndefined(full);
      if (target === undefined || !(target.isDirectory() || isConfig)) {
        if (isConfig) files.push(full); // a link that leads nowhere: reading it says so
        continue;
      }
      if (!insideRoot(root, full)) {
        problems.push({ ...outsideRootProblem(`the symlink ${full}`, { file: full }, root), line: 1, column: 1 });
        continue;
      }
      if (target.isDirectory()) folders.push(full);
      else files.push(full);
    } else if (entry.isDirectory()) folders.push(full);
    else if (entry.isFile() && isConfig) files.push(full);
  }
  if (files.some(isFleetFile)) {
    const checked = checkConfig(dir, { allowOutsideRoot: root.allowOutside });
    return { files: checked.files, problems: checked.problems };
  }
  const read = readFiles(files, { walked: true });
  const result: Checked = { files: [...read.files], problems: [...problems, ...read.problems] };
  for (const folder of folders) {
    const below = validateFolder(folder, root, seen);
    result.files.push(...below.files);
    result.problems.push(...below.problems);
  }
  return result;
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** Whether a file says it is a fleet file (`kind: fleet`), whether or not it is a valid one. */
function isFleetFile(file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  const parsed = parseSource(file, text);
  return parsed.ok && typeof parsed.document.value === 'object' && parsed.document.value !== null && (parsed.document.value as { kind?: unknown }).kind === 'fleet';
}

/**
 * The fleet file that includes this one, in its folder or up to three above — never above the folder tcpmem runs
 * in (the config repo, as `tcpmem validate hosts/web.yaml` is run from it) nor past a folder holding `.git`; a file
 * outside the working folder is looked for in its own folder only, so that validating /tmp/x/fleet.yaml never
 * reads whatever else lies in /tmp: the first that lists it, directly or through a folder, among the files it loads.
 */
function enclosingFleet(file: string, options: ValidateOptions): string | undefined {
  const own = path.resolve(file);
  let dir = path.dirname(own);
  const cwd = process.cwd();
  const underCwd = (d: string): boolean => {
    const relative = path.relative(cwd, d);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  const levels = underCwd(dir) ? enclosingLevels : 0;
  for (let level = 0; level <= levels; level += 1) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    const candidates = entries
      .filter((e) => e.isFile() && !e.name.startsWith('.') && configExtensions.has(path.extname(e.name)))
      .map((e) => path.join(dir, e.name))
      .filter((f) => f !== own && includesSomething(f))
      .sort();
    for (const candidate of candidates) {
      // Named as the file was (absolute, or relative to the current folder), so problems are located alike.
      const named = path.isAbsolute(file) ? candidate : path.relative(process.cwd(), candidate);
      const load = loadFleetConfig(named, { allowOutsideRoot: options.allowOutsideRoot === true });
      if ((load.files ?? []).some((f) => path.resolve(f) === own)) return named;
    }
    if (entries.some((e) => e.name === '.git') || path.dirname(dir) === dir || path.resolve(dir) === cwd) return undefined;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** Whether a file is a fleet file with an `include` (only those can pull in another file). */
function includesSomething(file: string): boolean {
  if (!isFleetFile(file)) return false;
  const parsed = parseSource(file, fs.readFileSync(file, 'utf8'));
  return parsed.ok && Array.isArray((parsed.document.value as { include?: unknown }).include);
}

interface ConfigCheck extends Checked {
  /** The fleet loaded (so its hosts were planned). */
  readonly loaded: boolean;
  /** The problems found planning hosts, as reported. */
  readonly hostProblems: ReadonlySet<Problem>;
}

/**
 * The offline plan's gate over one config repo: load it as `tcpmem plan` does, then plan every host offline. With
 * `onlyHostsOf`, only the hosts defined in that file are planned.
 */
function checkConfig(configPath: string, options: ValidateOptions, onlyHostsOf?: string): ConfigCheck {
  const load = loadFleetConfig(configPath, { allowOutsideRoot: options.allowOutsideRoot === true });
  if (!load.ok) {
    if (load.pathError !== undefined) throw load.pathError;
    return { files: [...(load.files ?? [])], problems: [...load.problems], loaded: false, hostProblems: new Set() };
  }
  const own = onlyHostsOf === undefined ? undefined : path.resolve(onlyHostsOf);
  const indexes = load.fleet.hosts.flatMap((host, index) => (own === undefined || path.resolve(host.origin.file) === own ? [index] : []));
  const { plan } = planSelection(configPath, { fleet: load.fleet, indexes, loadProblems: [...load.warnings], documents: load.documents }, 'offline', new Map(), { tcpmemVersion: 'validate', digest: undefined });
  const hostProblems = problemsByHost(plan.hosts);
  return { files: [...load.files], problems: [...load.warnings, ...hostProblems], loaded: true, hostProblems: new Set(hostProblems) };
}

/**
 * The problems of planned hosts, each once: a problem several hosts share (a group's value out of order on every
 * host of the group) names them, as `(hosts cache-1, cache-2)`. A host that could not be checked offline only
 * because it has an address and no hardware nor facts gets a note instead of TCPMEM_NO_HARDWARE's error.
 */
function problemsByHost(hosts: readonly HostPlan[]): Problem[] {
  const byText = new Map<string, { problem: Problem; hosts: string[] }>();
  for (const host of hosts) {
    for (const found of host.problems) {
      const p: Problem =
        found.code === 'TCPMEM_NO_HARDWARE' && host.address !== undefined
          ? { ...found, severity: 'note', message: `${found.message}, so it is not checked offline; \`tcpmem plan\` reads it live`, hint: 'Give it a `hardware` block or run `tcpmem discover` to check it without contacting it.' }
          : found;
      const key = JSON.stringify([p.code, p.severity, p.message, p.file, p.line, p.column, p.path, p.hint]);
      const entry = byText.get(key);
      if (entry === undefined) byText.set(key, { problem: p, hosts: [host.name] });
      else entry.hosts.push(host.name);
    }
  }
  return [...byText.values()].map(({ problem, hosts: names }) => {
    if (names.length === 1 && problem.message.includes(names[0]!)) return problem;
    return { ...problem, message: `${problem.message} (${hostList(names)})` };
  });
}

/** `host web-1`, `hosts web-1, web-2`, or the first five and how many more. */
function hostList(names: readonly string[]): string {
  if (names.length === 1) return `host ${names[0]!}`;
  const shown = names.slice(0, 5).join(', ');
  return `${names.length} hosts: ${shown}${names.length > 5 ? `, and ${names.length - 5} more` : ''}`;
}
