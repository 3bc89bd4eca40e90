import { Scalar } from 'yaml';
import { parseSource, pointerSegments, toPointer } from './source-document';

/** What a parse gave: the value, or the first problem where it is. */
function outcome(result: ReturnType<typeof parseSource>): unknown {
  if (result.ok) return { value: result.document.value };
  const [first] = result.problems;
  return { refused: `${String(first?.line)}:${String(first?.column)} ${first?.message ?? ''}` };
}

describe('parseSource', () => {
  it.each([
    ['flow sequences', `deep: ${'['.repeat(150)}${']'.repeat(150)}\n`],
    ['flow mappings', `deep: ${'{a: '.repeat(1000)}${'}'.repeat(1000)}\n`],
    ['block sequences', `deep:\n${Array.from({ length: 600 }, (_v, i) => `${' '.repeat(2 * i + 2)}-`).join('\n')} x\n`],
  ])('refuses %s nested more than 100 deep, at the first too deep, however much stack is left', (_what, text) => {
    const result = parseSource('deep.yaml', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_SYNTAX', message: 'nested more than 100 collections deep', line: expect.any(Number) as number })]);
  });
});

describe('parseSource reads YAML 1.2 (core schema) as the yaml library reads it', () => {
  it.each([
    ['0b101, not an integer in YAML 1.2', 'cpus: 0b101\n', { cpus: '0b101' }],
    ['!!float 5, a string as yaml reads it', 'cpus: !!float 5\n', { cpus: '5' }],
    ['+.5, a float', 'x: +.5\n', { x: 0.5 }],
    ['yes after %YAML 1.1, a boolean', '%YAML 1.1\n---\nfiveLevelPaging: yes\n', { fiveLevelPaging: true }],
    ['yes without it, a string', 'fiveLevelPaging: yes\n', { fiveLevelPaging: 'yes' }],
    ['CR line ends, line breaks', 'kind: hardware\rhardware:\r  kernel: "6.1"\r  cpus: 2\r', { kind: 'hardware', hardware: { kernel: '6.1', cpus: 2 } }],
    ['a lone CR in a quoted value, a line break', 'a: "x\r y"\n', { a: 'x y' }],
    ['an empty file, null', '', null],
    ['a null key, the key ""', '~: 1\n', { '': 1 }],
    ['a flow sequence key, as yaml writes it', '[a, b]: 1\n', { '[ a, b ]': 1 }],
    ['an empty item of a nested sequence, its own item', '- -\n- x\n', [[null], 'x']],
    ['1e400, Infinity', 'x: 1e400\n', { x: Infinity }],
    ['an anchor and its alias', 'a: &x [1, 2]\nb: *x\n', { a: [1, 2], b: [1, 2] }],
    ['numbers in every core form', 'a: [0, -1, +2, 0o17, 0x1F, 1.5, .5, -1e3, .inf, -.inf]\nb: [true, False, null, ~, on]\n', { a: [0, -1, 2, 15, 31, 1.5, 0.5, -1000, Infinity, -Infinity], b: [true, false, null, null, 'on'] }],
  ])('reads %s', (_what, text, value) => {
    expect(outcome(parseSource('f.yaml', text))).toEqual({ value });
  });

  it.each([
    ['a quoted value continued at the indentation of its key', 'a: "x\ny"\n', '1:6 Missing closing "quote'],
    ['a flow sequence continued at the indentation of its key', 'a: [1,\n2]\n', '2:1 Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['a comment right after a quoted value', 'a: "x"#c\n', '1:7 Comments must be separated from other tokens by white space characters'],
    ['a key over 1024 characters', `${'k'.repeat(1100)}: 1\n`, '1:1 The : indicator must be at most 1024 chars after the start of an implicit block mapping key'],
    ['a sequence on the document start line', '--- - a\n', '1:5 Block collection cannot start on same line with directives-end marker'],
    ['a block scalar whose first lines are more indented', 'a: >\n    \n  x\n', '3:3 Block scalars with more-indented leading empty lines must use an explicit indentation indicator'],
    ['a tab as indentation', 'a:\n\tb: 1\n', '2:1 Tabs are not allowed as indentation'],
    ['collections nested more than 100 deep', `deep: ${'['.repeat(150)}${']'.repeat(150)}\n`, '1:107 nested more than 100 collections deep'],
    ['1 and "1" as keys of one mapping (one name once read)', 'hosts:\n  1: {}\n  "1": {}\n', '3:3 key "1" is the same name as the earlier key 1 of this mapping: it would silently replace it'],
    ['true and "true" as keys', 'true: 1\n"true": 2\n', '2:1 key "true" is the same name as the earlier key true of this mapping: it would silently replace it'],
    ['~ and "" as keys', '~: 1\n"": 2\n', '2:1 key "" is the same name as the earlier key ~ of this mapping: it would silently replace it'],
    ['1 and "1" as keys of a flow mapping', '{1: a, "1": b}\n', '1:8 key "1" is the same name as the earlier key 1 of this mapping: it would silently replace it'],
    ['an alias to an anchor that does not exist, at the alias', 'a: 1\nb: *nowhere\n', '2:4 Unresolved alias (the anchor must be set before the alias): nowhere'],
    ['an alias inside the value it names, at the alias', 'a: &x { atLeast: *x }\n', '1:18 an alias refers to a value that contains it'],
  ])('refuses %s, where it is', (_what, text, refused) => {
    expect(outcome(parseSource('f.yaml', text))).toEqual({ refused });
  });

  it('names both keys that read as one name, each place where it is, and every such pair', () => {
    const result = parseSource('f.yaml', 'hosts:\n  1: {}\n  "1": {}\n  web: {}\n  true: {}\n  "true": {}\n');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => [p.code, p.line, p.column, p.message])).toEqual([
        ['TCPMEM_SYNTAX', 3, 3, 'key "1" is the same name as the earlier key 1 of this mapping: it would silently replace it'],
        ['TCPMEM_SYNTAX', 6, 3, 'key "true" is the same name as the earlier key true of this mapping: it would silently replace it'],
      ]);
    }
    // Different names stay different: 1.0 reads as the name "1", not "1.0".
    expect(outcome(parseSource('f.yaml', '1.0: a\n"1.0": b\n'))).toEqual({ value: { 1: 'a', '1.0': 'b' } });
  });

  it('locates a problem of a file with CR line ends in the text read, counting lines by LF as tcpmem does', () => {
    const text = 'kind: hardware\rhardware:\r  kernel: "6.1"\r  cpus: 0b101\r';
    const result = parseSource('f.yaml', text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.document.locate('/hardware/cpus')).toEqual({ line: 1, column: text.indexOf('0b101') + 1 });
    const mixed = parseSource('f.yaml', 'kind: hardware\nhardware:\r  cpus: [\n');
    expect(mixed.ok).toBe(false);
    if (!mixed.ok) expect(mixed.problems[0]).toMatchObject({ line: 3 });
  });

  it.each([
    ['in YAML, at the key', 'kind: fleet\nhosts:\n  a: {}\n  a: {}\n', { line: 4, column: 3 }],
    ['in JSON, at the key', '{"kind": "fleet",\n "hosts": {"a": {}, "a": {}}}', { line: 2, column: 21 }],
    ['after an empty value, at the end of the line before', 'kind: fleet\nhosts:\n  a:\n  a:\n', { line: 3, column: 5 }],
  ])('reports a repeated key %s, as yaml does', (_what, text, at) => {
    const result = parseSource('dup.yaml', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_SYNTAX', message: 'Map keys must be unique', ...at })]);
  });
});

