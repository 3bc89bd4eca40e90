import fs from 'node:fs';
import path from 'node:path';
import { problem, type FactsDocument, type Group, type Host, type Preset, type Problem, type Settings, type SourceDocument } from '@tcpmem/schema';
import { buildFleetModel } from '../fleet/build-fleet-model';
import { childPointer, type Defined, type FleetModel } from '../fleet/fleet-model';
import { configRootOf, findConfigFiles, insideRoot, outsideRootProblem, type ConfigRoot } from './find-config-files';
import type { FactsInterner } from '../resolve/prepared-facts';
import { DigestWhileReading } from './config-digest';
import { FleetReader, readWorkersFromEnv } from './fleet-reader';
import type { ReadPoolOptions } from './read-pool';
import { readLoaded, type LoadedFile } from './loaded-file';
import type { LoadedSource } from './read-sources';
import { unusedFactsNote } from './unused-facts';

/** A loaded fleet and every problem met while loading it; `fleet` is undefined when a file could not be used. */
export interface FleetLoad {
  readonly fleet: FleetModel | undefined;
  readonly problems: Problem[];
  /** The parsed files, so problems found later can be located (line and column) in them. */
  readonly documents: ReadonlyMap<string, SourceDocument>;
  /** Every file read, in the order read, with or without problems (not those skipped as no tcpmem document). */
  readonly files: readonly string[];
}

export interface LoadFleetOptions {
  /** Read includes, facts files and symlinks that lead out of the config repo's folder (default: refused). */
  readonly allowOutsideRoot?: boolean;
  /**
   * How many worker threads read, parse and prepare files besides this one (0: none): the facts folder's, or
   * without one the config files. Default: `TCPMEM_READ_WORKERS` when set, else one per other core once the files
   * weigh 32 MiB (a YAML byte weighs 64), unless the load average says no core is free (load/fleet-reader.ts).
   * The load is the same whichever thread read what.
   */
  readonly readWorkers?: number;
  /** For tests: the read pool's options (its worker's entry file, how long a silent worker may take). */
  readonly readPool?: ReadPoolOptions;
  /**
   * Make the config digest (`configDigestOf`) from the load's reads (default: true). A plan that is only shown to
   * a person records no digest: hashing every byte of a big facts folder costs a quarter of a second per 10,000 hosts.
   */
  readonly digest?: boolean;
  /**
   * Read facts files (default: true): the `facts/` folder beside a fleet file, those a walked config folder holds
   * in its `facts/` folders, and those hosts name (`facts:`). `tcpmem discover`, which writes them, reads none: a
   * facts file it would write again (cut short, left in conflict by a merge) must not stop it.
   */
  readonly facts?: boolean;
}

/**
 * Loads a fleet from a file or a folder: every config file there, the files and folders they `include`
 * (relative to the including file; cycles are errors), and the facts documents in a `facts/` folder beside a
 * fleet file. Groups, hosts and presets may be spread over files; each name may be defined once, and `defaults`
 * once in the whole fleet. Nothing outside the config repo's folder is read unless `allowOutsideRoot`, and a
 * `facts/` folder holds facts documents only.
 */
