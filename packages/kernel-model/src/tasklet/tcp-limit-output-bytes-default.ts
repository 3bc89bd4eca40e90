import { atLeast } from '../series/kernel-version';
import { tsqKernel, type TsqKernelInput } from './tsq-kernel';

/**
 * The boot default of `net.ipv4.tcp_limit_output_bytes` (global `sysctl_tcp_limit_output_bytes` up to 4.14, set per
 * netns in `tcp_sk_init()` from 4.15); undefined before TSQ (3.6).
 * 131072 (3.6–4.1), 262144 (4.2–4.20, "tcp: double default TSQ output bytes limit"), 16 * 65536 (5.0–6.15,
 * c73e5807e4f6), 4 << 20 (6.16 on, 9ea3bfa61b09).
 */
export function tcpLimitOutputBytesDefault(input: TsqKernelInput): number | undefined {
  const kernel = tsqKernel(input);
  if (!atLeast(kernel, '3.6')) return undefined;
  if (!atLeast(kernel, '4.2')) return 131072;
  if (!atLeast(kernel, '5.0')) return 262144;
  if (!atLeast(kernel, '6.16')) return 1048576;
  return 4194304;
}
