import { parseHashTableReports, parseHashTablesLine, parseLateFrees } from './parse-dmesg';
import { parseMeminfo } from './parse-meminfo';
import { parseZoneinfo } from './parse-zoneinfo';

const zoneinfo = `Node 0, zone      DMA
  per-node stats
      nr_inactive_anon 50
  pages free     3808
        boost    0
        min      175
        low      218
        high     261
        spanned  4095
        present  3998
        managed  3840
        cma      0
        protection: (0, 958, 958, 958, 958)
  pagesets
    cpu: 0
              count: 0
              high:  218
              batch: 1
  start_pfn:           1
Node 0, zone    DMA32
  pages free     235966
        boost    0
        min      11088
        low      13860
        high     16632
        spanned  258016
        present  258016
        managed  245316
  start_pfn:           4096
`;

describe('text parsers', () => {
  it('reads zone blocks from /proc/zoneinfo, ignoring the per-cpu "high:" lines', () => {
    const zones = parseZoneinfo(zoneinfo);
    expect(zones.map((z) => [z.node, z.zone, z.managed, z.high, z.startPfn])).toEqual([
      [0, 'DMA', 3840, 261, 1],
      [0, 'DMA32', 245316, 16632, 4096],
    ]);
    expect(zones[0]?.protection).toEqual([0, 958, 958, 958, 958]);
  });

  it('reads /proc/meminfo and node meminfo files', () => {
    expect(parseMeminfo('MemTotal:         996624 kB\nHugePages_Total:       0\n')).toEqual({ MemTotal: 996624, HugePages_Total: 0 });
    expect(parseMeminfo('Node 0 MemTotal:         996624 kB\n')).toEqual({ MemTotal: 996624 });
  });

  it('reads the TCP hash lines of a boot log', () => {
    const log = '[    0.949394] TCP established hash table entries: 8192 (order: 4, 65536 bytes, linear)\n[    0.950268] TCP: Hash tables configured (established 8192 bind 8192)\n';
    expect(parseHashTablesLine(log)).toEqual({ established: 8192, bind: 8192 });
    expect(parseHashTableReports(log)).toEqual([{ name: 'TCP established', entries: 8192, order: 4, bytes: 65536, kind: 'linear' }]);
  });

  it('adds up what is freed after tcp_init', () => {
    const log = [
      'RAMDISK: [mem 0x3fee3000-0x3ffdffff]',
      'TCP: Hash tables configured (established 8192 bind 8192)',
      'Freeing initrd memory: 1012K',
      'Freeing unused decrypted memory: 2036K',
      'Freeing unused kernel image (initmem) memory: 2612K',
      'Freeing unused kernel image (text/rodata gap) memory: 2040K',
    ].join('\n');
    expect(parseLateFrees(log)).toEqual({ initrdKiB: 1012, kernelImageKiB: 6688, ramdiskBytes: 1012 * 1024 });
  });
});
