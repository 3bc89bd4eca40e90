import { Scalar } from 'yaml';
import { parseSource } from './source-document';

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
