import { seriesOf, type KernelVersion } from '../series/kernel-version';

/**
 * Kernel changes that alter what a sysctl write does, each dated by the trees it was read in. A change is in a
 * kernel when its series is at or after `mainline`; below that only through a stable backport (`stable`), and
 * `unverifiedSeries` lists series nobody checked between the last tree without it and the first with it.
 *
 * Tree tags (S3.10, S6.1, …) name the kernel trees listed in docs/kernel-model.md ("The kernel trees read"); the
 * extra trees read for this registry are named in full in `evidence`.
 */
export type KernelChangeId =
  | 'tcp-mem-global'
  | 'skb-min-truesize'
  | 'sock-min-buf-bounds'
  | 'int-range-check'
  | 'somaxconn-no-max'
  | 'tw-syn-backlog-per-netns'
  | 'rmem-wmem-per-netns'
  | 'limit-output-bytes-per-netns'
  | 'ulong-stops-at-end'
  | 'ulong-overflow-check'
  | 'minmax-range-check'
  | 'ulong-negative-einval'
  | 'per-netns-ehash'
  | 'core-mem-readonly-in-netns'
  | 'tcp-rmem-min-4096';

/** Sublevels of one stable series: the first known to have the change and the last known not to. */
export interface StableEvidence {
  readonly firstWith?: number;
  readonly lastWithout?: number;
}

export interface KernelChange {
  readonly id: KernelChangeId;
  /** The commit title, or a short name where the commit was not pinned. */
  readonly title: string;
  /** What changes, in one sentence. */
  readonly summary: string;
  /** The first mainline series that has it. */
  readonly mainline: string;
  /** Series between the last one seen without it and `mainline` that were not checked. */
  readonly unverifiedSeries: readonly string[];
  /** Stable series below `mainline` that have (or may later have) it as a backport. */
  readonly stable: Readonly<Record<string, StableEvidence>>;
  /** Where this was read. */
  readonly evidence: string;
}

/** Whether a kernel has a change: `unknown` when its series or hidden stable sublevel leaves it open. */
export type Presence = 'present' | 'absent' | 'unknown';

