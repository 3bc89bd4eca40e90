/**
 * A full TSO skb on x86-64 6.1 with MSS 1448: 45 segments = 65160 payload bytes (`tcp_xmit_size_goal` bounds the goal
 * to gso_max_size - 1 - MAX_TCP_HEADER = 65214), truesize = payload + SKB_TRUESIZE(704) = payload + 1280 (the
 * fclone head is a kmalloc-1024 of MAX_TCP_HEADER 320 + skb_shared_info; `tcp_stream_alloc_skb`, then
 * `skb->truesize += copy` per page-frag copy). Other kernels and MSS values differ by a few hundred bytes.
 */
export const defaultSkb = { size: 65160, truesize: 66440 } as const;
