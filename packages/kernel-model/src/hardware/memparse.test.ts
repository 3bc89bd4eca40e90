import { memparse } from './memparse';

describe('memparse', () => {
  it.each([
    ['4G', 4 * 2 ** 30, ''],
    ['512m', 512 * 2 ** 20, ''],
    ['0x1000', 4096, ''],
    ['256M@16M', 256 * 2 ** 20, '@16M'],
    ['1024', 1024, ''],
  ])('reads %j as %i bytes with %j left over', (text, bytes, rest) => {
    expect(memparse(text)).toEqual({ bytes, rest });
  });

  it('returns undefined when there is no number', () => {
    expect(memparse('auto')).toBeUndefined();
  });
});
