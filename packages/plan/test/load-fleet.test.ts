import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFleet, locateProblems } from '../src';

/** Writes a tree of files into a fresh temp folder and returns its path. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-load-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const facts = (host: string, somaxconn: string) =>
  JSON.stringify({ kind: 'facts', host, capturedAt: '2026-11-01T00:00:00Z', facts: { sysctls: { 'net.core.somaxconn': somaxconn } } });

describe('loadFleet', () => {
  const dirs: string[] = [];
  const make = (files: Record<string, string>) => {
    const dir = tree(files);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('follows includes of files and folders, relative to the including file', () => {
    const dir = make({
      'fleet.yaml': 'kind: fleet\ninclude: [groups.yaml, hosts/]\n',
      'groups.yaml': 'kind: fleet\ngroups: { web: {} }\n',
      'hosts/a.yaml': 'kind: fleet\nhosts: { a: { groups: [web] } }\n',
      'hosts/more/b.json': '{"kind": "fleet", "hosts": {"b": {}}}',
    });
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(load.problems).toEqual([]);
    expect(load.fleet?.hosts.map((h) => h.name)).toEqual(['a', 'b']);
    expect([...(load.fleet?.groups.keys() ?? [])]).toEqual(['web']);
  });

  it('reports an include cycle at the include that closes it', () => {
    const dir = make({ 'a.yaml': 'kind: fleet\ninclude: [b.yaml]\n', 'b.yaml': 'kind: fleet\ninclude: [a.yaml]\nhosts: { x: {} }\n' });
    const load = loadFleet(path.join(dir, 'a.yaml'));
    const located = locateProblems(load.problems, load.documents);
    expect(located).toEqual([expect.objectContaining({ code: 'TCPMEM_INCLUDE_CYCLE', file: expect.stringMatching(/b\.yaml$/), line: 2, path: '/include/0' })]);
  });

  it('reports a missing include', () => {
    const dir = make({ 'fleet.yaml': 'kind: fleet\ninclude: [nope.yaml]\n' });
    expect(loadFleet(path.join(dir, 'fleet.yaml')).problems).toEqual([expect.objectContaining({ code: 'TCPMEM_INCLUDE_MISSING', path: '/include/0' })]);
  });

  it('names included files absolutely when the fleet was given by an absolute path', () => {
    const dir = make({
      'fleet.yaml': 'kind: fleet\ninclude: [hosts/]\n',
      'hosts/a.yaml': 'kind: fleet\nhosts: { a: {} }\n',
    });
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect([...load.documents.keys()]).toEqual([path.join(dir, 'fleet.yaml'), path.join(dir, 'hosts/a.yaml')]);
  });

  it('refuses a host defined in two files, naming the first', () => {
    const dir = make({ 'a.yaml': 'kind: fleet\nhosts: { web-1: {} }\n', 'b.yaml': 'kind: fleet\nhosts: { web-1: {} }\n' });
    const load = loadFleet(dir);
    expect(load.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_DUPLICATE_HOST', path: '/hosts/web-1', message: expect.stringContaining('a.yaml') })]);
  });

  it('refuses defaults set in two files', () => {
    const dir = make({ 'a.yaml': 'kind: fleet\ndefaults: {}\n', 'b.yaml': 'kind: fleet\ndefaults: {}\n' });
    expect(loadFleet(dir).problems.map((p) => p.code)).toEqual(['TCPMEM_DUPLICATE_DEFAULTS']);
  });

  it('finds facts in facts/ beside a fleet file, the newest per host, and a host\'s named facts file first', () => {
    const dir = make({
      'fleet.yaml': 'kind: fleet\nhosts:\n  a: {}\n  b: { facts: other/b-facts.json }\n',
      'facts/a.json': facts('a', '1000'),
      'facts/b.json': facts('b', '2000'),
      'other/b-facts.json': facts('b', '3000'),
    });
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(load.problems).toEqual([]);
    expect(load.fleet?.facts.get('a')?.value.facts.sysctls?.['net.core.somaxconn']).toBe('1000');
    expect(load.fleet?.facts.get('b')?.value.facts.sysctls?.['net.core.somaxconn']).toBe('3000');
  });

  it('reports a named facts file that does not exist', () => {
    const dir = make({ 'fleet.yaml': 'kind: fleet\nhosts:\n  a: { facts: nope.json }\n' });
    expect(loadFleet(path.join(dir, 'fleet.yaml')).problems).toEqual([expect.objectContaining({ code: 'TCPMEM_FACTS_MISSING', path: '/hosts/a/facts' })]);
  });

  it.each([
    ['empty', {}],
    ['holding only a .gitkeep', { 'facts/.gitkeep': '' }],
    ['holding only a README and an empty folder', { 'facts/README.md': '# discovered facts\n', 'facts/old/.keep': '' }],
  ])('reads a facts folder with no facts in it yet (%s) as no facts, beside a fleet file', (_what, extra: Record<string, string>) => {
    const dir = make({ 'fleet.yaml': 'kind: fleet\nhosts:\n  a: { hardware: { kernel: 6.1.0-26-amd64, memory: 8GiB } }\n', ...extra });
    fs.mkdirSync(path.join(dir, 'facts'), { recursive: true });
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(load.problems).toEqual([]);
    expect(load.fleet?.hosts.map((h) => h.name)).toEqual(['a']);
    expect(load.fleet?.facts.size).toBe(0);
  });

  it('notes, once, the facts files of hosts the fleet does not define (renamed, removed, copied), at the first of them', () => {
    const dir = make({
      'fleet.yaml': 'kind: fleet\nhosts:\n  web-01: {}\n  web-2: {}\n',
      'facts/web-1.json': facts('web-1', '1000'),
      'facts/web-2.json': facts('web-2', '1000'),
      // copied to seed a new host: it still says web-2, and the newer web-2.json wins as before
      'facts/web-3.json': JSON.stringify({ kind: 'facts', host: 'web-2', capturedAt: '2026-10-01T00:00:00Z', facts: {} }),
      'facts/old/db-1.json': facts('db-1', '1000'),
    });
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(load.problems).toEqual([
      // the copy says web-2 too: which of the two captures is used is said (the later one)
      expect.objectContaining({ code: 'TCPMEM_FACTS_DUPLICATE', severity: 'warning', path: '/host' }),
      expect.objectContaining({
        code: 'TCPMEM_FACTS_UNUSED',
        severity: 'note',
        message: '2 facts files are for hosts the fleet does not define (db-1, web-1); no host uses them',
        file: path.join(dir, 'facts/old/db-1.json'),
        path: '/host',
      }),
    ]);
    expect([...(load.fleet?.facts.keys() ?? [])].sort()).toEqual(['db-1', 'web-1', 'web-2']);
    expect(locateProblems(load.problems, load.documents)[0]).toMatchObject({ line: 1, column: expect.any(Number) });
  });

  it.each([
    ['the copy captured earlier', '2026-10-01T00:00:00Z', 'web-1.json', 'web-1-copy.json'],
    ['a copy whose clock ran ahead', '2099-01-01T00:00:00Z', 'web-1-copy.json', 'web-1.json'],
  ])('warns of two facts files for one host (%s), naming the one used, at the other', (_what, copyAt, used, other) => {
    const dir = make({
      'fleet.yaml': 'kind: fleet\nhosts:\n  web-1: {}\n',
      'facts/web-1.json': JSON.stringify({ kind: 'facts', host: 'web-1', capturedAt: '2026-11-20T00:00:00Z', facts: {} }),
      'facts/web-1-copy.json': JSON.stringify({ kind: 'facts', host: 'web-1', capturedAt: copyAt, facts: {} }),
    });
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(load.problems).toEqual([
      expect.objectContaining({
        code: 'TCPMEM_FACTS_DUPLICATE',
        severity: 'warning',
        message: expect.stringContaining(`the later capture (${copyAt < '2026-11-20' ? '2026-11-20T00:00:00Z' : copyAt}, ${path.join(dir, 'facts', used)}) is used`) as unknown,
        file: path.join(dir, 'facts', other),
      }),
    ]);
    expect(load.fleet?.facts.get('web-1')?.origin.file).toBe(path.join(dir, 'facts', used));
  });

  it('lists five unused hosts and counts the rest, and says nothing when every facts file has its host', () => {
    const gone = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`facts/gone-${i}.json`, facts(`gone-${i}`, '1')]));
    const load = loadFleet(path.join(make({ 'fleet.yaml': 'kind: fleet\nhosts: { a: {} }\n', 'facts/a.json': facts('a', '1'), ...gone }), 'fleet.yaml'));
    expect(load.problems.map((p) => p.message)).toEqual(['7 facts files are for hosts the fleet does not define (gone-0, gone-1, gone-2, gone-3, gone-4 and 2 more); no host uses them']);
    const one = loadFleet(path.join(make({ 'fleet.yaml': 'kind: fleet\nhosts: { a: {} }\n', 'facts/b.json': facts('b', '1') }), 'fleet.yaml'));
    expect(one.problems.map((p) => p.message)).toEqual(['a facts file is for a host the fleet does not define (b); no host uses it']);
    const used = loadFleet(path.join(make({ 'fleet.yaml': 'kind: fleet\nhosts: { a: {}, b: { facts: b.json } }\n', 'facts/a.json': facts('a', '1'), 'b.json': facts('b', '1') }), 'fleet.yaml'));
    expect(used.problems).toEqual([]);
  });

  it('says how to write a facts file again that cannot be read (cut short), naming its host', () => {
    const dir = make({ 'fleet.yaml': 'kind: fleet\nhosts: { web-1: {} }\n', 'facts/web-1.json': facts('web-1', '1000').slice(0, 40) });
    const target = path.join(dir, 'fleet.yaml');
    const load = loadFleet(target);
    expect(load.problems.length).toBeGreaterThan(0);
    for (const p of load.problems) expect(p).toMatchObject({ code: 'TCPMEM_SYNTAX', file: path.join(dir, 'facts/web-1.json'), hint: expect.stringContaining(`\`tcpmem discover ${target} --target web-1\``) });
  });

  it.each([
    ['a fleet file, its facts/ beside it', 'fleet.yaml'],
    ['a config folder, its facts/ inside', '.'],
  ])('reads no facts file when told not to (discover): %s, and a broken one does not stop it', (_what, target) => {
    const dir = make({
      'fleet.yaml': 'kind: fleet\nhosts:\n  web-1: {}\n  web-2: { facts: named/web-2.json }\n',
      'facts/web-1.json': facts('web-1', '1000').slice(0, 40),
      'facts/web-3.json': facts('web-3', '1000'),
      'named/web-2.json': facts('web-2', '1000'),
    });
    const load = loadFleet(path.join(dir, target), { facts: false });
    expect(load.problems).toEqual([]);
    expect(load.fleet?.hosts.map((h) => h.name)).toEqual(['web-1', 'web-2']);
    expect(load.fleet?.facts.size).toBe(0);
    expect(load.files.filter((file) => file.includes(`${path.sep}facts${path.sep}`))).toEqual([]);
  });

  it('still refuses a config folder with no config file in it', () => {
    const dir = make({ 'README.md': 'not a config\n' });
    expect(() => loadFleet(dir)).toThrow(/no \.yaml, \.yml or \.json file in this folder/);
  });

  it('says nothing more than the schema error when the only fleet file is invalid', () => {
    const dir = make({ 'fleet.yaml': 'kind: fleet\nhosts: 7\n' });
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(load.fleet).toBeUndefined();
    expect(load.problems.map((p) => p.code)).toEqual(['TCPMEM_SCHEMA']);
  });

  it('refuses includes and facts files that leave the config repo, unless allowed', () => {
    const outside = make({ 'shadow.yaml': 'kind: fleet\nhosts: { intruder: {} }\n', 'x-facts.json': facts('a', '1') });
    const dir = make({ 'fleet.yaml': `kind: fleet\ninclude: ["${path.join(outside, 'shadow.yaml')}", "../${path.basename(outside)}/shadow.yaml"]\nhosts:\n  a: { facts: "${path.join(outside, 'x-facts.json')}" }\n` });
    const refused = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(refused.problems.map((p) => [p.code, p.path])).toEqual([
      ['TCPMEM_PATH_OUTSIDE_ROOT', '/include/0'],
      ['TCPMEM_PATH_OUTSIDE_ROOT', '/include/1'],
      ['TCPMEM_PATH_OUTSIDE_ROOT', '/hosts/a/facts'],
    ]);
    expect(refused.fleet?.hosts.map((h) => h.name)).toEqual(['a']);
    const allowed = loadFleet(path.join(dir, 'fleet.yaml'), { allowOutsideRoot: true });
    expect(allowed.problems).toEqual([]);
    expect(allowed.fleet?.hosts.map((h) => h.name)).toEqual(['a', 'intruder']);
  });

  it('follows a symlinked config file inside the repo once, and reports one that leads out of it', () => {
    const outside = make({ 'far.yaml': 'kind: fleet\nhosts: { far: {} }\n' });
    const dir = make({ 'shared/hosts.yaml': 'kind: fleet\nhosts: { web-1: {} }\n', 'cfg/fleet.yaml': 'kind: fleet\nhosts: { web-2: {} }\n' });
    fs.symlinkSync('../shared/hosts.yaml', path.join(dir, 'cfg/hosts.yaml'));
    fs.symlinkSync(path.join(outside, 'far.yaml'), path.join(dir, 'cfg/far.yaml'));
    fs.symlinkSync('nowhere.yaml', path.join(dir, 'cfg/broken.yaml'));
    const whole = loadFleet(dir);
    expect(whole.fleet?.hosts.map((h) => h.name)).toEqual(['web-1', 'web-2']); // hosts.yaml read once, not twice
    expect(whole.problems.map((p) => [p.code, path.basename(p.file ?? '')])).toEqual([
      ['TCPMEM_FILE_UNREADABLE', 'broken.yaml'],
      ['TCPMEM_PATH_OUTSIDE_ROOT', 'far.yaml'],
    ]);
    // the repo is the folder planned: cfg/ alone does not reach shared/
    const cfg = loadFleet(path.join(dir, 'cfg'));
    expect(cfg.problems.map((p) => [p.code, path.basename(p.file ?? '')])).toEqual([
      ['TCPMEM_FILE_UNREADABLE', 'broken.yaml'],
      ['TCPMEM_PATH_OUTSIDE_ROOT', 'far.yaml'],
      ['TCPMEM_PATH_OUTSIDE_ROOT', 'hosts.yaml'],
    ]);
  });

  it('reads only facts documents from a facts folder', () => {
    const dir = make({ 'fleet.yaml': 'kind: fleet\nhosts: { a: {} }\n', 'facts/a.json': facts('a', '1000'), 'facts/oops.yaml': 'kind: fleet\nhosts: { intruder: {} }\n' });
    for (const target of [path.join(dir, 'fleet.yaml'), dir]) {
      const load = loadFleet(target);
      expect(load.fleet?.hosts.map((h) => h.name)).toEqual(['a']);
      expect(load.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_FACTS_KIND', path: '/kind', file: expect.stringMatching(/facts\/oops\.yaml$/) })]);
    }
  });
});
