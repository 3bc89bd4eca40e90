import { parseKernelRelease } from '../series/kernel-version';
import { seriesFactsFor } from '../series/series-facts';
import { socketBuffers } from './socket-buffers';

const series = (release: string) => seriesFactsFor(parseKernelRelease(release)!);

describe('tcp_rmem and tcp_wmem', () => {
  it.each([
    ['6.1', 52820, [4096, 131072, 1690240], [4096, 16384, 1690240]],
    ['6.1', 229865, [4096, 131072, 6291456], [4096, 16384, 4194304]],
    ['6.18', 6141872, [4096, 131072, 33554432], [4096, 16384, 4194304]],
    ['4.19', 1000, [4096, 87380, 87380], [4096, 16384, 65536]],
  ])('gives %s with nr_free_buffer_pages %i rmem %j and wmem %j', (release, nfbp, rmem, wmem) => {
    const buffers = socketBuffers(nfbp, series(release));
    expect(buffers.tcp_rmem).toEqual(rmem);
    expect(buffers.tcp_wmem).toEqual(wmem);
  });

  it('uses PAGE_SIZE as SK_MEM_QUANTUM on 64 KiB pages in 6.1 but 4096 in 5.15', () => {
    expect(socketBuffers(10000, series('6.1'), 65536).tcp_rmem[0]).toBe(65536);
    expect(socketBuffers(10000, series('5.15'), 65536).tcp_rmem[0]).toBe(4096);
  });
});
