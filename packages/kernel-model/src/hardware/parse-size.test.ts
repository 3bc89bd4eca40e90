import { parseSize } from './parse-size';

describe('parseSize', () => {
  it.each([
    ['8GiB', 8 * 2 ** 30],
    ['512MiB', 512 * 2 ** 20],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['16 GB', 16e9],
    ['64kB', 64000],
    ['4096', 4096],
    [1048576, 1048576],
  ])('reads %j as %i bytes', (size, bytes) => {
    expect(parseSize(size)).toBe(bytes);
  });

  it.each([['8 gigs'], ['-1'], [1.5]])('rejects %j', (size) => {
    expect(parseSize(size)).toBeUndefined();
  });
});