const changes: readonly KernelChange[] = [
  {
    id: 'tcp-mem-global',
    title: 'tcp_mem becomes global (commit not pinned)',
    summary:
      'tcp_mem moves from a per-netns array written through the memcg-aware ipv4_tcp_mem() wrapper to one global array written by proc_doulongvec_minmax().',
    mainline: '3.13',
    unverifiedSeries: ['3.12'],
    stable: {},
    evidence: 'S3.10 (3.10.108) and S3.11 (3.11.0) have ipv4_tcp_mem() in ipv4_net_table; S3.13 (3.13.10) and S3.14 have the global sysctl_tcp_mem[] in ipv4_table (net/ipv4/sysctl_net_ipv4.c).',
  },
  {
    id: 'skb-min-truesize',
    title: 'SOCK_MIN_SNDBUF/SOCK_MIN_RCVBUF from TCP_SKB_MIN_TRUESIZE',
    summary: 'SOCK_MIN_SNDBUF/SOCK_MIN_RCVBUF become 2×/1× (2048 + SKB_DATA_ALIGN(sizeof(struct sk_buff))).',
    mainline: '3.11',
    unverifiedSeries: [],
    stable: {},
    evidence: 'include/net/sock.h: S3.10 (3.10.108) has SOCK_MIN_SNDBUF 2048 and SOCK_MIN_RCVBUF 2048 + sizeof(struct sk_buff); 3.11.0 (PKUCloud/samsara-linux-3.11 @4aa054f0) has TCP_SKB_MIN_TRUESIZE.',
  },
  {
    id: 'sock-min-buf-bounds',
    title: 'net: sysctl_net_core: check SNDBUF and RCVBUF for min length (title from memory)',
    summary: 'net.core.wmem_max/rmem_max get extra1 = SOCK_MIN_SNDBUF/SOCK_MIN_RCVBUF instead of 1.',
    mainline: '3.19',
    unverifiedSeries: ['3.17', '3.18'],
    stable: { '3.10': { firstWith: 108, lastWithout: 0 }, '3.14': { lastWithout: 1 }, '3.16': { lastWithout: 0 } },
    evidence:
      'net/core/sysctl_net_core.c: extra1 = &one in 3.11.0, S3.14 (3.14.1) and S3.16 (3.16.0); &min_sndbuf/&min_rcvbuf in S3.19 (3.19.8) and in the 3.10.108 stable tree (a backport).',
  },
  {
    id: 'int-range-check',
    title: 'kernel/sysctl.c: detect overflows when converting to int',
    summary:
      'proc_dointvec() rejects values outside int with EINVAL ("kernel/sysctl.c: detect overflows when converting to int", 230633d109e3); before, it stored the low 32 bits.',
    mainline: '4.1',
    unverifiedSeries: ['4.0'],
    stable: {},
    evidence: 'do_proc_dointvec_conv() in kernel/sysctl.c: no INT_MAX check in S3.19 (3.19.8); present in S4.1 (4.1.19) and later; the commit was in mmotm 2015-04-23 (linux-mm mail).',
  },
  {
    id: 'somaxconn-no-max',
    title: 'somaxconn loses its 65535 maximum (commit not pinned)',
    summary: 'net.core.somaxconn loses its maximum of 65535 (extra2 = &ushort_max).',
    mainline: '4.1',
    unverifiedSeries: ['4.0'],
    stable: {},
    evidence: 'net/core/sysctl_net_core.c: extra2 = &ushort_max in S3.10, S3.14, S3.19; none in S4.1 (4.1.19) and later.',
  },
  {
    id: 'tw-syn-backlog-per-netns',
    title: 'ipv4: Namespaceify tcp_max_syn_backlog knob',
    summary:
      'tcp_max_tw_buckets and tcp_max_syn_backlog move into ipv4_net_table (per netns) ("ipv4: Namespaceify tcp_max_syn_backlog knob", "… tcp_tw_recycle and tcp_max_tw_buckets knob").',
    mainline: '4.11',
    unverifiedSeries: [],
    stable: {},
    evidence: 'net/ipv4/sysctl_net_ipv4.c: global in S4.10 (4.10.17); in ipv4_net_table in 4.11.0 (HCLS/linux-4.11 @93c10f52) and S4.14.',
  },
  {
    id: 'rmem-wmem-per-netns',
    title: 'tcp: Namespace-ify sysctl_tcp_rmem and sysctl_tcp_wmem',
    summary: 'tcp_rmem and tcp_wmem move into struct netns_ipv4 ("tcp: Namespace-ify sysctl_tcp_rmem and sysctl_tcp_wmem").',
    mainline: '4.15',
    unverifiedSeries: [],
    stable: {},
    evidence: 'net/ipv4/sysctl_net_ipv4.c: ipv4_table in S4.14 (4.14.67); ipv4_net_table in S4.15 (4.15.0); tcp_sk_init() memcpy()s init_net\'s values.',
  },
  {
    id: 'limit-output-bytes-per-netns',
    title: 'tcp_limit_output_bytes becomes per-netns (commit not pinned)',
    summary: 'tcp_limit_output_bytes moves into struct netns_ipv4.',
    mainline: '4.15',
    unverifiedSeries: [],
    stable: {},
    evidence: 'net/ipv4/sysctl_net_ipv4.c: global in S4.14 (4.14.67); per-netns in S4.15 (4.15.0); tcp_sk_init() sets the compile-time default.',
  },
  {
    id: 'ulong-stops-at-end',
    title: 'proc_doulongvec_minmax stops at the end of the input (commit not pinned)',
    summary:
      '__do_proc_doulongvec_minmax() stops when only whitespace is left; before, a write with fewer values than the vector that ends in whitespace (a newline) failed with EINVAL after storing the values it had read.',
    mainline: '5.0',
    unverifiedSeries: [],
    stable: { '4.4': { lastWithout: 178 }, '4.9': { firstWith: 229, lastWithout: 0 }, '4.14': { lastWithout: 67 }, '4.19': { lastWithout: 0 } },
    evidence:
      'kernel/sysctl.c: no "if (!left) break" in S3.10 … S4.15, S4.19 (4.19.0), S4.20 (4.20.1), S4.4 (4.4.178); present in S5.0 (5.0.1) and later, and in the 4.9.229 stable tree.',
  },
  {
    id: 'ulong-overflow-check',
    title: 'sysctl: handle overflow in proc_get_long (title from memory)',
    summary:
      'proc_get_long() parses with strtoul_lenient() and rejects a number above ULONG_MAX ("sysctl: handle overflow in proc_get_long"); before, simple_strtoul() wrapped it modulo 2^64.',
    mainline: '5.3',
    unverifiedSeries: ['5.1', '5.2'],
    stable: { '4.4': { lastWithout: 178 }, '4.9': { lastWithout: 229 }, '4.14': { lastWithout: 67 }, '4.19': { lastWithout: 0 } },
    evidence: 'kernel/sysctl.c: simple_strtoul() in every tree up to S5.0 (5.0.1); strtoul_lenient() in S5.3 (5.3.1) and later.',
  },
  {
    id: 'minmax-range-check',
    title: 'proc_dointvec_minmax checks the int range first (commit not pinned)',
    summary:
      'proc_dointvec_minmax() range-checks the value as an int before comparing it with the bounds; before, it truncated to int first (4294967297 became 1 and passed a minimum of 1).',
    mainline: '5.3',
    unverifiedSeries: ['5.1', '5.2'],
    stable: {
      '4.4': { firstWith: 178, lastWithout: 0 },
      '4.9': { firstWith: 229, lastWithout: 0 },
      '4.14': { lastWithout: 67 },
      '4.19': { lastWithout: 0 },
      '5.0': { lastWithout: 1 },
    },
    evidence:
      'do_proc_dointvec_minmax_conv(): "int val = *negp ? -*lvalp : *lvalp" in S3.10 … S4.15, S4.19 (4.19.0), S4.20, S5.0 (5.0.1); checked through do_proc_dointvec_conv() in S5.3 (5.3.1) and later; inline INT_MAX checks in the 4.4.178 and 4.9.229 stable trees.',
  },
  {
    id: 'ulong-negative-einval',
    title: 'sysctl: returns -EINVAL when a negative value is passed to proc_doulongvec_minmax',
    summary:
      'proc_doulongvec_minmax() fails a negative value with EINVAL ("sysctl: returns -EINVAL when a negative value is passed to proc_doulongvec_minmax", Baokun Li); before, it skipped the element silently.',
    mainline: '5.17',
    unverifiedSeries: ['5.16'],
    stable: { '5.15': { lastWithout: 135 } },
    evidence: 'kernel/sysctl.c: "if (neg) continue;" in S5.15 (5.15.135) and a 5.15.16 tree (yashlala/fastswap-linux-5.16.16, whose Makefile says 5.15.16); "if (err || neg)" in 5.17.0 (dunli/linux-5.17) and S6.6.',
  },
  {
    id: 'per-netns-ehash',
    title: 'tcp: Introduce optional per-netns ehash',
    summary:
      'tcp_child_ehash_entries and the read-only tcp_ehash_entries appear ("tcp: Introduce optional per-netns ehash", Kuniyuki Iwashima).',
    mainline: '6.1',
    unverifiedSeries: [],
    stable: {},
    evidence: 'net/ipv4/sysctl_net_ipv4.c of S6.1 (Debian 6.1.192); the per-netns table in tcp_set_hashinfo() (net/ipv4/tcp_ipv4.c, 6.1).',
  },
  {
    id: 'core-mem-readonly-in-netns',
    title: 'net: make net.core.{r,w}mem_{default,max} namespaced',
    summary:
      'net.core.{r,w}mem_{default,max} move into netns_core_table, read-only outside init_net ("net: make net.core.{r,w}mem_{default,max} namespaced", 19249c0724f2, Matteo Croce); they stay global.',
    mainline: '6.11',
    unverifiedSeries: [],
    stable: {},
    evidence:
      'net/core/sysctl_net_core.c: in net_core_table in 6.10.0 (msgeden/cryptocap-arm64-linux-6.10); in netns_core_table with mode &= ~0222 for child netns in 6.11.11 (segzix/linux-6.11.11), S6.12, S6.18, S7.1 (7.1.5); writes in a child netns give EACCES on the 6.18.44 host. The follow-up that makes them writable per netns (Danny Lin, Feb 2025) is not in 7.1.5.',
  },
  {
    id: 'tcp-rmem-min-4096',
    title: 'tcp: do not let tcp_rmem be set below 4096',
    summary:
      'tcp_rmem gets extra1 = &tcp_min_rcvbuf (4096) instead of SYSCTL_ONE ("tcp: do not let tcp_rmem be set below 4096").',
    mainline: '7.3',
    unverifiedSeries: [],
    stable: {
      '6.1': { firstWith: 189, lastWithout: 188 },
      '6.12': { firstWith: 112, lastWithout: 111 },
      '5.10': { lastWithout: 89 },
      '5.15': { lastWithout: 135 },
      '6.6': { lastWithout: 87 },
      '6.18': { lastWithout: 44 },
      '7.1': { lastWithout: 5 },
      '7.2': { lastWithout: 0 },
    },
    evidence:
      'Debian changelogs of linux-source-6.1 6.1.192-2 and linux-source-6.12 6.12.117-1~deb12u1 list it under upstream 6.1.189 and 6.12.112; S6.1 and S6.12 have tcp_min_rcvbuf = 4096; S6.18 (6.18.2) and S7.1 (7.1.5) do not, and the 6.18.44 host accepts tcp_rmem "1 1 1". Mainline from the 7.3 cycle (netdev mail; the upstream hash is not pinned). Later 5.10/5.15/6.6/6.18/7.1/7.2 stable releases may carry it.',
  },
];