export function loadFleet(target: string, options: LoadFleetOptions = {}): FleetLoad {
  const problems: Problem[] = [];
  const documents = new Map<string, SourceDocument>();
  const loaded = new Map<string, LoadedSource>();
  const root = configRootOf(target, options.allowOutsideRoot === true);
  const found = findConfigFiles(target, root);
  const readFacts = options.facts !== false;
  // Files found by walking a folder (not named) skip what is not a tcpmem document, with a note each.
  const roots = found.files.filter((file) => readFacts || !(file.split(path.sep).includes('facts') && inFactsFolder(root, file))).map((file) => ({ file, walked: found.walked }));
  problems.push(...found.problems);
  const factsFrom = roots.length;
  const factsDir = fs.statSync(target).isFile() ? path.join(path.dirname(target), 'facts') : undefined;
  if (readFacts && factsDir !== undefined && fs.existsSync(factsDir)) {
    // A facts folder with no facts in it yet (made before the first discover, or holding only a .gitkeep) is no facts.
    const facts = findConfigFiles(factsDir, root, { allowEmpty: true });
    roots.push(...facts.files.map((file) => ({ file, walked: facts.walked })));
    problems.push(...facts.problems);
  }
  // Every file is read once, however many ways lead to it (a folder walk and an include): its problems are reported once.
  const read = new Set<string>();
  const filesRead: string[] = [];
  const skipped: string[] = [];
  const interner: FactsInterner = new Map();
  const digest = options.digest === false ? undefined : new DigestWhileReading();
  const hasFacts = roots.length > factsFrom;
  const reader = new FleetReader(interner, options.readWorkers ?? readWorkersFromEnv(), options.readPool);

  const visit = (file: string, stack: readonly string[], walked: boolean): void => {
    const key = path.resolve(file);
    if (read.has(key) || stack.includes(key)) return;
    read.add(key);
    const { source, problems: fileProblems, bytes } = reader.read(file, walked);
    if (source !== undefined || fileProblems.some((p) => p.severity !== 'note')) filesRead.push(file);
    else skipped.push(file);
    const inFacts = fileProblems.some((p) => p.severity === 'error') && file.split(path.sep).includes('facts') && inFactsFolder(root, file);
    problems.push(...(inFacts ? fileProblems.map((p) => rewritableFacts(p, file, target)) : fileProblems));
    if (source === undefined) return;
    // Told to read no facts: a facts document found elsewhere than a facts folder (a walked folder's) is left too.
    if (!readFacts && source.value.kind === 'facts') return;
    documents.set(file, source.document);
    if (source.value.kind !== 'facts' && inFactsFolder(root, file)) {
      problems.push(problem('TCPMEM_FACTS_KIND', `${file} is a "${source.value.kind}" document in a facts folder; it is not read`, { file, path: '/kind', hint: 'A facts/ folder holds only `kind: facts` documents written by `tcpmem discover`; move this file out of it.' }));
      return;
    }
    loaded.set(key, source);
    if (source.value.kind === 'facts') digest?.stream(file, bytes ?? new Uint8Array());
    else digest?.hold(file, bytes ?? new Uint8Array());
    if (source.value.kind !== 'fleet') return;
    const includes = source.value.include ?? [];
    includes.forEach((entry, index) => {
      const at = { file, path: childPointer('', 'include', index) };
      const included = path.resolve(path.dirname(file), entry);
      if (!fs.existsSync(included)) {
        problems.push(problem('TCPMEM_INCLUDE_MISSING', `include "${entry}" does not exist (resolved to ${included})`, { ...at, hint: 'Includes are relative to the file that names them.' }));
        return;
      }
      if (!insideRoot(root, included)) {
        problems.push(outsideRootProblem(`include "${entry}"`, at, root));
        return;
      }
      let files: string[];
      let walkedInclude: boolean;
      try {
        const found = findConfigFiles(included, root);
        problems.push(...found.problems);
        files = found.files;
        walkedInclude = found.walked;
      } catch (error) {
        problems.push(problem('TCPMEM_INCLUDE_MISSING', (error as Error).message, { ...at, hint: 'Include a config file or a folder that holds some.' }));
        return;
      }
      // Named as the including file was given: absolute under an absolute path, else relative to the working folder.
      const children = files.map((child) => {
        const childKey = path.resolve(child);
        return { childKey, name: path.isAbsolute(file) ? childKey : path.relative(process.cwd(), childKey) || childKey };
      });
      const cycle = (childKey: string): boolean => childKey === key || stack.includes(childKey);
      if (!hasFacts) reader.expect(children.filter(({ childKey }) => !cycle(childKey) && !read.has(childKey)).map(({ name }) => ({ file: name, walked: walkedInclude })));
      for (const { childKey, name } of children) {
        if (cycle(childKey)) {
          problems.push(problem('TCPMEM_INCLUDE_CYCLE', `include "${entry}" leads back to ${path.relative(process.cwd(), childKey) || childKey}, which is already being loaded`, { ...at, hint: 'Remove one of the includes that form the cycle.' }));
          continue;
        }
        visit(name, [...stack, key], walkedInclude);
      }
    });
  };
  // Files are read ahead on workers in the order they are visited. With a facts folder, only its files: they are
  // visited last, and read while this thread reads the config files; without, the config files and each include's
  // files when it is met.
  try {
    reader.expect(hasFacts ? roots.slice(factsFrom) : roots);
    for (const { file, walked } of roots) visit(file, [], walked);
  } finally {
    reader.close();
  }

  const fleet = assemble([...loaded.values()], problems, skipped);
  if (fleet !== undefined) {
    digest?.finish(fleet);
    if (readFacts) attachNamedFacts(fleet, problems, documents, root, { interner, loaded });
    const unused = unusedFactsNote(fleet);
    if (unused !== undefined) problems.push(unused);
  }
  return { fleet, problems, documents, files: filesRead };
}

