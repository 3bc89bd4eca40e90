import { deepFreeze } from './deep-freeze';

describe('deepFreeze', () => {
  it('freezes the value and every object and array inside it', () => {
    const value = deepFreeze({ zones: [{ managed: 1, watermarks: { high: 2 } }], notes: ['a'], big: 1n, none: undefined });
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.zones)).toBe(true);
    expect(Object.isFrozen(value.zones[0])).toBe(true);
    expect(Object.isFrozen(value.zones[0]?.watermarks)).toBe(true);
    expect(Object.isFrozen(value.notes)).toBe(true);
  });

  it('makes writes throw (modules are strict mode) instead of changing the shared value', () => {
    const value = deepFreeze({ notes: ['a'] });
    expect(() => value.notes.push('b')).toThrow(TypeError);
    expect(value.notes).toEqual(['a']);
  });

  it('returns primitives unchanged', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(undefined)).toBeUndefined();
  });
});
