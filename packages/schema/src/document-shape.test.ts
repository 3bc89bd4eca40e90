import { parseDocument, type Node } from 'yaml';
import { documentShape, repeatedKeyErrors } from './document-shape';

const options = { prettyErrors: false, strict: true, logLevel: 'error' } as const;

/** The errors as [code, offset, message], in order: from yaml's own check, and from repeatedKeyErrors. */
function yamlErrors(text: string): [string, number, string][] {
  return parseDocument(text, { ...options, uniqueKeys: true }).errors.map((error) => [error.code, error.pos[0], error.message]);
}
function ourErrors(text: string): [string, number, string][] {
  const doc = parseDocument(text, { ...options, uniqueKeys: false });
  return repeatedKeyErrors(text, doc, documentShape(doc).repeatedKeys, { ...options, uniqueKeys: false }).map((error) => [error.code, error.pos[0], error.message]);
}

describe('repeatedKeyErrors', () => {
  it.each([
    ['a block mapping', 'a: 1\nb: 2\na: 3\n'],
    ['a flow mapping', '{a: 1, b: 2, a: 3}'],
    ['JSON', '{"a": 1,\n "a": 2}'],
    ['a nested mapping', 'x:\n  a: 1\n  # comment\n  a: 2\n'],
    ['the same key in two mappings (not a repeat)', 'x: {a: 1}\ny: {a: 1}\n'],
    ['a key after an empty value (yaml: at the end of the line before)', 'a:\nb:\na:\n'],
    ['quoted and plain spellings of one string', '"a": 1\n\'a\': 2\na: 3\n'],
    ['1 and "1" (not a repeat)', '1: a\n"1": b\n'],
    ['1, 1.0 and 0x1 (one number)', '1: a\n1.0: b\n0x1: c\n'],
    ['.nan twice (not a repeat: NaN is not NaN)', '.nan: a\n.nan: b\n'],
    ['null spelled three ways', '~: a\nnull: b\n: c\n'],
    ['tagged and anchored keys', '!!str a: 1\n&x a: 2\n'],
    ['explicit keys', '? a\n: 1\n? a\n: 2\n'],
    ['keys without values in a flow mapping', '{a, b, a}'],
    ['a set', '--- !!set\n? a\n? a\n'],
    ['a repeat next to other errors', 'a: 1\na: [2\nb: "x\n'],
    ['flow sequence pairs (each its own mapping)', '[a: 1, a: 2]'],
    ['collections as keys (only the same node repeats)', '[x]: 1\n[x]: 2\n'],
  ])('reports the repeats of %s as yaml does: same code, message, place and order', (_what, text) => {
    expect(ourErrors(text)).toEqual(yamlErrors(text));
  });

  it('reports the repeats of generated mappings as yaml does', () => {
    // Keys, values and layouts that move yaml's report (empty values, tags, comments, nesting), mixed by a
    // seeded generator: a few hundred documents, each compared error by error.
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const pick = <T>(items: readonly T[]): T => items[next(items.length)]!;
    const keys = ['a', 'a', 'b', '"a"', '1', '"1"', '1.0', '~', '', '!!str a', '? a', '.nan', '[x]'];
    const values = ['', '', '1', 'x', '{a: 1, a: 2}', '[a: 1]', '|\n  t', '# c', '!!str', '"q"'];
    const mapping = (indent: number, depth: number): string => {
      let text = '';
      for (let i = next(4); i >= 0; i -= 1) {
        if (next(6) === 0) text += `${' '.repeat(indent)}# comment\n`;
        const key = pick(keys);
        if (depth < 2 && next(4) === 0) text += `${' '.repeat(indent)}${key}:\n${mapping(indent + 2, depth + 1)}`;
        else {
          const value = pick(values).replace(/\n {2}/g, `\n${' '.repeat(indent + 2)}`);
          text += `${' '.repeat(indent)}${key}:${value === '' ? '' : ` ${value}`}\n`;
        }
      }
      return text;
    };
    let withRepeats = 0;
    for (let i = 0; i < 400; i += 1) {
      const text = mapping(0, 0);
      const expected = yamlErrors(text);
      if (expected.some(([code]) => code === 'DUPLICATE_KEY')) withRepeats += 1;
      expect([text, ourErrors(text)]).toEqual([text, expected]);
    }
    expect(withRepeats).toBeGreaterThan(100);
  });

  it('returns the document’s own errors when no key repeats', () => {
    const doc = parseDocument('a: [1\n', { ...options, uniqueKeys: false });
    expect(repeatedKeyErrors('a: [1\n', doc, documentShape(doc).repeatedKeys, { ...options, uniqueKeys: false })).toBe(doc.errors);
  });
});

const written = (text: string, node: Node): string => text.slice(node.range?.[0], node.range?.[1]).trim();

/** The shape of a document as plain data: offsets of the nodes found, the collisions as written. */
function shapeOf(text: string): unknown {
  const shape = documentShape(parseDocument(text, { ...options, uniqueKeys: false }));
  return {
    tooDeep: shape.tooDeep?.range?.[0],
    firstAlias: shape.firstAlias?.range?.[0],
    repeatedKeys: shape.repeatedKeys,
    collisions: shape.collisions.map(({ key, earlier }) => `${written(text, key)}@${String(key.range?.[0])} ~ ${written(text, earlier)}`),
  };
}

describe('documentShape', () => {
  it.each([
    ['a plain fleet', 'kind: fleet\nhosts:\n  a: {groups: [x]}\n', {}],
    ['the first alias in document order, keys before values', 'a: &x 1\nb: {*x : *x}\nc: *x\n', { firstAlias: 12 }],
    ['the first collection nested in more than 100 others', `a: ${'['.repeat(102)}${']'.repeat(102)}\nb: ${'['.repeat(120)}${']'.repeat(120)}\n`, { tooDeep: 103 }],
    ['nothing too deep in collections nested 100 deep', `a: ${'['.repeat(100)}${']'.repeat(100)}\n`, {}],
    ['repeated keys, counted in every mapping, keys of keys included', 'a: 1\na: 2\nb: {x: 1, x: 2}\n? {k: 1, k: 2}\n: 3\n', { repeatedKeys: 3 }],
    ['1.0 and 1, one number: a repeat, not a collision', '1.0: a\n1: b\n', { repeatedKeys: 1 }],
    ['.nan twice: never a repeat, but one name', '.nan: a\n.nan: b\n', { collisions: ['.nan@8 ~ .nan'] }],
    ['keys that read as one name, in document order', 'x: {true: 1, "true": 2}\n1: a\n"1": b\n', { collisions: ['"true"@13 ~ true', '"1"@29 ~ 1'] }],
  ])('finds %s', (_what, text, found) => {
    expect(shapeOf(text)).toEqual({ tooDeep: undefined, firstAlias: undefined, repeatedKeys: 0, collisions: [], ...found });
  });
});