function assemble(sources: readonly LoadedSource[], problems: Problem[], skipped: readonly string[]): FleetModel | undefined {
  let name: string | undefined;
  let defaults: Defined<Settings> | undefined;
  const presets = new Map<string, Defined<Preset>>();
  const groups = new Map<string, Defined<Group>>();
  const hosts = new Map<string, Defined<Host>>();
  const facts = new Map<string, Defined<FactsDocument>>();
  let fleetFiles = 0;

  const addNamed = <T>(into: Map<string, Defined<T>>, what: string, file: string, key: string, entries: Record<string, T | undefined> | undefined) => {
    for (const [entryName, value] of Object.entries(entries ?? {})) {
      if (value === undefined) continue;
      const origin = { file, pointer: childPointer('', key, entryName) };
      const earlier = into.get(entryName);
      if (earlier !== undefined) {
        problems.push(problem(`TCPMEM_DUPLICATE_${what.toUpperCase()}`, `${what} "${entryName}" is defined twice; first in ${earlier.origin.file} at ${earlier.origin.pointer}`, { file, path: origin.pointer, hint: `Each ${what} is defined once in the whole fleet; rename or merge one of them.` }));
        continue;
      }
      into.set(entryName, { name: entryName, value, origin });
    }
  };

  for (const { file, value } of sources) {
    if (value.kind === 'facts') {
      const doc = value;
      const earlier = facts.get(doc.host);
      if (earlier !== undefined) {
        // Two captures of one host (a copy left behind, a renamed file): the later is used, and which is said, since
        // a capture whose clock ran ahead would win over every new discover.
        const [used, other] = earlier.value.capturedAt >= doc.capturedAt ? [earlier.origin.file, file] : [file, earlier.origin.file];
        const usedAt = earlier.value.capturedAt >= doc.capturedAt ? earlier.value.capturedAt : doc.capturedAt;
        problems.push(problem('TCPMEM_FACTS_DUPLICATE', `facts of host "${doc.host}" are in ${used} and ${other}: the later capture (${usedAt}, ${used}) is used`, { severity: 'warning', file: other, path: '/host', hint: `Keep one facts file a host: delete the stale one, or \`tcpmem discover\` the host to write facts/${doc.host}.json again.` }));
        if (earlier.value.capturedAt >= doc.capturedAt) continue;
      }
      facts.set(doc.host, { name: doc.host, value: doc, origin: { file, pointer: '' } });
      continue;
    }
    if (value.kind !== 'fleet') continue;
    fleetFiles += 1;
    const doc = value;
    name ??= doc.name;
    if (doc.defaults !== undefined) {
      if (defaults !== undefined) {
        problems.push(problem('TCPMEM_DUPLICATE_DEFAULTS', `defaults are set in two files; first in ${defaults.origin.file}`, { file, path: '/defaults', hint: 'Keep one `defaults` block for the whole fleet; use groups for the rest.' }));
      } else {
        defaults = { name: 'defaults', value: doc.defaults, origin: { file, pointer: '/defaults' } };
      }
    }
    addNamed(presets, 'preset', file, 'presets', doc.presets);
    addNamed(groups, 'group', file, 'groups', doc.groups);
    addNamed(hosts, 'host', file, 'hosts', doc.hosts);
  }
  if (fleetFiles === 0) {
    // A fleet file with schema errors was already reported; say nothing more then.
    if (problems.some((p) => p.severity === 'error')) return undefined;
    const file = sources[0]?.file;
    // Nothing read but files that are no tcpmem document (a fleet file that lost its `kind`?): located at the first.
    const at = file !== undefined ? { file, path: '/kind' } : skipped[0] !== undefined ? { file: skipped[0], line: 1, column: 1 } : {};
    const why = file === undefined && skipped.length > 0 ? ': every file was skipped as no tcpmem document' : '';
    problems.push(problem('TCPMEM_NO_FLEET', `no fleet file (\`kind: fleet\`) was found${why}`, { ...at, hint: 'Plan a fleet file or a folder that holds one.' }));
    return undefined;
  }
  return buildFleetModel({ name, files: sources.map((s) => s.file), defaults, presets: presets.values(), groups: groups.values(), hosts: hosts.values(), facts });
}