describe('parseSource reads a .json file as JSON (JSON.parse), located by the yaml library', () => {
  it.each([
    ['after a string that ends in an escaped backslash', '{"a": "x\\\\", "b": 1, "b": 2}'],
    ['after a string with an escaped quote and colons in it', '{"a": "x\\": \\"y:", "b": 1, "b": 2}'],
    ['after a string of only escapes', '{"a": "\\\\\\"\\\\", "b": {"c": 1, "c": 2}}'],
    ['in an object in an array', '{"a": [1, "x", {"b": 1, "b": 2}]}'],
    ['in the last of several objects', '{"a": {"x": 1}, "b": [{"y": 1}, {"y": 2}], "c": {"d": {"e": 1, "e": 1}}}'],
    ['after a branch nested 100 deep (which is allowed)', `{"deep": ${'['.repeat(99)}{"x": 1}${']'.repeat(99)}, "b": 1, "b": 2}`],
    ['of an object in arrays of arrays', '[[[{"k": null, "k": null}]]]'],
  ])('finds a repeated key %s', (_what, text) => {
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    const result = parseSource('f.json', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: 'TCPMEM_SYNTAX', message: 'Map keys must be unique' });
  });

  it.each([
    ['an object', '{"kind": "fleet", "hosts": {"a": {"address": "a.example", "groups": ["x"]}}}', { kind: 'fleet', hosts: { a: { address: 'a.example', groups: ['x'] } } }],
    ['escapes and numbers', '{"s": "t\\u0061b\\t\\/", "n": [1e400, -0.5, 10]}', { s: 'tab\t/', n: [Infinity, -0.5, 10] }],
    ['objects in arrays, nested 100 deep', `{"deep": ${'['.repeat(98)}{"x": {}}${']'.repeat(98)}}`, { deep: JSON.parse(`${'['.repeat(98)}{"x": {}}${']'.repeat(98)}`) as unknown }],
    ['a __proto__ key, as an own member', '{"__proto__": {"a": 1}, "b": [{}, []]}', JSON.parse('{"__proto__": {"a": 1}, "b": [{}, []]}') as unknown],
  ])('reads %s', (_what, text, value) => {
    expect(outcome(parseSource('f.json', text))).toEqual({ value });
  });

  it.each([
    ['a trailing comma', '{"a": 1,}', 1, 9],
    ['a key without quotes', '{a: 1}', 1, 2],
    ['a comment', '{"a": 1 // why\n}', 1, 9],
    ['an empty file', '', 1, 1],
  ])('refuses YAML that is not JSON (%s), where JSON.parse stops, with a hint', (_what, text, line, column) => {
    const result = parseSource('f.json', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([{ code: 'TCPMEM_SYNTAX', severity: 'error', message: expect.stringMatching(/^not valid JSON: /) as string, file: 'f.json', line, column, hint: expect.stringMatching(/rename the file \.yaml/) as string }]);
  });

  it.each([
    ['a flow sequence left open', '{"a": [1, 2}\n', '1:12 Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['a key written twice, at the key', '{"kind": "fleet",\n "hosts": {"a": {}, "a": {}}}', '2:21 Map keys must be unique'],
    ['a key written twice with different escapes', '{"a": 1, "\\u0061": 2}', '1:10 Map keys must be unique'],
    ['collections nested more than 100 deep', `{"deep": ${'['.repeat(150)}${']'.repeat(150)}}`, '1:110 nested more than 100 collections deep'],
  ])('refuses %s as in YAML, where it is', (_what, text, refused) => {
    expect(outcome(parseSource('f.json', text))).toEqual({ refused });
  });

  it('refuses JSON nested thousands deep with a syntax problem, not a stack overflow', () => {
    const result = parseSource('f.json', `${'['.repeat(20000)}${']'.repeat(20000)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: 'TCPMEM_SYNTAX', line: 1 });
  });

  it('locates a value and a key of a JSON file', () => {
    const result = parseSource('f.json', '{\n  "kind": "fleet",\n  "hosts": {\n    "a": { "address": 7 }\n  }\n}\n');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.locate('/hosts/a/address')).toEqual({ line: 4, column: 23 });
    expect(result.document.locate('/hosts/a/address', { key: true })).toEqual({ line: 4, column: 12 });
    expect(result.document.locate('/hosts/b')).toEqual({ line: 3, column: 12 });
  });
});

/** How many times `work` reads the value of a YAML scalar node: comparing two keys reads two. */
function scalarReads(work: () => void): number {
  let reads = 0;
  const values = new WeakMap<object, unknown>();
  const prototype = Scalar.prototype as { value?: unknown };
  // The constructor assigns `this.value`, so the setter takes it and every read goes through the getter.
  Object.defineProperty(prototype, 'value', {
    configurable: true,
    get(this: object) {
      reads += 1;
      return values.get(this);
    },
    set(this: object, value: unknown) {
      values.set(this, value);
    },
  });
  try {
    work();
  } finally {
    delete prototype.value;
  }
  return reads;
}

const fleetOf = (hosts: number, extra = ''): string => `kind: fleet\nhosts:\n${Array.from({ length: hosts }, (_v, i) => `  h${String(i)}: { adress: 192.0.2.1 }\n`).join('')}${extra}`;

describe('parseSource on a mapping of n keys does O(n) work, not O(n²) (counted in key reads, not timed)', () => {
  it('locates a problem on each of n hosts', () => {
    const locateAll = (hosts: number): number =>
      scalarReads(() => {
        const parsed = parseSource('fleet.yaml', fleetOf(hosts));
        if (!parsed.ok) throw new Error('a valid YAML file was refused');
        for (let i = 0; i < hosts; i += 1) parsed.document.locate(`/hosts/h${String(i)}/adress`, { key: true });
      });
    const reads = locateAll(1000);
    expect(reads).toBeGreaterThan(1000);
    expect(locateAll(2000)).toBeLessThan(2.5 * reads);
  });

  it('finds a repeated key among n', () => {
    const check = (hosts: number): number =>
      scalarReads(() => {
        const parsed = parseSource('fleet.yaml', fleetOf(hosts, '  h0: {}\n'));
        if (parsed.ok) throw new Error('the repeated key was not found');
      });
    const reads = check(1000);
    expect(reads).toBeGreaterThan(1000);
    expect(check(2000)).toBeLessThan(2.5 * reads);
  });
});

describe('toPointer', () => {
  it.each<[readonly (string | number)[], string]>([
    [[], ''],
    [['hosts', 'web-1', 'hardware'], '/hosts/web-1/hardware'],
    [['groups', 0], '/groups/0'],
    [[''], '/'],
    [['a/b', '~c', '~1', '/~0', 'x~/y'], '/a~1b/~0c/~01/~1~00/x~0~1y'],
  ])('writes %j as %j, escaping ~ before /', (segments, pointer) => {
    expect(toPointer(segments)).toBe(pointer);
    // pointerSegments reads "/" as the root, as locate always has.
    if (pointer !== '/') expect(pointerSegments(pointer)).toEqual(segments.map(String));
  });
});

describe('parseSource on a file a git merge left a conflict in', () => {
  const conflicted = (ours: string, theirs: string): string => `<<<<<<< HEAD\n${ours}=======\n${theirs}>>>>>>> discover-run\n`;
  it.each([
    ['a facts file (JSON), whole', 'facts/web-1.json', conflicted('{"kind": "facts", "host": "web-1"}\n', '{"kind": "facts", "host": "web-1", "capturedAt": "x"}\n'), 1],
    ['a fleet file, in its hosts', 'fleet.yaml', `kind: fleet\nhosts:\n${conflicted('  web-1: { address: 10.0.0.1 }\n', '  web-1: { address: 10.0.0.2 }\n')}`, 3],
    ['a fleet file, a diff3 conflict', 'fleet.yaml', 'kind: fleet\ndefaults:\n<<<<<<< ours\n  sysctls: {}\n||||||| base\n=======\n  sysctls: { net.core.somaxconn: 4096 }\n>>>>>>> theirs\n', 3],
  ])('says so once, at the first marker line: %s', (_what, file, text, line) => {
    const result = parseSource(file, text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toEqual([
        { code: 'TCPMEM_SYNTAX', severity: 'error', message: 'an unresolved merge conflict: a `<<<<<<<` line that git left here', file, line, column: 1, hint: expect.stringMatching(/^Resolve the conflict/) as string },
      ]);
    }
  });

  it('reads a file that only mentions such a line inside a value, and reports other syntax errors as before', () => {
    expect(outcome(parseSource('fleet.yaml', 'kind: fleet\nname: |\n  <<<<<<< HEAD\n'))).toEqual({ value: { kind: 'fleet', name: '<<<<<<< HEAD\n' } });
    expect(outcome(parseSource('f.json', '{"a": [1, 2}\n<<<<<<<x\n'))).toEqual({ refused: '1:12 Flow sequence in block collection must be sufficiently indented and end with a ]' });
  });
});
