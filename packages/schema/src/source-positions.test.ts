import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseSource, pointerSegments, sourceDocumentFrom, toPointer, type SourceDocument, type SourcePosition } from './source-document';
import type { NodePositions } from './source-positions';

const yamlOptions = {
  prettyErrors: false,
  uniqueKeys: false,
  strict: true,
  logLevel: 'error',
} as const;

/**
 * Where yaml's own Document says a pointer is: its node (or its key), the nearest existing parent when absent.
 * Lines are counted by LF only; a lone CR is read as a line break by the parse (as parseSource does).
 */
function yamlSays(text: string): (pointer: string, key: boolean) => SourcePosition {
  const doc = parseDocument(text.replace(/\r(?!\n)/g, '\n'), yamlOptions);
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
  const at = (node: Node): SourcePosition => {
    const { line, col } = lines.linePos(node.range?.[0] ?? 0);
    return { line, column: col };
  };
  const isNode = (node: unknown): node is Node => typeof node === 'object' && node !== null && 'range' in node;
  return (pointer, key) => {
    const segments = pointerSegments(pointer);
    let node: unknown = doc.contents;
    let found = isNode(node) ? at(node) : { line: 1, column: 1 };
    for (const [index, segment] of segments.entries()) {
      if (isMap(node)) {
        // The first pair whose scalar key reads as this name.
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
        if (pair === undefined) break;
        if (key && index === segments.length - 1 && isNode(pair.key)) return at(pair.key);
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
      } else {
        break;
      }
      if (!isNode(node)) break;
      found = at(node);
    }
    return found;
  };
}

/** Every path into a document, and for each one a child that is not there. */
function pathsOf(text: string): string[][] {
  const doc = parseDocument(text.replace(/\r(?!\n)/g, '\n'), yamlOptions);
  const paths: string[][] = [[], ['nowhere'], ['0']];
  const visit = (node: unknown, path: string[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const child = [...path, String(pair.key.value)];
        paths.push(child, [...child, 'nowhere'], [...child, '0']);
        visit(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = [...path, String(i)];
        paths.push(child, [...child, 'nowhere']);
        visit(item, child);
      });
      paths.push([...path, String(node.items.length)], [...path, '-1'], [...path, '1.5'], [...path, 'x']);
    }
  };
  visit(doc.contents, []);
  return paths;
}

function parsed(file: string, text: string): SourceDocument {
  const result = parseSource(file, text);
  if (!result.ok) throw new Error(`${file} was refused: ${JSON.stringify(result.problems)}`);
  return result.document;
}

const texts: [string, string][] = [
  ['block mappings and sequences', 'kind: fleet\nhosts:\n  web-1:\n    address: 192.0.2.1\n    groups:\n      - web\n      - dc-1\n    hardware:\n      nodes: [64GiB, 64GiB]\n'],
  ['flow style', '{kind: fleet, hosts: {a: {groups: [x, y], hardware: {cpus: 2}}, b: {}}}\n'],
  ['anchors and aliases (an alias is where it is written)', 'presets:\n  base: &base\n    sysctls: { a: 1 }\n  copy: *base\nlist: [&one 1, *one]\n'],
  ['quoted keys, and keys with / and ~', '"a/b": 1\n\'c~d\': { "~1": x, "/": y, "~0/~": z }\n"": empty\n'],
  ['CRLF line ends', 'kind: fleet\r\nhosts:\r\n  a:\r\n    address: x\r\n    groups: [g]\r\n'],
  ['lone CR line ends (one line, as tcpmem counts lines)', 'kind: fleet\rhosts:\r  a:\r    address: x\r'],
  ['empty values and explicit keys', 'a:\nb: ~\n? c\n? d\n: 1\ne: {f, g: }\n'],
  ['non-string and collection keys', '1: one\ntrue: yes\n~: nothing\n[a, b]: list\n{c: d}: map\n1.5: x\n'],
  ['sequences of mappings, and a pair in a flow sequence', 'items:\n  - name: a\n    v: 1\n  - name: b\n  - [x: 1, y]\n  -\n  - - nested\n'],
  ['block scalars, comments, tags and a document marker', '%YAML 1.2\n---\n# c\na: |\n  text\n  more\nb: !!str 5 # c\nc: >-\n  folded\n'],
  ['a top-level sequence', '- a\n- {b: 1}\n'],
  ['a top-level scalar', 'just text\n'],
  ['an empty file', ''],
  ['only a comment', '# nothing\n'],
  ['a mapping with more keys than are scanned (searched through a Map)', Array.from({ length: 40 }, (_v, i) => `k${String(i)}: { v: [${String(i)}] }\n`).join('')],
];

