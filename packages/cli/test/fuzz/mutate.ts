import path from 'node:path';
import { parseSource } from '@tcpmem/schema';
import { cloneRepo, type FileContent, type FuzzCase, type Repo } from './fuzz-case';
import { Prng } from './prng';
import { toYaml } from './to-yaml';
import {
  genAny,
  genFactsSysctls,
  genForKey,
  genKernel,
  genKey,
  genName,
  genOtherType,
  genSize,
  genSysctlValue,
  genValidFactsSysctls,
  genValidHardware,
  genValidSysctlValue,
  genValidWorkload,
  genWorkload,
  tameMemory,
  knownSysctls,
  unknownSysctls,
} from './values';

/**
 * The mutator of the bad-input test. From one seed repo it makes a bad input in a few steps: first changes to
 * the documents (wrong types, missing and unknown keys, edge values, references to groups and presets that do
 * not exist, duplicates across files, include cycles), then changes to the bytes (truncation, broken YAML,
 * tabs, duplicate keys, alias bombs, NUL bytes, invalid UTF-8). Everything is drawn from one seeded PRNG, so a
 * case is made again, byte for byte, from its seed.
 */
export function generateCase(seeds: readonly Repo[], seed: number): FuzzCase {
  const rng = new Prng(seed);
  const repo = cloneRepo(rng.pick(seeds));
  const steps: string[] = [];
  // A third of the cases stay schema-valid, to test what lies behind the schema gate.
  if (rng.chance(0.3)) {
    for (let i = rng.between(1, 4); i > 0; i -= 1) {
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const step = rng.weighted(semanticMutations)(rng, repo);
        if (step !== undefined) {
          steps.push(`(valid) ${step}`);
          break;
        }
      }
    }
    return { id: `seed ${seed}`, seed, repo, steps };
  }
  let structural = rng.weighted([
    [2, 0],
    [5, 1],
    [3, 2],
    [1, 3],
  ] as const);
  const textual = rng.weighted([
    [6, 0],
    [3, 1],
    [1, 2],
  ] as const);
  if (structural + textual === 0) structural = 1;
  const apply = (mutations: readonly (readonly [number, Mutation])[]) => {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const step = rng.weighted(mutations)(rng, repo);
      if (step !== undefined) {
        steps.push(step);
        return;
      }
    }
  };
  for (let i = 0; i < structural; i += 1) apply(structuralMutations);
  for (let i = 0; i < textual; i += 1) apply(textMutations);
  return { id: `seed ${seed}`, seed, repo, steps };
}

/** One mutation: changes the repo in place and says what it did, or returns undefined when it does not apply. */
type Mutation = (rng: Prng, repo: Repo) => string | undefined;

type Segment = string | number;

interface DocNode {
  readonly path: readonly Segment[];
  readonly value: unknown;
  /** The nearest object key above (or at) this node: what the value means. */
  readonly key: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nodesOf(value: unknown, at: readonly Segment[] = [], key?: string, out: DocNode[] = []): DocNode[] {
  out.push({ path: at, value, key });
  if (Array.isArray(value)) value.forEach((item, i) => nodesOf(item, [...at, i], key, out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) nodesOf(v, [...at, k], k, out);
  return out;
}

function getAt(root: unknown, at: readonly Segment[]): unknown {
  let node = root;
  for (const segment of at) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isObject(node) && typeof segment === 'string') node = node[segment];
    else return undefined;
  }
  return node;
}

/** Sets a value at a path; returns the (maybe new) root. */
function setAt(root: unknown, at: readonly Segment[], value: unknown): unknown {
  if (at.length === 0) return value;
  const parent = getAt(root, at.slice(0, -1));
  const last = at[at.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isObject(parent)) defineOwn(parent, String(last), value);
  return root;
}

