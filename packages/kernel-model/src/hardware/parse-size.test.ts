import { hasDecimalUnit, parseSize } from './parse-size';

describe('parseSize', () => {
  it.each([
    ['8GiB', 8 * 2 ** 30],
    ['512MiB', 512 * 2 ** 20],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['16 GB', 16e9],
    ['64kB', 64000],
    ['4096', 4096],
    [1048576, 1048576],
    ['8G', 8 * 2 ** 30],
    ['16k', 16384],
    ['16K', 16384],
    ['4M', 4 * 2 ** 20],
    ['1T', 2 ** 40],
    ['1.5 G', 1.5 * 2 ** 30],
    ['16kB', 16000],
    ['16KB', 16000],
    ['4MB', 4_000_000],
    ['16KiB', 16384],
    // memparse reads m, g and t as it reads M, G and T (lib/cmdline.c)
    ['8g', 8 * 2 ** 30],
    ['16m', 16 * 2 ** 20],
    ['2t', 2 * 2 ** 40],
  ])('reads %j as %i bytes', (size, bytes) => {
    expect(parseSize(size)).toBe(bytes);
  });

  it.each([['8 gigs'], ['-1'], [1.5], ['16mb'], ['16mB'], ['8gib'], ['8Gi'], ['8GIB']])('rejects %j', (size) => {
    expect(parseSize(size)).toBeUndefined();
  });

  it.each([
    ['16kB', true],
    ['4MB', true],
    ['1 GB', true],
    ['16KiB', false],
    ['16k', false],
    ['8G', false],
    ['4096', false],
    [4096, false],
    ['16B', false],
  ])('says whether %j has a decimal unit: %s', (size, decimal) => {
    expect(hasDecimalUnit(size)).toBe(decimal);
  });
});