const byId = new Map(changes.map((c) => [c.id, c]));

/** The change with that id. */
export function kernelChange(id: KernelChangeId): KernelChange {
  const change = byId.get(id);
  if (change === undefined) throw new Error(`unknown kernel change ${id}`);
  return change;
}

/** Every dated change, in the order above. */
export function listKernelChanges(): readonly KernelChange[] {
  return changes;
}

/** Compares two `major.minor` series. */
export function compareSeries(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/**
 * Whether a kernel has a change. `sublevel` is the real stable sublevel (see `stableSublevelOf`); without it a
 * series that received a backport is `unknown`.
 */
export function presenceOf(id: KernelChangeId, version: Pick<KernelVersion, 'major' | 'minor'>, sublevel: number | undefined): Presence {
  const change = kernelChange(id);
  const series = seriesOf(version);
  if (compareSeries(series, change.mainline) >= 0) return 'present';
  if (change.unverifiedSeries.includes(series)) return 'unknown';
  const stable = change.stable[series];
  if (stable === undefined) return 'absent';
  if (sublevel === undefined) return 'unknown';
  if (stable.firstWith !== undefined && sublevel >= stable.firstWith) return 'present';
  if (stable.lastWithout !== undefined && sublevel <= stable.lastWithout) return 'absent';
  return 'unknown';
}

/** Why `presenceOf` is `unknown` for a kernel, in one clause (empty when it is not unknown). */
export function whyUnknown(id: KernelChangeId, version: Pick<KernelVersion, 'major' | 'minor'>, sublevel: number | undefined): string {
  if (presenceOf(id, version, sublevel) !== 'unknown') return '';
  const change = kernelChange(id);
  const series = seriesOf(version);
  if (change.unverifiedSeries.includes(series)) return `no ${series} tree was checked, and mainline has it from ${change.mainline}`;
  const stable = change.stable[series];
  const known = [
    stable?.lastWithout !== undefined ? `${series}.${stable.lastWithout} lacks it` : '',
    stable?.firstWith !== undefined ? `${series}.${stable.firstWith} has it` : '',
  ].filter((s) => s !== '');
  const evidence = known.length > 0 ? known.join(', ') : 'no stable release of this series was checked';
  return sublevel === undefined
    ? `the release string hides the stable sublevel, and ${evidence}: pass stableSublevel`
    : `nothing says whether ${series}.${sublevel} has it: ${evidence}`;
}
