import { kstrtoul } from '../hardware/kstrtoul';
import { parseKernelRelease } from '../series/kernel-version';
import { seriesFactsFor } from '../series/series-facts';
import { ehashLimits, tcpHashTables } from './tcp-hash-tables';

const series = (release: string) => seriesFactsFor(parseKernelRelease(release)!);
const counts = (pages: number) => ({ nrKernelPages: pages, nrAllPages: pages });

describe('TCP hash tables', () => {
  it('caps bind at 65536 and ehash at 512K', () => {
    const t = tcpHashTables(undefined, counts(2 ** 25), series('6.1'));
    expect([t.established.entries, t.bind.entries]).toEqual([524288, 65536]);
  });

  it.each([
    ['4096', 4096],
    ['0x10000', 65536],
    ['100000', 131072],
  ])('honours thash_entries=%s as %i buckets', (raw, entries) => {
    expect(tcpHashTables(kstrtoul(raw), counts(520000), series('6.1')).established.entries).toBe(entries);
  });

  it('ignores a thash_entries that kstrtoul rejects', () => {
    expect(tcpHashTables(kstrtoul('08'), counts(257918), series('6.1')).established.entries).toBe(8192);
  });

  it.each([
    ['4.19', 65536, 32768, 256],
    ['5.4', 65536, 32768, 512],
    ['6.1', 8192, 4096, 128],
    ['6.18', 262144, 131072, 2048],
  ])('derives the %s limits from ehash %i: tw/orphans %i, syn backlog %i', (release, ehash, half, syn) => {
    expect(ehashLimits(ehash, series(release))).toEqual({ tcp_max_tw_buckets: half, tcp_max_orphans: half, tcp_max_syn_backlog: syn });
  });

  it('sizes lhash2 from 4.19 on', () => {
    expect(tcpHashTables(undefined, counts(6170000), series('6.18')).lhash2?.entries).toBe(16384);
    expect(tcpHashTables(undefined, counts(6170000), series('4.14')).lhash2).toBeUndefined();
  });
});
