import { parseDocument } from 'yaml';
import { fastParse } from './fast-parse';

/** The value the `yaml` library reads, or 'refused'. */
function yamlReads(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true, logLevel: 'error' });
  return doc.errors.length > 0 ? 'refused' : doc.toJS();
}

describe('fastParse', () => {
  it.each([
    ['a fleet in block style', 'kind: fleet\nhosts:\n  web-1:\n    address: 192.0.2.10\n    groups: [frontend, dc-ams1]\n    hardware: { kernel: 6.1.0-26-amd64, memory: 8GiB, cpus: 4 }\n'],
    ['a fleet with comments, quotes and a document start', '---\n# the web tier\nkind: fleet # a comment\nhosts:\n  "web-1": { address: \'192.0.2.10\' }   # another\n  web-2: {}\n'],
    ['JSON, indented', JSON.stringify({ kind: 'fleet', hosts: { a: { address: 'a.example', groups: ['x'] } } }, null, 2)],
    ['JSON on one line', JSON.stringify({ kind: 'fleet', hosts: { a: { address: 'a.example', groups: ['x'] } }, list: [{ b: 1 }, [2, 3]] })],
    ['CRLF line ends', 'kind: fleet\r\nhosts:\r\n  a: { address: a.example }\r\n'],
    ['numbers in every core form', 'a: [0, -1, +2, 0o17, 0x1F, 1.5, .5, -1e3, .inf, -.inf]\nb: [true, False, null, ~]\n'],
  ])('reads %s with js-yaml, to the value yaml reads', (_what, text) => {
    const read = fastParse('f.yaml', text);
    expect(read).toBeDefined();
    expect(read?.value).toEqual(yamlReads(text));
  });

  // Text js-yaml would read otherwise than yaml, or accept where yaml refuses it: left to yaml (undefined).
  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tab', 'a: 1\t# comment\n'],
    ['a byte order mark inside the text', 'a: 1\n\uFEFFb: 2\n'],
    ['a %YAML 1.1 directive (yes is true there)', '%YAML 1.1\n---\na: yes\n'],
    ['text after a document start marker', '--- -\n'],
    ['a tag (yaml leaves `!!float 5` a string)', 'a: !!float 5\n'],
    ['an explicit key', '? [a]\n: 1\n'],
    ['a flow sequence as a key', '[a]: 1\n'],
    ['a flow collection as a key of a flow mapping', '{a: 1, [b]}\n'],
    ['a key that reads as null (yaml names it "")', '~: 1\n'],
    ['a null key in a flow sequence pair', '[: 1]\n'],
    ['a comment right after a quoted value', 'a: "x"#c\n'],
    ['an empty sequence item (js-yaml adds the next item to it)', '- -\n- x\n'],
    ['a quoted scalar over two lines not indented enough', 'a: "x\ny"\n'],
    ['a flow collection over two lines not indented enough', 'a: [1,\n2]\n'],
    ['a plain scalar over two lines', 'a: x\n  y\n'],
    ['a block scalar', 'a: |1\n  x\n'],
    ['a key over 1024 characters', `${'k'.repeat(1100)}: 1\n`],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a repeated key', 'a: 1\na: 2\n'],
  ])('leaves %s to yaml', (_what, text) => {
    expect(fastParse('f.yaml', text)).toBeUndefined();
  });

  it('reads an empty file as null, as yaml does', () => {
    expect(fastParse('f.yaml', '')).toEqual({ value: null });
    expect(fastParse('f.yaml', '# only a comment\n')).toEqual({ value: null });
  });
});
