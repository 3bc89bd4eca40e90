import { tcpMem, udpMem } from './tcp-mem';

describe('tcp_mem and udp_mem', () => {
  it.each([
    // nr_free_buffer_pages, divisor, tcp_mem (QEMU 6.1 256 MiB, 1 GiB; a 4.1-era divisor; the 128-page floor)
    [52820, 16, [2475, 3301, 4950]],
    [229865, 16, [10773, 14366, 21546]],
    [229865, 8, [21549, 28733, 43098]],
    [1000, 16, [96, 128, 192]],
  ])('gives nr_free_buffer_pages %i / %i → %j', (nfbp, divisor, triple) => {
    expect(tcpMem(nfbp, divisor)).toEqual(triple);
  });

  it('divides by 4 before multiplying by 3, as the kernel does', () => {
    expect(tcpMem(16 * 3303, 16)).toEqual([2475, 3303, 4950]);
  });

  it('sizes udp_mem from nr_free_buffer_pages() / 8 (the 1 GiB boot shows 21549 28733 43098)', () => {
    expect(udpMem(229865)).toEqual([21549, 28733, 43098]);
  });
});
