import { memoKey } from './memo-key';

describe('memoKey', () => {
  it('is the JSON of plain data', () => {
    expect(memoKey({ nodes: [{ memoryBytes: 1024 }], mem: undefined, thp: 'always' })).toBe('{"nodes":[{"memoryBytes":1024}],"thp":"always"}');
  });

  it.each([
    [Number.NaN, Number.POSITIVE_INFINITY],
    [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
    [Number.NaN, null],
  ])('tells %p and %p apart, which JSON writes alike', (a, b) => {
    expect(memoKey({ mem: a })).not.toBe(memoKey({ mem: b }));
  });

  it('gives equal inputs equal keys', () => {
    expect(memoKey({ a: [1, 'x', true], b: Number.NaN })).toBe(memoKey({ a: [1, 'x', true], b: Number.NaN }));
  });
});
