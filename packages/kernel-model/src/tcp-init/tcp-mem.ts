/** A sysctl value in the kernel's unit: a number or a triple. */
export type Triple = readonly [number, number, number];

/**
 * `tcp_init_mem()` (net/ipv4/tcp.c, 3.10 → 7.1): limit = max(nfbp / D, 128), tcp_mem = [limit/4×3, limit,
 * limit/4×3×2] (D = 8 ≤ 4.1, 16 ≥ 4.2).
 */
export function tcpMem(nrFreeBufferPages: number, divisor: number): Triple {
  const limit = Math.max(Math.floor(nrFreeBufferPages / divisor), 128);
  const low = Math.floor(limit / 4) * 3;
  return [low, limit, low * 2];
}

/** `udp_init()` (net/ipv4/udp.c, 2.6.3x → 7.1): the same shape as tcp_mem with nr_free_buffer_pages() / 8. */
export function udpMem(nrFreeBufferPages: number): Triple {
  return tcpMem(nrFreeBufferPages, 8);
}
