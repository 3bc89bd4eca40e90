import { parseBootCmdline, splitBootArgs } from './parse-boot-cmdline';

describe('parseBootCmdline', () => {
  it('reads thash_entries with kstrtoul base-0 semantics', () => {
    expect(parseBootCmdline('console=ttyS0 thash_entries=0x10000').thashEntries).toEqual({ raw: '0x10000', parse: { ok: true, value: 65536 } });
    expect(parseBootCmdline('thash_entries=08').thashEntries?.parse).toEqual({ ok: false, error: 'EINVAL' });
  });

  it.each([
    ['transparent_hugepage=never', 'never'],
    ['transparent_hugepage=madvise', 'madvise'],
    ['transparent_hugepage=bogus', undefined],
    ['quiet', undefined],
  ])('reads %j as THP mode %j', (cmdline, mode) => {
    expect(parseBootCmdline(cmdline).transparentHugepage).toBe(mode);
  });

  it('reads mem=, crashkernel=, movablecore=, kernelcore= and keeps the last of repeated parameters', () => {
    const boot = parseBootCmdline('mem=4G crashkernel=512M-2G:64M,2G-:256M movablecore=1G kernelcore=50% mem=3G');
    expect(boot.mem).toBe(3 * 2 ** 30);
    expect(boot.crashkernel).toBe('512M-2G:64M,2G-:256M');
    expect(boot.movablecore).toBe('1G');
    expect(boot.kernelcore).toBe('50%');
    expect(boot.repeated).toEqual(['mem']);
  });

  it('stops at a lone -- (the rest is for init)', () => {
    expect(splitBootArgs('quiet -- --thash_entries=5 x')).toEqual(['quiet']);
    expect(parseBootCmdline('deferred_init=lazy -- thash_entries=5').thashEntries).toBeUndefined();
  });

  it('groups double-quoted values', () => {
    expect(splitBootArgs('a="b c" d')).toEqual(['a=b c', 'd']);
  });
});
