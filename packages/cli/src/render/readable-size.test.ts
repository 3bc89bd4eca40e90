import { readableSize } from './readable-size';

describe('readableSize', () => {
  it.each([
    [[94002, 125338, 188004], 'pages', 4096, '367/490/734 MiB'],
    [[4096, 131072, 6291456], 'bytes', 4096, '4 KiB/128 KiB/6 MiB'],
    [[16777216], 'bytes', 4096, '16 MiB'],
    [[4194304], 'bytes', 4096, '4 MiB'],
    [[1000], 'bytes', 4096, '1000 B'],
    [[16000], 'bytes', 4096, '15.6 KiB'],
    [[786432, 1048576, 1572864], 'pages', 4096, '3/4/6 GiB'],
    [[96, 128, 192], 'pages', 65536, '6/8/12 MiB'],
    [[0], 'bytes', 4096, '0 B'],
    [[65536], 'KiB', 4096, '64 MiB'],
  ])('shows %j %s (page %i) as %s', (values, unit, pageSize, expected) => {
    expect(readableSize(values, unit, pageSize)).toBe(expected);
  });

  it.each([
    [[8192], 'count'],
    [[], 'bytes'],
    [[-1], 'bytes'],
  ])('shows nothing for %j %s', (values, unit) => {
    expect(readableSize(values, unit, 4096)).toBeUndefined();
  });
});