function deleteAt(root: unknown, at: readonly Segment[]): void {
  const parent = getAt(root, at.slice(0, -1));
  const last = at[at.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (isObject(parent)) Reflect.deleteProperty(parent, String(last));
}

/** Sets an own property, even `__proto__`. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function pointer(at: readonly Segment[]): string {
  return at.map((s) => `/${String(s)}`).join('') || '/';
}

/** JSON.stringify as it really is: undefined for undefined and functions. */
const stringify: (value: unknown, replacer?: null, space?: number) => string | undefined = JSON.stringify;

function short(value: unknown): string {
  let text: string;
  try {
    text = stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…(${text.length})` : text;
}

function textFiles(repo: Repo): string[] {
  return [...repo.files.entries()].filter(([, c]) => typeof c === 'string').map(([f]) => f);
}

/** The parsed value of a file, when it is text that parses (into a tree: YAML aliases can make cycles). */
function documentOf(repo: Repo, file: string): unknown {
  const content = repo.files.get(file);
  if (typeof content !== 'string') return undefined;
  const parsed = parseSource(file, content);
  return parsed.ok && isTree(parsed.document.value) ? parsed.document.value : undefined;
}

function isTree(value: unknown, ancestors: unknown[] = []): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (ancestors.includes(value)) return false;
  ancestors.push(value);
  const tree = Object.values(value).every((child) => isTree(child, ancestors));
  ancestors.pop();
  return tree;
}

function serialize(file: string, value: unknown, rng: Prng): string {
  if (file.endsWith('.json')) return stringify(value, null, rng.chance(0.7) ? 2 : undefined) ?? 'null';
  return toYaml(value);
}

/** Picks a parseable document (optionally one that satisfies `accept`), changes it, and writes it back. */
function editDocument(rng: Prng, repo: Repo, accept: (value: unknown, file: string) => boolean, edit: (value: unknown, file: string) => { value: unknown; step: string } | undefined): string | undefined {
  const candidates = textFiles(repo).filter((file) => {
    const value = documentOf(repo, file);
    return value !== undefined && accept(value, file);
  });
  if (candidates.length === 0) return undefined;
  const file = rng.pick(candidates);
  const result = edit(documentOf(repo, file), file);
  if (result === undefined) return undefined;
  repo.files.set(file, serialize(file, result.value, rng));
  return `${file}: ${result.step}`;
}

const isFleet = (value: unknown) => isObject(value) && value['kind'] === 'fleet';
const isFacts = (value: unknown) => isObject(value) && value['kind'] === 'facts';

/** The settings objects of a fleet document: defaults, each group, host and preset. */
function settingsPaths(doc: unknown): Segment[][] {
  if (!isObject(doc)) return [];
  const out: Segment[][] = [];
  if (isObject(doc['defaults'])) out.push(['defaults']);
  for (const section of ['groups', 'hosts', 'presets'] as const) {
    const entries = doc[section];
    if (isObject(entries)) for (const name of Object.keys(entries)) if (isObject(entries[name])) out.push([section, name]);
  }
  return out;
}

function namesIn(repo: Repo, section: 'groups' | 'hosts' | 'presets'): string[] {
  const names: string[] = [];
  for (const file of textFiles(repo)) {
    const doc = documentOf(repo, file);
    if (isObject(doc) && isObject(doc[section])) for (const name of Object.keys(doc[section])) names.push(name);
  }
  return names;
}

/** A fleet document to add things to: the target's own fleet file when it has one, else any. */
function fleetFiles(repo: Repo): string[] {
  return textFiles(repo).filter((f) => isFleet(documentOf(repo, f)));
}

function addInclude(repo: Repo, rng: Prng, entries: readonly string[], from?: string): string | undefined {
  const candidates = from !== undefined ? [from] : fleetFiles(repo);
  if (candidates.length === 0) return undefined;
  const file = rng.pick(candidates);
  const doc = documentOf(repo, file);
  if (!isObject(doc)) return undefined;
  const include = Array.isArray(doc['include']) ? (doc['include'] as unknown[]) : [];
  doc['include'] = [...include, ...entries];
  repo.files.set(file, serialize(file, doc, rng));
  return file;
}

/** A relative include path from one file to another (both repo-relative). */
function relativeInclude(from: string, to: string): string {
  return path.posix.relative(path.posix.dirname(from), to) || '.';
}

const structuralMutations: readonly (readonly [number, Mutation])[] = [
  // A value replaced by one of another JSON type.
  [
    6,
    (rng, repo) =>
      editDocument(rng, repo, () => true, (doc) => {
        const nodes = nodesOf(doc);
        const node = rng.chance(0.05) ? nodes[0]! : rng.pick(nodes.length > 1 ? nodes.slice(1) : nodes);
        const value = tameMemory(node.key, genOtherType(rng, node.value));
        return { value: setAt(doc, node.path, value), step: `wrong type at ${pointer(node.path)}: ${short(value)}` };
      }),
  ],
  // A key removed (required ones more often).
  [
    5,
    (rng, repo) =>
      editDocument(rng, repo, () => true, (doc) => {
        const required = new Set(['kind', 'kernel', 'memory', 'nodes', 'hardware', 'flows', 'rtt', 'flowRate', 'source', 'sysctls', 'host', 'capturedAt', 'facts', 'address']);
        const keyed = nodesOf(doc).filter((n) => n.path.length > 0 && typeof n.path[n.path.length - 1] === 'string');
        if (keyed.length === 0) return undefined;
        const node = rng.weighted(keyed.map((n) => [required.has(n.key ?? '') ? 4 : 1, n] as const));
        deleteAt(doc, node.path);
        return { value: doc, step: `removed ${pointer(node.path)}` };
      }),
  ],
  // An unknown key added somewhere.
  [
    4,
    (rng, repo) =>
      editDocument(rng, repo, () => true, (doc) => {
        const objects = nodesOf(doc).filter((n) => isObject(n.value));
        if (objects.length === 0) return undefined;
        const node = rng.pick(objects);
        const key = genKey(rng);
        defineOwn(node.value as Record<string, unknown>, key, genAny(rng));
        return { value: doc, step: `unknown key ${JSON.stringify(key)} at ${pointer(node.path)}` };
      }),
  ],
  // A value replaced by an edge value chosen for its key (huge, negative, fractional, malformed forms).
  [
    10,
    (rng, repo) =>
      editDocument(rng, repo, () => true, (doc) => {
        const nodes = nodesOf(doc).filter((n) => n.key !== undefined && n.path[n.path.length - 1] !== undefined);
        if (nodes.length === 0) return undefined;
        const node = rng.pick(nodes);
        const value = genForKey(rng, node.key, node.value);
        return { value: setAt(doc, node.path, value), step: `${pointer(node.path)} = ${short(value)}` };
      }),
  ],
  // A sysctl set (known or unknown name) on defaults, a group, a host or a preset.
  [
    10,
    (rng, repo) =>
      editDocument(rng, repo, (doc) => settingsPaths(doc).length > 0, (doc) => {
        const at = rng.pick(settingsPaths(doc));
        const settings = getAt(doc, at) as Record<string, unknown>;
        if (!isObject(settings['sysctls'])) settings['sysctls'] = {};
        const name = rng.chance(0.85) ? rng.pick(knownSysctls) : rng.pick(unknownSysctls);
        const value = genSysctlValue(rng, name);
        defineOwn(settings['sysctls'] as Record<string, unknown>, name, value);
        return { value: doc, step: `${pointer([...at, 'sysctls', name])} = ${short(value)}` };
      }),
  ],
  // A hardware field of a level (or of a hardware document) set to an edge value.
  [
    6,
    (rng, repo) =>
      editDocument(rng, repo, (doc) => settingsPaths(doc).length > 0 || (isObject(doc) && doc['kind'] === 'hardware'), (doc) => {
        const at: Segment[] = isObject(doc) && doc['kind'] === 'hardware' ? [] : rng.pick(settingsPaths(doc));
        const level = getAt(doc, at) as Record<string, unknown>;
        if (!isObject(level['hardware'])) level['hardware'] = {};
        const field = rng.pick(['kernel', 'memory', 'nodes', 'cpus', 'pageSize', 'arch', 'cmdline', 'initrd', 'platform', 'fiveLevelPaging', 'transparentHugepage', 'memory', 'kernel']);
        const value = field === 'kernel' ? genKernel(rng) : field === 'memory' || field === 'initrd' ? genSize(rng) : genForKey(rng, field, undefined);
        (level['hardware'] as Record<string, unknown>)[field] = tameMemory(field, value);
        return { value: doc, step: `${pointer([...at, 'hardware', field])} = ${short(value)}` };
      }),
  ],
  // A workload on a level.
  [
    3,
    (rng, repo) =>
      editDocument(rng, repo, (doc) => settingsPaths(doc).some((p) => p[0] !== 'presets'), (doc) => {
        const at = rng.pick(settingsPaths(doc).filter((p) => p[0] !== 'presets'));
        const value = genWorkload(rng);
        (getAt(doc, at) as Record<string, unknown>)['workload'] = value;
        return { value: doc, step: `${pointer([...at, 'workload'])} = ${short(value)}` };
      }),
  ],
  // A host in groups that do not exist, twice in one, or in none.
  [
    4,
    (rng, repo) => {
      const groups = namesIn(repo, 'groups');
      return editDocument(rng, repo, (doc) => isFleet(doc) && isObject((doc as Record<string, unknown>)['hosts']), (doc) => {
        const hosts = (doc as Record<string, Record<string, unknown>>)['hosts']!;
        const names = Object.keys(hosts).filter((n) => isObject(hosts[n]));
        if (names.length === 0) return undefined;
        const host = rng.pick(names);
        const value = rng.weighted<() => unknown>([
          [3, () => [genName(rng, [])]],
          [2, () => (groups.length > 0 ? [rng.pick(groups), rng.pick(groups)] : ['a', 'a'])],
          [1, () => []],
          [1, () => [...groups, 'missing-group']],
          [1, () => Array.from({ length: 200 }, (_v, i) => `g${i}`)],
        ])();
        (hosts[host] as Record<string, unknown>)['groups'] = value;
        return { value: doc, step: `/hosts/${host}/groups = ${short(value)}` };
      });
    },
  ],
  // A host naming its facts file: the right one, a missing one, a folder, a fleet file, itself, /dev/null.
  [
    3,
    (rng, repo) =>
      editDocument(rng, repo, (doc) => isFleet(doc) && isObject((doc as Record<string, unknown>)['hosts']), (doc, file) => {
        const hosts = (doc as Record<string, Record<string, unknown>>)['hosts']!;
        const names = Object.keys(hosts).filter((n) => isObject(hosts[n]));
        if (names.length === 0) return undefined;
        const host = rng.pick(names);
        const factsFiles = [...repo.files.keys()].filter((f) => f.startsWith('facts/')).map((f) => relativeInclude(file, f));
        const value = rng.pick([...factsFiles, 'facts/missing.json', 'facts', '.', '', path.posix.basename(file), `${'../'.repeat(12)}dev/null`, '/', 'facts/../facts/vm-1.json', '\u0000']);
        (hosts[host] as Record<string, unknown>)['facts'] = value;
        return { value: doc, step: `/hosts/${host}/facts = ${JSON.stringify(value)}` };
      }),
  ],
  // Presets that do not exist, built-in ones, repeated ones.
  [
    3,
    (rng, repo) => {
      const presets = namesIn(repo, 'presets');
      return editDocument(rng, repo, (doc) => settingsPaths(doc).some((p) => p[0] !== 'presets'), (doc) => {
        const at = rng.pick(settingsPaths(doc).filter((p) => p[0] !== 'presets'));
        const pool = ['tcpmem:esnet-10g-100ms', 'tcpmem:kernel-default', 'tcpmem:', 'tcpmem:nope', 'nope', 'constructor', ...presets];
        const value = Array.from({ length: rng.between(1, 3) }, () => rng.pick(pool));
        (getAt(doc, at) as Record<string, unknown>)['presets'] = value;
        return { value: doc, step: `${pointer([...at, 'presets'])} = ${short(value)}` };
      });
    },
  ],
  // A host, group or preset renamed to an odd name.
  [
    2,
    (rng, repo) =>
      editDocument(rng, repo, isFleet, (doc) => {
        const d = doc as Record<string, unknown>;
        const sections = (['hosts', 'groups', 'presets'] as const).filter((s) => isObject(d[s]) && Object.keys(d[s]).length > 0);
        if (sections.length === 0) return undefined;
        const section = rng.pick(sections);
        const entries = d[section] as Record<string, unknown>;
        const from = rng.pick(Object.keys(entries));
        const to = genName(rng, []);
        const renamed: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(entries)) defineOwn(renamed, k === from ? to : k, v);
        d[section] = renamed;
        return { value: doc, step: `renamed ${section}.${from} to ${JSON.stringify(to)}` };
      }),
  ],
  // A facts document's fields (in facts/ or anywhere) changed.
  [
    4,
    (rng, repo) =>
      editDocument(rng, repo, isFacts, (doc) => {
        const d = doc as Record<string, unknown>;
        const facts = isObject(d['facts']) ? d['facts'] : (d['facts'] = {});
        const field = rng.pick(['release', 'version', 'cmdline', 'meminfo', 'zoneinfo', 'nodeMeminfo', 'cpus', 'pageSize', 'thpEnabled', 'minFreeKbytes', 'hashTablesLine', 'sysctls', 'dmesg', 'host', 'capturedAt']);
        if (field === 'host' || field === 'capturedAt') {
          d[field] = field === 'host' ? genName(rng, namesIn(repo, 'hosts')) : genForKey(rng, field, d[field]);
          return { value: doc, step: `/${field} = ${short(d[field])}` };
        }
        const value = field === 'sysctls' ? genFactsSysctls(rng) : genForKey(rng, field, facts[field]);
        facts[field] = value;
        return { value: doc, step: `/facts/${field} = ${short(value)}` };
      }),
  ],
  // Many hosts (a big fleet, still under the file size limit).
  [
    1,
    (rng, repo) =>
      editDocument(rng, repo, (doc) => isFleet(doc) && isObject((doc as Record<string, unknown>)['hosts']), (doc) => {
        const hosts = (doc as Record<string, Record<string, unknown>>)['hosts']!;
        const names = Object.keys(hosts);
        if (names.length === 0) return undefined;
        const count = rng.pick([100, 300, 1000]);
        for (let i = 0; i < count; i += 1) hosts[`${rng.pick(names)}-x${i}`] = hosts[rng.pick(names)];
        return { value: doc, step: `${count} more hosts` };
      }),
  ],
  // A host, group, preset or the defaults copied into another fleet file: defined twice across files.
  [
    4,
    (rng, repo) => {
      const fleets = fleetFiles(repo);
      if (fleets.length === 0) return undefined;
      const from = rng.pick(fleets);
      const doc = documentOf(repo, from) as Record<string, unknown>;
      const sections = (['hosts', 'groups', 'presets', 'defaults'] as const).filter((s) => isObject(doc[s]));
      if (sections.length === 0) return undefined;
      const section = rng.pick(sections);
      const copy: Record<string, unknown> = { kind: 'fleet' };
      if (section === 'defaults') copy['defaults'] = doc['defaults'];
      else {
        const name = rng.pick(Object.keys(doc[section] as object).concat(['x']));
        copy[section] = { [name]: (doc[section] as Record<string, unknown>)[name] ?? {} };
      }
      const others = fleets.filter((f) => f !== from);
      const into = others.length > 0 && rng.chance(0.5) ? rng.pick(others) : rng.pick(['dup.yaml', 'hosts/dup.yaml', 'more/dup.json']);
      const existing = documentOf(repo, into);
      const merged = isFleet(existing) ? { ...(existing as Record<string, unknown>), ...copy, kind: 'fleet' } : copy;
      repo.files.set(into, serialize(into, merged, rng));
      if (!isFleet(existing)) addInclude(repo, rng, [relativeInclude(from, into)], from);
      return `${section} of ${from} copied into ${into}`;
    },
  ],
  // Include cycles: a file including itself, its own folder, or a→b→a.
  [
    4,
    (rng, repo) => {
      const fleets = fleetFiles(repo);
      if (fleets.length === 0) return undefined;
      const from = rng.pick(fleets);
      const kind = rng.pick(['self', 'folder', 'pair', 'chain', 'parent'] as const);
      if (kind === 'self') return addInclude(repo, rng, [path.posix.basename(from)], from) && `${from} includes itself`;
      if (kind === 'folder') return addInclude(repo, rng, [rng.pick(['.', './', `./${path.posix.basename(from)}/..`])], from) && `${from} includes its own folder`;
      if (kind === 'parent') {
        const child = 'sub/child.yaml';
        repo.files.set(child, toYaml({ kind: 'fleet', include: ['..'] }));
        return addInclude(repo, rng, [relativeInclude(from, 'sub/')], from) && `${from} includes sub/, whose file includes ..`;
      }
      const length = kind === 'pair' ? 2 : rng.pick([3, 30]);
      for (let i = 0; i < length; i += 1) {
        const next = i === length - 1 ? relativeInclude(`c/${i}.yaml`, from) : `${i + 1}.yaml`;
        repo.files.set(`c/${i}.yaml`, toYaml({ kind: 'fleet', include: [next] }));
      }
      return addInclude(repo, rng, [relativeInclude(from, 'c/0.yaml')], from) && `include cycle of ${length + 1} files through ${from}`;
    },
  ],
  // Includes of things that are not there or are not config files.
  [
    3,
    (rng, repo) => {
      const entry = rng.pick(['missing.yaml', 'missing/', 'notes.txt', 'empty/', '', '/nonexistent-tcpmem-fuzz/x.yaml', 'hosts/../hosts', './/fleet.yaml', '\u0000', 'bad\u0000name.yaml', 'a'.repeat(300)]);
      if (entry === 'notes.txt') repo.files.set('notes.txt', 'kind: fleet\nhosts: { n1: { hardware: { kernel: "6.1", memory: 1GiB } } }\n');
      if (entry === 'empty/') repo.files.set('empty/README', 'not a config file\n');
      const file = addInclude(repo, rng, [entry]);
      return file && `${file} includes ${JSON.stringify(entry)}`;
    },
  ],
  // A new file with odd content.
  [
    3,
    (rng, repo) => {
      const name = rng.pick(['extra.yaml', 'hosts/extra.yml', 'facts/extra.json', 'zz.json', 'deep/er/x.yaml']);
      const others = textFiles(repo);
      const content = rng.weighted<() => FileContent>([
        [4, () => rng.pick(['', '\n', '# only a comment\n', '---\n', 'null', '[]', '42', '"str"', 'kind: fleet\n', 'kind: facts\n', 'kind: plan\n', 'kind: model\n', 'kind: hardware\n', '{}', 'kind: fleet\nhosts: null\n'])],
        [2, () => (others.length > 0 ? repo.files.get(rng.pick(others))! : '')],
        [1, () => new Uint8Array(Array.from({ length: rng.between(1, 64) }, () => rng.int(256)))],
      ])();
      repo.files.set(name, content);
      return `added ${name}`;
    },
  ],
  // A YAML file rewritten as JSON (.json), the target following it.
  [
    2,
    (rng, repo) => {
      const candidates = textFiles(repo).filter((f) => /\.ya?ml$/.test(f) && documentOf(repo, f) !== undefined);
      if (candidates.length === 0) return undefined;
      const file = rng.pick(candidates);
      const json = file.replace(/\.ya?ml$/, '.json');
      repo.files.set(json, serialize(json, documentOf(repo, file), rng));
      repo.files.delete(file);
      if (repo.target === file) repo.target = json;
      return `${file} rewritten as ${json}`;
    },
  ],
  // A discovered-facts document for a host (beside the fleet file, as `tcpmem discover` writes it).
  [
    2,
    (rng, repo) => {
      const hosts = namesIn(repo, 'hosts');
      const host = genName(rng, hosts.length > 0 ? [...hosts, ...hosts] : []);
      const facts: Record<string, unknown> = { release: genKernel(rng) };
      if (rng.chance(0.5)) facts['sysctls'] = genFactsSysctls(rng);
      if (rng.chance(0.3)) facts['cpus'] = genForKey(rng, 'cpus', undefined);
      if (rng.chance(0.3)) facts['meminfo'] = rng.pick(['MemTotal: 1024 kB\n', 'MemTotal: 99999999999999999999 kB\n', 'MemTotal: 0 kB\n', '']);
      if (rng.chance(0.3)) facts['zoneinfo'] = rng.pick(['Node 0, zone   Normal\n  pages free 1\n        min 0\n  managed 0\n', 'Node 0, zone DMA\n', '']);
      const doc = { kind: 'facts', version: 1, host, capturedAt: rng.pick(['2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z']), facts };
      const file = `facts/${rng.int(3)}.json`;
      repo.files.set(file, JSON.stringify(doc, null, 2));
      return `facts for ${JSON.stringify(host)} in ${file}`;
    },
  ],
  // A file over the size limit (sparse, so it costs nothing to write).
  [
    0.2,
    (rng, repo) => {
      if (repo.files.size === 0) return undefined;
      const file = rng.pick([...repo.files.keys()]);
      repo.files.set(file, { sparseBytes: 64 * 1024 * 1024 + rng.between(1, 4096) });
      return `${file} made a sparse file over 64 MiB`;
    },
  ],
  // A file removed.
  [
    1,
    (rng, repo) => {
      const files = [...repo.files.keys()].filter((f) => f !== repo.target);
      if (files.length === 0) return undefined;
      const file = rng.pick(files);
      repo.files.delete(file);
      return `removed ${file}`;
    },
  ],
];

/** Mutations that keep every document schema-valid (values at the edges, references, facts). */
const semanticMutations: readonly (readonly [number, Mutation])[] = [
  [
    6,
    (rng, repo) =>
      editDocument(rng, repo, (doc) => settingsPaths(doc).length > 0, (doc) => {
        const at = rng.pick(settingsPaths(doc));
        const settings = getAt(doc, at) as Record<string, unknown>;
        if (!isObject(settings['sysctls'])) settings['sysctls'] = {};
        const name = rng.pick(knownSysctls);
        const value = genValidSysctlValue(rng, name);
        (settings['sysctls'] as Record<string, unknown>)[name] = value;
        return { value: doc, step: `${pointer([...at, 'sysctls', name])} = ${short(value)}` };
      }),
  ],
  [
    4,
    (rng, repo) =>
      editDocument(rng, repo, (doc) => settingsPaths(doc).some((p) => p[0] !== 'presets') || (isObject(doc) && doc['kind'] === 'hardware'), (doc) => {
        const isHardwareDoc = isObject(doc) && doc['kind'] === 'hardware';
        const at: Segment[] = isHardwareDoc ? [] : rng.pick(settingsPaths(doc).filter((p) => p[0] !== 'presets'));
        const level = getAt(doc, at) as Record<string, unknown>;
        const hardware = genValidHardware(rng);
        if (isHardwareDoc) hardware['kernel'] ??= '6.1';
        if (isHardwareDoc && hardware['memory'] === undefined && hardware['nodes'] === undefined) hardware['memory'] = '1GiB';
        level['hardware'] = hardware;
        return { value: doc, step: `${pointer([...at, 'hardware'])} = ${short(hardware)}` };
      }),
  ],
  [
    3,
    (rng, repo) =>
      editDocument(rng, repo, (doc) => settingsPaths(doc).some((p) => p[0] !== 'presets'), (doc) => {
        const at = rng.pick(settingsPaths(doc).filter((p) => p[0] !== 'presets'));
        const value = genValidWorkload(rng);
        (getAt(doc, at) as Record<string, unknown>)['workload'] = value;
        return { value: doc, step: `${pointer([...at, 'workload'])} = ${short(value)}` };
      }),
  ],
  [
    2,
    (rng, repo) => {
      const presets = [...namesIn(repo, 'presets'), 'tcpmem:esnet-10g-100ms', 'tcpmem:kernel-default'];
      const groups = namesIn(repo, 'groups');
      return editDocument(rng, repo, (doc) => settingsPaths(doc).some((p) => p[0] !== 'presets'), (doc) => {
        const at = rng.pick(settingsPaths(doc).filter((p) => p[0] !== 'presets'));
        const level = getAt(doc, at) as Record<string, unknown>;
        level['presets'] = Array.from({ length: rng.between(1, 3) }, () => rng.pick(presets));
        if (at[0] === 'hosts' && groups.length > 0 && rng.chance(0.5)) level['groups'] = [...new Set(Array.from({ length: rng.between(1, 3) }, () => rng.pick(groups)))];
        return { value: doc, step: `${pointer(at)} presets ${short(level['presets'])}, groups ${short(level['groups'])}` };
      });
    },
  ],
  [
    2,
    (rng, repo) =>
      editDocument(rng, repo, (doc) => isFleet(doc), (doc) => {
        const d = doc as Record<string, unknown>;
        const hosts = isObject(d['hosts']) ? d['hosts'] : (d['hosts'] = {});
        const name = `new-${rng.int(1000)}`;
        hosts[name] = { hardware: { kernel: rng.pick(['6.1', '6.12', '5.15', '4.19', '3.10']), memory: '4GiB', ...genValidHardware(rng) }, ...(rng.chance(0.5) ? { workload: genValidWorkload(rng) } : {}) };
        return { value: doc, step: `host ${name} = ${short(hosts[name])}` };
      }),
  ],
  [
    2,
    (rng, repo) => {
      const hosts = namesIn(repo, 'hosts');
      if (hosts.length === 0) return undefined;
      const host = rng.pick(hosts);
      const facts: Record<string, unknown> = { release: rng.pick(['6.1.0-26-amd64', '6.12.57-amd64', '5.15.0-91-generic', '4.19.0-27-amd64']), sysctls: genValidFactsSysctls(rng) };
      if (rng.chance(0.3)) facts['cpus'] = rng.pick([1, 4, 64]);
      const file = `facts/${host}.json`;
      repo.files.set(file, JSON.stringify({ kind: 'facts', version: 1, host, capturedAt: '2026-11-01T00:00:00Z', facts }, null, 2));
      return `facts for ${host}: ${short(facts)}`;
    },
  ],
];

// ---- text level -------------------------------------------------------------------------------------------

function pickContent(rng: Prng, repo: Repo): { file: string; text: string } | undefined {
  const files = [...repo.files.entries()].filter(([, c]) => typeof c === 'string' || c instanceof Uint8Array);
  if (files.length === 0) return undefined;
  const [file, content] = rng.pick(files);
  const text = typeof content === 'string' ? content : Buffer.from(content as Uint8Array).toString('utf8');
  return { file, text };
}

function textEdit(edit: (rng: Prng, text: string) => { text: string | Uint8Array; step: string } | undefined): Mutation {
  return (rng, repo) => {
    const picked = pickContent(rng, repo);
    if (picked === undefined) return undefined;
    const result = edit(rng, picked.text);
    if (result === undefined) return undefined;
    repo.files.set(picked.file, result.text);
    return `${picked.file}: ${result.step}`;
  };
}

const insertTokens = ['\u0000', '\t', '{', '}', '[', ']', ':', ': ', '- ', '&', '*', '*a', '&a ', '!', '!!int ', '!!binary ', '!!js/function ', '%', '@', '`', '"', "'", '\r', '\r\n', '\u2028', '\ufeff', '#', '\n', '\n  ', '? ', '|', '>', ',', '<<: *x', '\\', '\u0085', '---\n', '...\n', '%YAML 1.1\n'];

const rawScalars = [
  '16 MiB', '1e3GiB', '-5%', '0x10', '0o17', '0b101', '.inf', '-.inf', '.nan', '1_000', '+5', '9007199254740992', '9007199254740993', '18446744073709551616',
  '1e308', '1e309', '-1e309', '-1', '-0', '0.5', '1.0', '~', 'null', '""', "''", 'yes', 'no', 'on', '0777', '1:20', '2001-01-01', '!!str 5', '!!float 5',
  '!!int "5"', '!!map {}', '[]', '{}', '[1, 2]', '[1, 2, 3, 4]', '&x 5', '*x', '"\\u0000"', '"\\xff"', '"\\ud800"', '"\\U0010FFFF"', '|', '>-', '!!binary aGk=',
  '1e-400', '0.0000000000000000000000001', '123456789012345678901234567890', '"6.1\\n"', '[[[[[]]]]]', '{a: {b: {c: {}}}}',
];

const lineOf = (text: string, rng: Prng) => {
  const lines = text.split('\n');
  return { lines, index: rng.int(lines.length) };
};

const textMutations: readonly (readonly [number, Mutation])[] = [
  [
    4,
    textEdit((rng, text) => {
      const bytes = Buffer.from(text, 'utf8');
      const at = rng.int(bytes.length + 1);
      return { text: new Uint8Array(bytes.subarray(0, at)), step: `truncated at byte ${at}` };
    }),
  ],
  [
    5,
    textEdit((rng, text) => {
      const at = rng.int(text.length + 1);
      const token = rng.pick(insertTokens);
      return { text: text.slice(0, at) + token + text.slice(at), step: `inserted ${JSON.stringify(token)} at ${at}` };
    }),
  ],
  [
    3,
    textEdit((rng, text) => {
      const at = rng.int(text.length + 1);
      const length = rng.between(1, 64);
      return { text: text.slice(0, at) + text.slice(at + length), step: `deleted ${length} chars at ${at}` };
    }),
  ],
  [
    4,
    textEdit((rng, text) => {
      const { lines, index } = lineOf(text, rng);
      lines.splice(index, 0, lines[index] ?? '');
      return { text: lines.join('\n'), step: `line ${index + 1} duplicated` };
    }),
  ],
  [
    3,
    textEdit((rng, text) => {
      const { lines, index } = lineOf(text, rng);
      const line = lines[index] ?? '';
      const indented = rng.pick([line.replace(/^ +/, '\t'), line.replace(/^ {2}/, ''), `  ${line}`, ` ${line}`, line.replace(/^( *)/, '$1\t')]);
      lines[index] = indented;
      return { text: lines.join('\n'), step: `line ${index + 1} re-indented to ${JSON.stringify(indented.slice(0, 20))}` };
    }),
  ],
  [
    8,
    textEdit((rng, text) => {
      const { lines, index } = lineOf(text, rng);
      const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /:\s*\S/.test(l) || /^\s*-\s+\S/.test(l));
      const [line, i] = candidates.length > 0 ? rng.pick(candidates) : [lines[index] ?? '', index];
      // Huge numbers are not written as memory (see tameMemory).
      const token = rng.pick(/memory|^\s*-\s/.test(line) ? rawScalars.filter((t) => !/^\d{10,}|e30/.test(t)) : rawScalars);
      const replaced = /:\s*\S/.test(line) ? line.replace(/(:\s*)\S.*$/, `$1${token}`) : line.replace(/(-\s+)\S.*$/, `$1${token}`);
      lines[i] = replaced;
      return { text: lines.join('\n'), step: `line ${i + 1} value replaced by ${JSON.stringify(token)}` };
    }),
  ],
  [
    3,
    textEdit((rng, text) => {
      const bytes = Buffer.from(text, 'utf8');
      const at = rng.int(bytes.length + 1);
      const bad = rng.pick([[0xff], [0xfe, 0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xe2, 0x82]]);
      return { text: new Uint8Array(Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)])), step: `invalid UTF-8 ${JSON.stringify(bad)} at byte ${at}` };
    }),
  ],
  [
    2,
    textEdit((rng, text) => {
      const { lines, index } = lineOf(text, rng);
      const other = rng.int(lines.length);
      [lines[index], lines[other]] = [lines[other] ?? '', lines[index] ?? ''];
      return { text: lines.join('\n'), step: `lines ${index + 1} and ${other + 1} swapped` };
    }),
  ],
  [
    1,
    textEdit((rng, text) => {
      const at = rng.int(text.length + 1);
      const long = rng.pick(['a', '1', ' ', 'x: ', '- ', '[', '{', '"', '\\', '#', '1.', 'Freeing unused kernel image (']).repeat(rng.pick([1000, 5000, 20000]));
      return { text: text.slice(0, at) + long + text.slice(at), step: `inserted ${long.length} chars at ${at}` };
    }),
  ],
  [
    1,
    textEdit((rng, text) => {
      const tail = rng.pick(['---\nkind: fleet\n', '---\n', '...\n---\n', '\n---\nkind: facts\n']);
      return { text: text + tail, step: `appended a second document ${JSON.stringify(tail)}` };
    }),
  ],
  [
    1,
    textEdit((rng, text) => {
      const kind = rng.pick(['bom', 'crlf', 'cr', 'nbsp'] as const);
      const out = kind === 'bom' ? `\ufeff${text}` : kind === 'crlf' ? text.replace(/\n/g, '\r\n') : kind === 'cr' ? text.replace(/\n/g, '\r') : text.replace(/ /g, '\u00a0');
      return { text: out, step: `whole file: ${kind}` };
    }),
  ],
  // Alias bombs: exponential (billion laughs), just under the alias limit, and an alias to a missing anchor.
  [
    2,
    textEdit((rng, text) => {
      const levels = rng.pick([3, 4, 10]);
      const width = rng.pick([3, 9]);
      const out = ['lol0: &a0 [x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < levels; i += 1) out.push(`lol${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
      const bomb = rng.pick([
        `${out.join('\n')}\n`,
        `bomb: &b {k: [1, 2, 3]}\nrefs: [${Array.from({ length: rng.pick([50, 99, 100, 101, 1000]) }, () => '*b').join(', ')}]\n`,
        'x: *nowhere\n',
        'hosts: &h { a: *h }\n',
      ]);
      const at = rng.chance(0.5) ? text.length : 0;
      return { text: at === 0 ? bomb + text : `${text}${text.endsWith('\n') ? '' : '\n'}${bomb}`, step: `alias bomb (${bomb.length} chars) ${at === 0 ? 'prepended' : 'appended'}` };
    }),
  ],
  // Deep nesting: flow collections hundreds to tens of thousands deep.
  [
    1,
    textEdit((rng, text) => {
      const depth = rng.pick([100, 1000, 10000]);
      const [open, close] = rng.pick([['[', ']'], ['{a: ', '}'], ['- ', '']] as const);
      const balanced = rng.chance(0.7);
      const value = open === '- ' ? Array.from({ length: Math.min(depth, 2000) }, (_v, i) => `${' '.repeat(i * 2)}- `).join('\n') + 'x' : open.repeat(depth) + (balanced ? close.repeat(depth) : '');
      const { lines, index } = lineOf(text, rng);
      lines.splice(index, 0, `deep: ${value}`);
      return { text: lines.join('\n'), step: `nesting ${depth} deep (${open.trim()}${balanced ? '' : ', unbalanced'}) at line ${index + 1}` };
    }),
  ],
  // A key repeated in the same mapping.
  [
    2,
    textEdit((rng, text) => {
      const { lines } = lineOf(text, rng);
      const keyed = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[A-Za-z][\w.-]*:/.test(l));
      if (keyed.length === 0) return undefined;
      const [line, i] = rng.pick(keyed);
      const indent = /^\s*/.exec(line)?.[0] ?? '';
      const key = /^\s*([A-Za-z][\w.-]*):/.exec(line)?.[1] ?? 'k';
      lines.splice(i + 1, 0, `${indent}${key}: ${rng.pick(rawScalars)}`);
      return { text: lines.join('\n'), step: `duplicate key ${key} after line ${i + 1}` };
    }),
  ],
];
