import { kstrtoul } from './kstrtoul';

describe('kstrtoul with base 0', () => {
  it.each([
    ['4096', 4096],
    ['0x10000', 65536],
    ['0X1f', 31],
    ['010', 8],
    ['0', 0],
    ['+5', 5],
    ['100000\n', 100000],
  ])('parses %j as %i', (text, value) => {
    expect(kstrtoul(text)).toEqual({ ok: true, value });
  });

  it.each([['08'], ['0x'], [''], ['12k'], ['-1'], [' 1'], ['1 ']])('rejects %j with EINVAL', (text) => {
    expect(kstrtoul(text)).toEqual({ ok: false, error: 'EINVAL' });
  });

  it('rejects a value above 2^64 − 1 with ERANGE', () => {
    expect(kstrtoul('18446744073709551616')).toEqual({ ok: false, error: 'ERANGE' });
  });
});