describe('SourceDocument.locate answers as yaml’s own Document does', () => {
  it.each(texts)('in YAML with %s, for every path, its keys and absent children', (_what, text) => {
    const document = parsed('f.yaml', text);
    const says = yamlSays(text);
    for (const pointer of pathsOf(text).map(toPointer)) {
      for (const key of [false, true]) expect([pointer, key, document.locate(pointer, { key })]).toEqual([pointer, key, says(pointer, key)]);
    }
  });

  it.each(texts.filter(([what]) => !what.includes('empty file')))('in a document made again from its positions after structuredClone, and from its text (%s)', (_what, text) => {
    const document = parsed('f.yaml', text);
    expect(document.positions).toBeDefined();
    if (document.positions === undefined) return;
    const cloned = sourceDocumentFrom('f.yaml', structuredClone(document.value), structuredClone(document.positions));
    const fromText = sourceDocumentFrom('f.yaml', document.value, text);
    const says = yamlSays(text);
    for (const pointer of pathsOf(text).map(toPointer)) {
      for (const key of [false, true]) {
        const expected = says(pointer, key);
        expect([pointer, cloned.locate(pointer, { key })]).toEqual([pointer, expected]);
        expect([pointer, fromText.locate(pointer, { key })]).toEqual([pointer, expected]);
      }
    }
    expect(cloned.value).toEqual(document.value);
  });

  it('in JSON, from the text, for every path', () => {
    const text = '{\r\n  "kind": "fleet",\n  "hosts": {"a/b": {"groups": ["x", "y"], "~": null}, "c": {}},\n  "list": [1, [2, {"d": 3}]]\n}\n';
    const document = parsed('f.json', text);
    expect(typeof document.positions).toBe('string');
    const says = yamlSays(text);
    for (const pointer of pathsOf(text).map(toPointer)) {
      for (const key of [false, true]) expect([pointer, key, document.locate(pointer, { key })]).toEqual([pointer, key, says(pointer, key)]);
    }
  });

  it.each([
    ['a nested value', 'a:\n  b: [1, {c: 2}]\n', '/a/b/1/c', false, { line: 2, column: 14 }],
    ['a nested key', 'a:\n  b: [1, {c: 2}]\n', '/a/b/1/c', true, { line: 2, column: 11 }],
    ['an absent key, at its mapping', 'a:\n  b: 1\n', '/a/x/y', true, { line: 2, column: 3 }],
    ['an item past the end, at its sequence', 'a: [1, 2]\n', '/a/5', false, { line: 1, column: 4 }],
    ['a value after CRLF', 'a:\r\n  b: 1\r\n', '/a/b', false, { line: 2, column: 6 }],
    ['a value after lone CRs, on the one LF line', 'a:\r  b: 1\r', '/a/b', false, { line: 1, column: 9 }],
    ['a key with / and ~ in it', 'x: 1\n"a/~b": 2\n', '/a~1~0b', true, { line: 2, column: 1 }],
    ['through an alias, at the alias', 'a: &x {b: 1}\nc: *x\n', '/c/b', false, { line: 2, column: 4 }],
    ['a key without a value, its key', 'a:\n  ? b\n', '/a/b', true, { line: 2, column: 5 }],
    ['a key without a value, at its mapping', 'a:\n  ? b\n', '/a/b', false, { line: 2, column: 3 }],
    ['anything in an empty file, at its start', '', '/a', false, { line: 1, column: 1 }],
  ])('places %s where it is written', (_what, text, pointer, key, at) => {
    expect(parsed('f.yaml', text).locate(pointer, { key })).toEqual(at);
  });
});

describe('SourcePositions', () => {
  it('are plain data: numbers, strings, arrays and a Uint32Array of line starts', () => {
    const positions = parsed('f.yaml', 'a:\n  b: [1, {c: 2}]\n').positions;
    expect(positions).toEqual([Uint32Array.from([0, 3, 20]), ['m', 0, 'a', 0, ['m', 5, 'b', 5, ['s', 8, 9, ['m', 12, 'c', 13, 16]]]]]);
  });

  it('share one string for a key name repeated across a file', () => {
    const positions = parsed('f.yaml', 'a: {address: 1}\nb: {address: 2}\n').positions;
    if (positions === undefined || typeof positions === 'string') throw new Error('not indexed');
    const [, root] = positions;
    const addressOf = (host: number) => ((root as readonly NodePositions[])[4 + 3 * host] as readonly NodePositions[])[2];
    expect(addressOf(0)).toBe('address');
    expect(addressOf(1)).toBe(addressOf(0));
  });

  it('locate a problem on each of n hosts in O(n) reads of the index, not O(n²)', () => {
    const readsToLocateAll = (hosts: number): number => {
      const text = `hosts:\n${Array.from({ length: hosts }, (_v, i) => `  h${String(i)}: { adress: x }\n`).join('')}`;
      const document = parsed('f.yaml', text);
      const positions = document.positions;
      if (positions === undefined || typeof positions === 'string') throw new Error('not indexed');
      let reads = 0;
      const [lineStarts, root] = positions;
      const counted = (node: NodePositions): NodePositions =>
        typeof node === 'number'
          ? node
          : new Proxy(
              node.map((child) => (typeof child === 'string' ? child : counted(child))),
              {
                get(target, property, receiver) {
                  reads += 1;
                  return Reflect.get(target, property, receiver) as unknown;
                },
              },
            );
      const again = sourceDocumentFrom('f.yaml', document.value, [lineStarts, counted(root)]);
      for (let i = 0; i < hosts; i += 1) again.locate(`/hosts/h${String(i)}/adress`, { key: true });
      return reads;
    };
    const reads = readsToLocateAll(1000);
    expect(reads).toBeGreaterThan(1000);
    expect(readsToLocateAll(2000)).toBeLessThan(2.5 * reads);
  });
});
