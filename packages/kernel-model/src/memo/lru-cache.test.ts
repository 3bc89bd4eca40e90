import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('returns what was stored, and undefined for what was not', () => {
    const cache = new LruCache<string, number>(4);
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
  });

  it('never holds more entries than its capacity, however many keys it sees', () => {
    const cache = new LruCache<number, number>(8);
    for (let i = 0; i < 1000; i++) cache.set(i, i);
    expect(cache.size).toBe(8);
    expect(cache.get(992)).toBe(992);
    expect(cache.get(991)).toBeUndefined();
  });

  it('drops the least recently used entry first, counting a get as a use', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('c')).toBe(true);
  });

  it('computes a value once per key while the key is held, and again after it was dropped', () => {
    const cache = new LruCache<string, string>(1);
    const compute = jest.fn((key: string) => key.toUpperCase());
    expect(cache.getOrCompute('x', compute)).toBe('X');
    expect(cache.getOrCompute('x', compute)).toBe('X');
    expect(compute).toHaveBeenCalledTimes(1);
    cache.getOrCompute('y', compute);
    cache.getOrCompute('x', compute);
    expect(compute).toHaveBeenCalledTimes(3);
  });

  it('holds undefined as a value like any other', () => {
    const cache = new LruCache<string, number | undefined>(2);
    const compute = jest.fn(() => undefined);
    cache.getOrCompute('k', compute);
    cache.getOrCompute('k', compute);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the capacity %p', (capacity) => {
    expect(() => new LruCache(capacity)).toThrow(RangeError);
  });
});
