import { parseDocument, type Document } from 'yaml';
import { documentShape } from './document-shape';
import { plainReading } from './plain-document';
import { withPlainEnv } from './plain-env';
import { indexPositions } from './source-positions';

const yamlOptions = { prettyErrors: false, uniqueKeys: false, strict: true, logLevel: 'error' } as const;

/** As parseSource parses a YAML file (a lone CR read as a line break). */
function parsed(text: string): Document {
  return withPlainEnv(() => parseDocument(text.replace(/\r(?!\n)/g, '\n'), yamlOptions));
}

/**
 * The first difference between two values, as strictly as a reader could tell them apart: the same primitives
 * (`Object.is`), the same prototypes, the same own keys in the same order, with the same descriptors.
 */
function difference(a: unknown, b: unknown, path = ''): string | undefined {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? undefined : `${path}: ${String(a)} against ${String(b)}`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: another prototype`;
  const keys = Reflect.ownKeys(a);
  const others = Reflect.ownKeys(b);
  if (keys.length !== others.length || keys.some((key, i) => key !== others[i])) return `${path}: keys ${keys.map(String).join()} against ${others.map(String).join()}`;
  for (const key of keys) {
    const mine = Object.getOwnPropertyDescriptor(a, key)!;
    const theirs = Object.getOwnPropertyDescriptor(b, key)!;
    if (mine.writable !== theirs.writable || mine.enumerable !== theirs.enumerable || mine.configurable !== theirs.configurable) return `${path}/${String(key)}: another descriptor`;
    const found = difference(mine.value, theirs.value, `${path}/${String(key)}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Checks one text: when plainReading answers, the full checks find nothing (no error, nothing too deep, no alias, no
 * repeated or colliding key) and its answer is toJS's value and indexPositions' positions; true when it answered.
 */
function checkedReading(text: string): boolean {
  const doc = parsed(text);
  const reading = plainReading(doc, text);
  if (reading === undefined) return false;
  expect(doc.errors).toEqual([]);
  expect(documentShape(doc)).toEqual({ tooDeep: undefined, firstAlias: undefined, repeatedKeys: 0, collisions: [] });
  expect(difference(reading.value, doc.toJS({ maxAliasCount: 100 }))).toBeUndefined();
  expect(reading.positions).toEqual(indexPositions(doc, text));
  return true;
}

const deep = (levels: number): string => `deep: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;

describe('plainReading', () => {
  it.each([
    ['block mappings and sequences', 'kind: fleet\nhosts:\n  web-1:\n    address: 192.0.2.1\n    groups:\n      - web\n    hardware: { nodes: [64GiB, 64GiB], cpus: 2 }\n'],
    ['every core scalar', 'a: [0, -1, +2, 0o17, 0x1F, 1.5, .5, -1e3, .inf, -.inf, .nan, 1e400]\nb: [true, False, null, ~, on, "", \'q\']\n'],
    ['numbers, booleans and quoted text as keys', '1: a\n"2": b\ntrue: c\n1.5: d\n0x10: e\n-0.0: f\n.inf: g\n'],
    ['inherited names as keys, as own members', '__proto__: { a: 1 }\ntoString: x\nconstructor: [1]\nhasOwnProperty: ~\n'],
    ['<< as an ordinary key (YAML 1.2)', '<<: { a: 1 }\nb: 2\n'],
    ['anchors without aliases', 'a: &x { b: 1 }\nc: &y [1]\n'],
    ['tags that read as core values, and unknown ones', 'a: !!str 1\nb: !!int "2"\nc: !!map { d: 1 }\ne: !custom { f: 1 }\ng: !!binary aGk=\nh: !!timestamp 2001-12-14\n'],
    ['keys without values, and empty values', 'a:\n? b\nc: [~, ""]\nd: {e, f: }\n'],
    ['empty collections', 'a: {}\nb: []\nc: [[], {}]\n'],
    ['a top-level sequence', '- a\n- {b: 1}\n'],
    ['a top-level scalar', 'just text\n'],
    ['an empty file', ''],
    ['only a comment', '# nothing\n'],
    ['a byte-order mark', '\uFEFFkind: fleet\nhosts: {}\n'],
    ['CRLF and lone CR line ends', 'a:\r\n  b: 1\rc: [x]\r\n'],
    ['collections nested 100 deep (which is allowed)', deep(100)],
    ['many keys in one mapping', Array.from({ length: 300 }, (_v, i) => `h${String(i)}: { address: x, groups: [g] }\n`).join('')],
    [
      'a mapping of named entries (over 64 keys) whose names are also other mappings\' keys, numbers, booleans and inherited names',
      `address: { address: x }\n1: { 1: y }\ntrue: z\n__proto__: { __proto__: 1 }\ntoString: t\n${Array.from({ length: 100 }, (_v, i) => `h${String(i)}: { address: x, h${String(i)}: [g] }\n`).join('')}`,
    ],
  ])('reads %s in one walk, as toJS and the index read it', (_what, text) => {
    expect(checkedReading(text)).toBe(true);
  });

  it.each([
    ['collections nested 101 deep', deep(101)],
    ['collections nested 5,000 deep', deep(5000)],
    ['a repeated key', 'a: 1\na: 2\n'],
    ['a repeated key deep down', 'a: { b: [ { c: 1, c: 1 } ] }\n'],
    ['a repeated key among named entries (over 64 keys)', `${Array.from({ length: 100 }, (_v, i) => `h${String(i)}: ${String(i)}\n`).join('')}h7: again\n`],
    ['1 and "1" among named entries (over 64 keys)', `${Array.from({ length: 100 }, (_v, i) => `h${String(i)}: ${String(i)}\n`).join('')}1: a\n"1": b\n`],
    ['1 and "1" as keys', '1: a\n"1": b\n'],
    ['0x10 and 16 as keys', '0x10: a\n16: b\n'],
    ['0 and -0 as keys', '0: a\n-0: b\n'],
    ['.nan twice as a key', '.nan: a\n.nan: b\n'],
    ['null as a key', '~: a\n'],
    ['null and "null" as keys', '~: a\n"null": b\n'],
    ['a collection as a key', '[a, b]: 1\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['an alias as a key', 'a: &x k\n*x : 1\n'],
    ['an alias to nothing', 'a: *nowhere\n'],
    ['an alias inside the value it names', 'a: &x { atLeast: *x }\n'],
    ['an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_v, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]\n`).join('')}`],
    ['a merge key (YAML 1.1)', '%YAML 1.1\n---\nbase: &b { x: 1 }\nhost: { <<: *b, y: 2 }\n'],
    ['an ordinary mapping under YAML 1.1, whose schema merges keys', '%YAML 1.1\n---\na: 1\n'],
    ['a !!merge key', 'a: { !!merge <<: { x: 1 } }\n'],
    ['a !!set', 'a: !!set { x, y }\n'],
    ['a !!omap', 'a: !!omap [ x: 1, y: 2 ]\n'],
    ['a !!pairs', 'a: !!pairs [ x: 1, x: 2 ]\n'],
    ['a !!timestamp key', '!!timestamp 2001-12-14: a\n'],
    ['a !!binary key', '!!binary aGk=: a\n'],
    ['a syntax error', 'a: [1,\n'],
    ['a tab as indentation', 'a:\n\tb: 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
  ])('leaves %s to the full checks', (_what, text) => {
    expect(checkedReading(text)).toBe(false);
  });

  it('answers only for documents the full checks find nothing in, and then as they do, over random documents', () => {
    let state = 20261204;
    const random = (n: number): number => {
      // mulberry32: the same documents on every run.
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    // Mostly keys and values a config file has; now and then one of those the full checks are for.
    const plainKeys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'web-1', 'dc-1', '1', '2.5', 'true', '"x y"', "'c~d'", '"a/b"', '0o17', '__proto__', 'toString', '<<', '!!str 7', '&k i'];
    const otherKeys = ['"1"', '01', '1.0', '"true"', 'True', '~', 'null', '""', '0x10', '16', '-0', '0', '.nan', '*k', '[x]', '{y: 1}', '!!binary aGk=', '!!merge <<', '!!timestamp 2001-12-14'];
    const plainScalars = ['1', 'x', '~', '"q"', "'s'", '-1.5e3', '.inf', 'true', 'no', '&v 1', '!!binary aGk=', '!!timestamp 2001-12-14', '!!str 2', '', '"a: b"', '6.1.0-26-amd64', '64GiB'];
    const otherScalars = ['*v', '*k', '*nowhere', '[1,', '"open'];
    const key = (): string => (random(8) === 0 ? pick(otherKeys) : pick(plainKeys));
    const scalar = (): string => (random(30) === 0 ? pick(otherScalars) : pick(plainScalars));
    const value = (depth: number): string => {
      const kind = random(depth > 4 ? 1 : 6);
      if (kind === 0) return scalar();
      const tag = random(20) === 0 ? `${pick(['!!set', '!!omap', '!!pairs', '!!map', '!!seq', '&c', '!x'])} ` : '';
      if (kind < 4) return `${tag}{${Array.from({ length: random(4) }, () => `${key()}: ${value(depth + 1)}`).join(', ')}}`;
      return `${tag}[${Array.from({ length: random(4) }, () => (random(20) === 0 ? `${key()}: ${value(depth + 1)}` : value(depth + 1))).join(', ')}]`;
    };
    const document = (): string => {
      const version = random(20) === 0 ? '%YAML 1.1\n---\n' : '';
      const nested = random(10) === 0 ? `deep: ${deep(98 + random(6)).slice(6)}` : '';
      return `${version}${Array.from({ length: 1 + random(5) }, () => `${key()}: ${value(0)}\n`).join('')}${nested}`;
    };
    let read = 0;
    let left = 0;
    for (let i = 0; i < 2000; i += 1) {
      const text = document();
      try {
        if (checkedReading(text)) read += 1;
        else left += 1;
      } catch (error) {
        throw new Error(`${text}\n${(error as Error).message}`);
      }
    }
    // Both ways are taken often: many plain documents are compared, and the generator makes what the checks are for.
    expect(read).toBeGreaterThan(400);
    expect(left).toBeGreaterThan(400);
  });
});