/**
 * Hosts that name their facts file (`facts: facts/web-1.json`) get exactly that file, relative to theirs. Each file
 * is read once and kept as a facts folder's files are (`readLoaded`: prepared, its texts dropped): a fleet of
 * 100,000 hosts that each name their file keeps no texts either. A file the facts folder already loaded is taken
 * from there.
 */
function attachNamedFacts(
  fleet: FleetModel,
  problems: Problem[],
  documents: Map<string, SourceDocument>,
  root: ConfigRoot,
  read: { readonly interner: FactsInterner; readonly loaded: ReadonlyMap<string, LoadedSource> },
): void {
  const facts = fleet.facts as Map<string, Defined<FactsDocument>>;
  const named = new Map<string, LoadedFile>();
  for (const host of fleet.hosts) {
    if (host.value.facts === undefined) continue;
    const at = { file: host.origin.file, path: childPointer(host.origin.pointer, 'facts') };
    const file = path.isAbsolute(host.value.facts) ? host.value.facts : path.join(path.dirname(host.origin.file), host.value.facts);
    if (!fs.existsSync(file)) {
      problems.push(problem('TCPMEM_FACTS_MISSING', `facts file "${host.value.facts}" does not exist (resolved to ${file})`, { ...at, hint: 'Run `tcpmem discover` for this host, or fix the path (relative to this file).' }));
      continue;
    }
    if (!insideRoot(root, file)) {
      problems.push(outsideRootProblem(`facts file "${host.value.facts}"`, at, root));
      continue;
    }
    const key = path.resolve(file);
    let loaded = named.get(key);
    if (loaded === undefined) {
      const walkedThere = read.loaded.get(key);
      loaded = walkedThere?.value.kind === 'facts' ? { source: { ...walkedThere, file }, problems: [], bytes: undefined } : readLoaded(file, false, read.interner);
      named.set(key, loaded);
    }
    // As before: each host that names a file gets that file's problems.
    problems.push(...loaded.problems);
    const source = loaded.source;
    if (source === undefined) continue;
    documents.set(file, source.document);
    if (source.value.kind !== 'facts') {
      problems.push(problem('TCPMEM_FACTS_KIND', `"${host.value.facts}" is a "${source.value.kind}" document, not facts`, { ...at, hint: 'Point `facts` at a file written by `tcpmem discover` (`kind: facts`).' }));
      continue;
    }
    facts.set(host.name, { name: host.name, value: source.value, origin: { file, pointer: '' } });
  }
}

/**
 * A facts folder's file that cannot be read as facts (cut short, edited, a merge conflict) is one `tcpmem discover`
 * wrote and writes again: its problem says so, naming the host by the file's name, instead of asking to fix JSON.
 */
function rewritableFacts(p: Problem, file: string, target: string): Problem {
  if (p.severity !== 'error' || p.hint === undefined || p.hint.includes('tcpmem discover')) return p;
  const host = path.basename(file).replace(/\.(json|ya?ml)$/, '');
  return { ...p, hint: `A facts file is what \`tcpmem discover\` read from a host: write it again with \`tcpmem discover ${target} --target ${host}\` (discover reads no facts file, so this one does not stop it), or delete it.` };
}

/** Whether a file lies in a folder named `facts` below the config root (where only facts documents belong). */
function inFactsFolder(root: ConfigRoot, file: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(path.dirname(file));
  } catch {
    return false;
  }
  const relative = path.relative(root.root, real);
  return !relative.startsWith('..') && relative.split(path.sep).includes('facts');
}
