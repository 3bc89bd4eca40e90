import { parseKernelRelease } from '../series/kernel-version';
import { scopeOf } from './scope-of';
import type { SysctlName } from './sysctl-definition';

const v = (release: string) => parseKernelRelease(release)!;

/** `per-netns writable init-net-current`, or `unknown` when the series leaves it open. */
function summary(name: SysctlName, release: string): string {
  const answer = scopeOf(name, v(release));
  if (!answer.certain) return `unknown (${answer.possible.map((p) => p.scope).join(' or ')})`;
  const f = answer.facts;
  return `${f.scope} ${f.inChildNetns} ${f.newNetnsValue}`;
}

describe('scope by series', () => {
  it.each([
    // ipv4_net_table + ipv4_tcp_mem() in S3.10/S3.11; the global ipv4_table from S3.13; 3.12 not read.
    ['net.ipv4.tcp_mem', '3.10.108', 'per-netns writable computed-at-creation'],
    ['net.ipv4.tcp_mem', '3.12', 'unknown (per-netns or global)'],
    ['net.ipv4.tcp_mem', '3.13.10', 'global absent not-applicable'],
    ['net.ipv4.tcp_mem', '6.18.44', 'global absent not-applicable'],
    ['net.ipv4.udp_mem', '3.10.108', 'global absent not-applicable'],
    ['net.ipv4.udp_mem', '7.1.5', 'global absent not-applicable'],
    ['net.ipv4.tcp_max_orphans', '6.18.44', 'global absent not-applicable'],
    // "tcp: Namespace-ify sysctl_tcp_rmem and sysctl_tcp_wmem": S4.14 global, S4.15 per netns, copied from init_net.
    ['net.ipv4.tcp_rmem', '4.14.67', 'global absent not-applicable'],
    ['net.ipv4.tcp_rmem', '4.15', 'per-netns writable init-net-current'],
    ['net.ipv4.tcp_wmem', '6.12.117', 'per-netns writable init-net-current'],
    // tcp_max_tw_buckets / tcp_max_syn_backlog: global in 4.10.17, per netns from 4.11.0, derived from the ehash.
    ['net.ipv4.tcp_max_tw_buckets', '4.10.17', 'global absent not-applicable'],
    ['net.ipv4.tcp_max_tw_buckets', '4.11', 'per-netns writable derived-from-ehash'],
    ['net.ipv4.tcp_max_syn_backlog', '4.10.17', 'global absent not-applicable'],
    ['net.ipv4.tcp_max_syn_backlog', '4.11', 'per-netns writable derived-from-ehash'],
    // tcp_limit_output_bytes: global in S4.14, per netns from S4.15 with the compile-time default.
    ['net.ipv4.tcp_limit_output_bytes', '4.14.67', 'global absent not-applicable'],
    ['net.ipv4.tcp_limit_output_bytes', '4.15', 'per-netns writable compile-time-default'],
    ['net.core.somaxconn', '3.10.108', 'per-netns writable compile-time-default'],
    ['net.core.somaxconn', '6.18.44', 'per-netns writable compile-time-default'],
    // rmem_max/wmem_max: net_core_table (init_net only) in 6.10.0, read-only in other namespaces from 6.11.
    ['net.core.rmem_max', '6.10', 'global absent not-applicable'],
    ['net.core.rmem_max', '6.11.11', 'global read-only not-applicable'],
    ['net.core.wmem_max', '7.1.5', 'global read-only not-applicable'],
    ['net.ipv4.tcp_child_ehash_entries', '6.1.0-26-amd64', 'per-netns writable compile-time-default'],
    ['net.ipv4.tcp_ehash_entries', '6.1.0-26-amd64', 'per-netns read-only derived-from-ehash'],
  ] as const)('%s on %s is %s', (name, release, expected) => {
    expect(summary(name, release)).toBe(expected);
  });

  it('copies init_net\'s current tcp_rmem into a new namespace, not its creator\'s (6.18.44 host: a namespace made inside one that set "4096 100000 200000" got the host\'s values)', () => {
    const answer = scopeOf('net.ipv4.tcp_rmem', v('6.18.44'));
    expect(answer.certain && answer.facts.newNetnsValue).toBe('init-net-current');
  });

  it('does not vouch for kernels older than 3.10, the oldest tree read', () => {
    const answer = scopeOf('net.ipv4.tcp_mem', v('2.6.32-754.el6.x86_64'));
    expect(answer.certain ? '' : answer.why).toBe("2.6 is older than 3.10, the oldest series read; these are 3.10's facts");
  });

  it('says why tcp_mem on 3.12 is open', () => {
    const answer = scopeOf('net.ipv4.tcp_mem', v('3.12.5'));
    expect(answer.certain ? '' : answer.why).toBe('"tcp_mem becomes global (commit not pinned)": no 3.12 tree was checked, and mainline has it from 3.13');
  });
});
