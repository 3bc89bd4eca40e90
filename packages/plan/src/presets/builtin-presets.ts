import type { Preset } from '@tcpmem/schema';
import type { Defined } from '../fleet/fleet-model';

/**
 * Presets that ship with tcpmem, each naming where its numbers come from. Their names start with `tcpmem:`,
 * which a fleet's own preset names cannot (see the schema), so a fleet never shadows one by accident.
 */
const presets: Record<string, Preset> = {
  'tcpmem:kernel-default': {
    description: 'Every setting tcpmem manages at the host kernel\'s own boot-time default (what tcp_init() and friends compute).',
    source: 'The host\'s kernel, as computed by @tcpmem/kernel-model (docs/kernel-model.md)',
    sysctls: {
      'net.ipv4.tcp_mem': 'default',
      'net.ipv4.udp_mem': 'default',
      'net.ipv4.tcp_rmem': 'default',
      'net.ipv4.tcp_wmem': 'default',
      'net.ipv4.tcp_max_tw_buckets': 'default',
      'net.ipv4.tcp_max_orphans': 'default',
      'net.ipv4.tcp_max_syn_backlog': 'default',
      'net.ipv4.tcp_limit_output_bytes': 'default',
      'net.core.somaxconn': 'default',
      'net.core.rmem_max': 'default',
      'net.core.wmem_max': 'default',
    },
  },
  'tcpmem:esnet-10g-100ms': {
    description: 'ESnet\'s tuning for a host with a 10G NIC on paths of up to 100 ms RTT: 32 MiB autotuning maxima, 64 MiB socket-option maxima.',
    source: 'ESnet Fasterdata, "Linux Host Tuning", https://fasterdata.es.net/host-tuning/linux/ (10G, up to 100 ms RTT)',
    sysctls: {
      'net.core.rmem_max': 67108864,
      'net.core.wmem_max': 67108864,
      'net.ipv4.tcp_rmem': [4096, 87380, 33554432],
      'net.ipv4.tcp_wmem': [4096, 65536, 33554432],
    },
  },
};

/** The built-in presets, by name, as if defined in a file named `(built-in)`. */
export const builtinPresets: ReadonlyMap<string, Defined<Preset>> = new Map(
  Object.entries(presets).map(([name, value]) => [name, { name, value, origin: { file: '(built-in)', pointer: `/presets/${name}` } }]),
);
