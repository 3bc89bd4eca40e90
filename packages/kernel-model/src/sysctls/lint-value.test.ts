import { lintValue } from './lint-value';
import type { SysctlName } from './sysctl-definition';

const codes = (name: SysctlName, values: readonly (bigint | number)[]) => lintValue(name, values).map((f) => `${f.code}${f.elementIndex === undefined ? '' : `@${f.elementIndex}`}`);

describe('lintValue: tcpmem advice on values the kernel may accept', () => {
  it.each([
    ['net.ipv4.tcp_rmem', [4096, 131072, 6291456]],
    ['net.ipv4.tcp_wmem', [4096, 16384, 4194304]],
    ['net.ipv4.tcp_mem', [287898, 383867, 575796]],
    ['net.ipv4.udp_mem', [575799, 767734, 1151598]],
    ['net.ipv4.tcp_max_syn_backlog', [2048]],
    ['net.ipv4.tcp_limit_output_bytes', [4194304]],
    ['net.core.somaxconn', [4096]],
    ['net.ipv4.tcp_child_ehash_entries', [0]],
    ['net.ipv4.tcp_child_ehash_entries', [1024]],
  ] as const)('finds nothing wrong with the 6.18 defaults of %s %j', (name, values) => {
    expect(lintValue(name, values)).toEqual([]);
  });

  it.each([
    // The kernel accepted "8192 4096 1000" on the 6.18.44 VM (__do_proc_dointvec() in kernel/sysctl.c checks no order); tcpmem warns.
    ['net.ipv4.tcp_rmem', [8192, 4096, 1000], ['TCPMEM_ADVICE_TRIPLE_ORDER@0', 'TCPMEM_ADVICE_TRIPLE_ORDER@2', 'TCPMEM_ADVICE_BUFFER_BELOW_PAGE@2']],
    ['net.ipv4.tcp_wmem', [4096, 16384, 8192], ['TCPMEM_ADVICE_TRIPLE_ORDER@2']],
    ['net.ipv4.tcp_mem', [100, 50, 200], ['TCPMEM_ADVICE_TRIPLE_ORDER@0']],
    ['net.ipv4.tcp_mem', [100, 200, 150], ['TCPMEM_ADVICE_TRIPLE_ORDER@2']],
    ['net.ipv4.udp_mem', [100, 200, 150], ['TCPMEM_ADVICE_TRIPLE_ORDER@2']],
    ['net.ipv4.tcp_mem', [2147483648, 4294967296, 8589934592000], ['TCPMEM_ADVICE_UNIT@2']],
    ['net.ipv4.tcp_rmem', [1024, 131072, 6291456], ['TCPMEM_ADVICE_BUFFER_BELOW_PAGE@0']],
    ['net.ipv4.tcp_rmem', [4096, 131072], ['TCPMEM_ADVICE_VALUE_COUNT']],
    ['net.ipv4.tcp_rmem', [4096, 131072, 6291456, 1], ['TCPMEM_ADVICE_VALUE_COUNT']],
    ['net.ipv4.tcp_rmem', [4096, 131072, 4294967296], ['TCPMEM_ADVICE_OUT_OF_RANGE@2']],
    ['net.ipv4.tcp_mem', [-1, 2, 3], ['TCPMEM_ADVICE_OUT_OF_RANGE@0']],
    ['net.ipv4.tcp_max_orphans', [1.5], ['TCPMEM_ADVICE_NOT_INTEGER@0']],
    ['net.ipv4.tcp_max_orphans', [2 ** 60], ['TCPMEM_ADVICE_NOT_INTEGER@0']],
    ['net.ipv4.tcp_max_syn_backlog', [-5], ['TCPMEM_ADVICE_NEGATIVE']],
    ['net.ipv4.tcp_max_tw_buckets', [0], ['TCPMEM_ADVICE_ZERO']],
    ['net.ipv4.tcp_max_orphans', [0], ['TCPMEM_ADVICE_ZERO']],
    ['net.ipv4.tcp_limit_output_bytes', [0], ['TCPMEM_ADVICE_ZERO']],
    ['net.core.somaxconn', [0], ['TCPMEM_ADVICE_ZERO']],
    ['net.ipv4.tcp_child_ehash_entries', [1000], ['TCPMEM_ADVICE_ROUNDED']],
  ] as const)('warns about %s %j: %j', (name, values, expected) => {
    expect(codes(name, values)).toEqual(expected);
  });

  it('marks every finding as tcpmem advice, not a kernel rule', () => {
    for (const f of lintValue('net.ipv4.tcp_rmem', [8192, 4096, 1000])) expect(f.source).toBe('tcpmem-advice');
  });

  it('explains the flapping of a tcp_mem with low above pressure', () => {
    const [f] = lintValue('net.ipv4.tcp_mem', [100, 50, 200]);
    expect(f?.message).toBe('tcp_mem low (100) is above pressure (50): the kernel enters memory pressure above pressure and leaves it only below low, so it would flap');
    expect(f?.hint).toBe('keep low ≤ pressure ≤ high; the kernel does not check the order');
  });

  it('rounds tcp_child_ehash_entries the way new namespaces do (S6.1 roundup_pow_of_two)', () => {
    expect(lintValue('net.ipv4.tcp_child_ehash_entries', [1000])[0]?.message).toBe(
      'tcp_child_ehash_entries 1000 becomes 1024: new namespaces round it up to a power of two',
    );
  });

  describe('with the host: values far below what its kernel would use', () => {
    // 6.1 on 8 GiB: the kernel's own defaults, and 1 % of MemTotal in 4 KiB pages (20,971).
    const host8GiB = (kernelDefault: readonly number[]) => ({ kernelDefault, memTotalBytes: 8 * 2 ** 30, pageSize: 4096 });
    const withHost = (name: SysctlName, values: readonly number[], kernelDefault: readonly number[]) =>
      lintValue(name, values, host8GiB(kernelDefault)).map((f) => `${f.code}${f.elementIndex === undefined ? '' : `@${f.elementIndex}`}`);

    it.each([
      ['net.ipv4.tcp_mem', [94137, 125518, 188274], [94137, 125518, 188274]],
      ['net.ipv4.tcp_mem', [20972, 20972, 20972], [94137, 125518, 188274]],
      ['net.ipv4.tcp_rmem', [4096, 131072, 6291456], [4096, 131072, 6291456]],
      // tcpmem:esnet-10g-100ms on 6.x: its default 87380 is below the kernel's 131072, not far below.
      ['net.ipv4.tcp_rmem', [4096, 87380, 33554432], [4096, 131072, 6291456]],
      ['net.ipv4.tcp_wmem', [4096, 4096, 1048576], [4096, 16384, 4194304]],
      ['net.ipv4.tcp_wmem', [4096, 16384, 8388608], [4096, 16384, 4194304]],
    ] as const)('finds nothing wrong with %s %j where the kernel default is %j', (name, values, kernelDefault) => {
      expect(withHost(name, values, kernelDefault)).toEqual([]);
    });

    it.each([
      ['net.ipv4.tcp_mem', [1, 2, 3], [94137, 125518, 188274], ['TCPMEM_ADVICE_MEM_TOO_LOW@0']],
      ['net.ipv4.tcp_mem', [94137, 125518, 20970], [94137, 125518, 188274], ['TCPMEM_ADVICE_TRIPLE_ORDER@2', 'TCPMEM_ADVICE_MEM_TOO_LOW@2']],
      ['net.ipv4.tcp_mem', [100, 125518, 188274], [94137, 125518, 188274], ['TCPMEM_ADVICE_MEM_TOO_LOW@0']],
      ['net.ipv4.udp_mem', [1, 2, 3], [188274, 251036, 376548], ['TCPMEM_ADVICE_MEM_TOO_LOW@0']],
      ['net.ipv4.tcp_wmem', [1, 16384, 4194304], [4096, 16384, 4194304], ['TCPMEM_ADVICE_BUFFER_BELOW_PAGE@0']],
      ['net.ipv4.tcp_wmem', [2048, 4095, 4194304], [4096, 16384, 4194304], ['TCPMEM_ADVICE_BUFFER_BELOW_PAGE@0', 'TCPMEM_ADVICE_BUFFER_BELOW_PAGE@1']],
      ['net.ipv4.tcp_rmem', [4096, 131072, 1048576], [4096, 131072, 6291456], ['TCPMEM_ADVICE_BELOW_DEFAULT@2']],
      ['net.ipv4.tcp_rmem', [4096, 16384, 1048576], [4096, 131072, 6291456], ['TCPMEM_ADVICE_BELOW_DEFAULT@1', 'TCPMEM_ADVICE_BELOW_DEFAULT@2']],
      ['net.ipv4.tcp_wmem', [4096, 16384, 1048575], [4096, 16384, 4194304], ['TCPMEM_ADVICE_BELOW_DEFAULT@2']],
    ] as const)('warns about %s %j where the kernel default is %j: %j', (name, values, kernelDefault, expected) => {
      expect(withHost(name, values, kernelDefault)).toEqual(expected);
    });

    it('names every tcp_mem field below 1 % of RAM once, with the threshold and the kernel default', () => {
      const [f] = lintValue('net.ipv4.tcp_mem', [1, 2, 3], host8GiB([94137, 125518, 188274]));
      expect(f?.message).toBe(
        "tcp_mem low, pressure and high (1 2 3 pages) are below 1% of this host's RAM (20971 pages of 8 GiB; the kernel default is 94137 125518 188274): past high the kernel refuses TCP socket memory, so connections stall or drop",
      );
      expect(f?.severity).toBe('warning');
    });

    it('judges the value alone when the host is not known', () => {
      expect(codes('net.ipv4.tcp_mem', [1, 2, 3])).toEqual([]);
      expect(codes('net.ipv4.tcp_rmem', [4096, 16384, 1048576])).toEqual([]);
    });
  });
});
