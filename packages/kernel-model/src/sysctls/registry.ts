import { seriesOf, type KernelVersion } from '../series/kernel-version';
import { compareSeries } from './kernel-changes';
import type { Bound, ScopeFacts, SysctlDefinition, SysctlName, WriteRule } from './sysctl-definition';

/** The oldest series the registry covers (the oldest tree read). Older kernels get 3.10's rules, flagged uncertain. */
export const MODEL_FLOOR = '3.10';

const ipv4 = 'net/ipv4/sysctl_net_ipv4.c';
const core = 'net/core/sysctl_net_core.c';
const PAGES = ['low', 'pressure', 'high'] as const;
const BUFFER = ['min', 'default', 'max'] as const;
const VALUE = ['value'] as const;

const bound = (kernelName: string, value: bigint): Bound => ({ kernelName, low: value, high: value });
const one = bound('SYSCTL_ONE', 1n);
const zero = bound('SYSCTL_ZERO', 0n);

const globalOnly: ScopeFacts = {
  scope: 'global',
  inChildNetns: 'absent',
  newNetnsValue: 'not-applicable',
  note: 'Registered for the initial network namespace only (ipv4_table / net_core_table): other namespaces have no such file (ENOENT).',
};
const plain = (handler: 'proc_dointvec' | 'proc_doulongvec_minmax'): WriteRule => ({
  handler: { always: handler },
  min: { always: undefined },
  max: { always: undefined },
});

const definitions = [
  {
    name: 'net.ipv4.tcp_mem',
    procPath: '/proc/sys/net/ipv4/tcp_mem',
    shape: 'triple',
    fields: PAGES,
    unit: 'pages',
    cType: 'unsigned long',
    description:
      'Memory all TCP sockets of the host may use, in pages: below low nothing is regulated, above pressure buffers are trimmed, at high allocations fail.',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: {
      change: 'tcp-mem-global',
      before: {
        always: {
          scope: 'per-netns',
          inChildNetns: 'writable',
          newNetnsValue: 'computed-at-creation',
          note: 'ipv4_sysctl_init_net() calls tcp_init_mem(net) for every new namespace, from nr_free_buffer_pages() at that moment; writes go through ipv4_tcp_mem(), which acts on the writer\'s namespace.',
        },
      },
      after: { always: globalOnly },
    },
    write: {
      handler: { change: 'tcp-mem-global', before: { always: 'ipv4_tcp_mem' }, after: { always: 'proc_doulongvec_minmax' } },
      min: { always: undefined },
      max: { always: undefined },
    },
    kernelSource: ipv4,
  },
  {
    name: 'net.ipv4.udp_mem',
    procPath: '/proc/sys/net/ipv4/udp_mem',
    shape: 'triple',
    fields: PAGES,
    unit: 'pages',
    cType: 'unsigned long',
    description: 'Memory all UDP sockets of the host may use, in pages: the same low / pressure / high thresholds as tcp_mem.',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: { always: globalOnly },
    write: plain('proc_doulongvec_minmax'),
    kernelSource: ipv4,
  },
  {
    name: 'net.ipv4.tcp_rmem',
    procPath: '/proc/sys/net/ipv4/tcp_rmem',
    shape: 'triple',
    fields: BUFFER,
    unit: 'bytes',
    cType: 'int',
    description:
      'Receive buffer of each TCP socket, in bytes: what it keeps under memory pressure, its initial size, and the ceiling receive autotuning grows it to.',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: {
      change: 'rmem-wmem-per-netns',
      before: { always: globalOnly },
      after: {
        always: {
          scope: 'per-netns',
          inChildNetns: 'writable',
          newNetnsValue: 'init-net-current',
          note: 'tcp_sk_init() copies the initial namespace\'s current values (not the creating namespace\'s: checked with a namespace created inside another on the 6.18.44 host).',
        },
      },
    },
    write: {
      handler: { always: 'proc_dointvec_minmax' },
      min: { change: 'tcp-rmem-min-4096', before: { always: one }, after: { always: bound('tcp_min_rcvbuf', 4096n) } },
      max: { always: undefined },
    },
    kernelSource: ipv4,
  },
  {
    name: 'net.ipv4.tcp_wmem',
    procPath: '/proc/sys/net/ipv4/tcp_wmem',
    shape: 'triple',
    fields: BUFFER,
    unit: 'bytes',
    cType: 'int',
    description:
      'Send buffer of each TCP socket, in bytes: what it keeps under memory pressure, its initial size, and the ceiling send autotuning grows it to.',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: {
      change: 'rmem-wmem-per-netns',
      before: { always: globalOnly },
      after: {
        always: {
          scope: 'per-netns',
          inChildNetns: 'writable',
          newNetnsValue: 'init-net-current',
          note: 'tcp_sk_init() copies the initial namespace\'s current values.',
        },
      },
    },
    write: { handler: { always: 'proc_dointvec_minmax' }, min: { always: one }, max: { always: undefined } },
    kernelSource: ipv4,
  },
  {
    name: 'net.ipv4.tcp_max_tw_buckets',
    procPath: '/proc/sys/net/ipv4/tcp_max_tw_buckets',
    shape: 'scalar',
    fields: VALUE,
    unit: 'count',
    cType: 'int',
    description:
      'How many connections may wait in TIME_WAIT at once; past it the kernel drops them at once and logs "time wait bucket table overflow".',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: {
      change: 'tw-syn-backlog-per-netns',
      before: { always: globalOnly },
      after: {
        always: {
          scope: 'per-netns',
          inChildNetns: 'writable',
          newNetnsValue: 'derived-from-ehash',
          note: 'Set to half the ehash size for each new namespace (tcp_sk_init(); from 6.1 tcp_set_hashinfo(), from the namespace\'s own ehash when tcp_child_ehash_entries gave it one).',
        },
      },
    },
    write: plain('proc_dointvec'),
    kernelSource: ipv4,
  },
  {
    name: 'net.ipv4.tcp_max_orphans',
    procPath: '/proc/sys/net/ipv4/tcp_max_orphans',
    shape: 'scalar',
    fields: VALUE,
    unit: 'count',
    cType: 'int',
    description:
      'How many TCP sockets no process holds any more (closed but still finishing) the host keeps; past it they are reset and "too many orphaned sockets" is logged.',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: { always: globalOnly },
    write: plain('proc_dointvec'),
    kernelSource: ipv4,
  },
  {
    name: 'net.ipv4.tcp_max_syn_backlog',
    procPath: '/proc/sys/net/ipv4/tcp_max_syn_backlog',
    shape: 'scalar',
    fields: VALUE,
    unit: 'count',
    cType: 'int',
    description:
      'How many half-open connections (SYN received, handshake unfinished) a listener queues before it answers with SYN cookies or drops.',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: {
      change: 'tw-syn-backlog-per-netns',
      before: { always: globalOnly },
      after: {
        always: {
          scope: 'per-netns',
          inChildNetns: 'writable',
          newNetnsValue: 'derived-from-ehash',
          note: 'Set to max(128, ehash/256) (ehash/128 from 5.4) for each new namespace, like tcp_max_tw_buckets.',
        },
      },
    },
    write: plain('proc_dointvec'),
    kernelSource: ipv4,
  },
  {
    name: 'net.ipv4.tcp_limit_output_bytes',
    procPath: '/proc/sys/net/ipv4/tcp_limit_output_bytes',
    shape: 'scalar',
    fields: VALUE,
    unit: 'bytes',
    cType: 'int',
    description:
      'TCP Small Queues: how many bytes one socket may have waiting in the qdisc and the device before it holds back further sends.',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: {
      change: 'limit-output-bytes-per-netns',
      before: { always: globalOnly },
      after: {
        always: {
          scope: 'per-netns',
          inChildNetns: 'writable',
          newNetnsValue: 'compile-time-default',
          note: 'tcp_sk_init() sets the compile-time default for each new namespace, whatever the host has (4194304 in a new namespace on the 6.18.44 host).',
        },
      },
    },
    write: plain('proc_dointvec'),
    kernelSource: ipv4,
  },
  {
    name: 'net.ipv4.tcp_child_ehash_entries',
    procPath: '/proc/sys/net/ipv4/tcp_child_ehash_entries',
    shape: 'scalar',
    fields: VALUE,
    unit: 'count',
    cType: 'unsigned int',
    description:
      'Size of a private established-connection hash table for network namespaces created from this one later (rounded up to a power of two); 0 makes them share the host\'s.',
    managed: true,
    writable: true,
    availableFrom: '6.1',
    scope: {
      always: {
        scope: 'per-netns',
        inChildNetns: 'writable',
        newNetnsValue: 'compile-time-default',
        note: 'Read from the creating namespace when a namespace is made; the new namespace\'s own value starts at 0.',
      },
    },
    write: {
      handler: { always: 'proc_douintvec_minmax' },
      min: { always: zero },
      max: { always: bound('tcp_child_ehash_entries_max', 16777216n) },
    },
    kernelSource: ipv4,
  },
  {
    name: 'net.ipv4.tcp_ehash_entries',
    procPath: '/proc/sys/net/ipv4/tcp_ehash_entries',
    shape: 'scalar',
    fields: VALUE,
    unit: 'count',
    cType: 'int',
    description:
      'Size of this namespace\'s established-connection hash table (read-only; negative in a namespace that shares the host\'s).',
    managed: false,
    writable: false,
    availableFrom: '6.1',
    scope: {
      always: {
        scope: 'per-netns',
        inChildNetns: 'read-only',
        newNetnsValue: 'derived-from-ehash',
        note: 'proc_tcp_ehash_entries() prints ehash_mask + 1, negated in a namespace that shares the global ehash (-262144 in a new namespace on the 6.18.44 host).',
      },
    },
    write: { handler: { always: 'proc_tcp_ehash_entries' }, min: { always: undefined }, max: { always: undefined } },
    kernelSource: ipv4,
  },
  {
    name: 'net.core.somaxconn',
    procPath: '/proc/sys/net/core/somaxconn',
    shape: 'scalar',
    fields: VALUE,
    unit: 'count',
    cType: 'int',
    description: 'Ceiling on every listening socket\'s accept queue: the backlog given to listen() is cut to it.',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: {
      always: {
        scope: 'per-netns',
        inChildNetns: 'writable',
        newNetnsValue: 'compile-time-default',
        note: 'Each new namespace starts at SOMAXCONN (128, 4096 from 5.4), whatever the host has (checked on the 6.18.44 host).',
      },
    },
    write: {
      handler: { always: 'proc_dointvec_minmax' },
      min: { always: zero },
      max: { change: 'somaxconn-no-max', before: { always: bound('ushort_max', 65535n) }, after: { always: undefined } },
    },
    kernelSource: core,
  },
  {
    name: 'net.core.rmem_max',
    procPath: '/proc/sys/net/core/rmem_max',
    shape: 'scalar',
    fields: VALUE,
    unit: 'bytes',
    cType: 'int',
    description:
      'Largest receive buffer an application may ask for with SO_RCVBUF, for every socket type (it does not cap TCP receive autotuning, tcp_rmem does).',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: {
      change: 'core-mem-readonly-in-netns',
      before: { always: globalOnly },
      after: {
        always: {
          scope: 'global',
          inChildNetns: 'read-only',
          newNetnsValue: 'not-applicable',
          note: 'Other namespaces see the host\'s value in a 0444 file (EACCES on write).',
        },
      },
    },
    write: {
      handler: { always: 'proc_dointvec_minmax' },
      min: {
        change: 'sock-min-buf-bounds',
        before: { always: one },
        after: {
          change: 'skb-min-truesize',
          // 2048 + sizeof(struct sk_buff), unaligned: somewhere up to 2304 on x86-64.
          before: { always: { kernelName: 'SOCK_MIN_RCVBUF', low: 2049n, high: 2304n } },
          // 2048 + SKB_DATA_ALIGN(sizeof(struct sk_buff)) = 2304 when 192 < sizeof(struct sk_buff) <= 256.
          after: { always: bound('SOCK_MIN_RCVBUF', 2304n) },
        },
      },
      max: { always: undefined },
    },
    kernelSource: core,
  },
  {
    name: 'net.core.wmem_max',
    procPath: '/proc/sys/net/core/wmem_max',
    shape: 'scalar',
    fields: VALUE,
    unit: 'bytes',
    cType: 'int',
    description:
      'Largest send buffer an application may ask for with SO_SNDBUF, for every socket type (it does not cap TCP send autotuning, tcp_wmem does).',
    managed: true,
    writable: true,
    availableFrom: '3.10',
    scope: {
      change: 'core-mem-readonly-in-netns',
      before: { always: globalOnly },
      after: {
        always: {
          scope: 'global',
          inChildNetns: 'read-only',
          newNetnsValue: 'not-applicable',
          note: 'Other namespaces see the host\'s value in a 0444 file (EACCES on write).',
        },
      },
    },
    write: {
      handler: { always: 'proc_dointvec_minmax' },
      min: {
        change: 'sock-min-buf-bounds',
        before: { always: one },
        after: {
          change: 'skb-min-truesize',
          before: { always: bound('SOCK_MIN_SNDBUF', 2048n) },
          // 2 * (2048 + SKB_DATA_ALIGN(sizeof(struct sk_buff))) = 4608 when 192 < sizeof(struct sk_buff) <= 256.
          after: { always: bound('SOCK_MIN_SNDBUF', 4608n) },
        },
      },
      max: { always: undefined },
    },
    kernelSource: core,
  },
] as const satisfies readonly SysctlDefinition[];

type Undefined = Exclude<SysctlName, (typeof definitions)[number]['name']>;
/** Every defined name. It fails to compile (naming `missing`) when the schema's $defs/Sysctls gains a sysctl without a definition. */
const definedNames: [Undefined] extends [never] ? readonly string[] : { missing: Undefined } = definitions.map((d) => d.name);

const registry = new Map<string, SysctlDefinition>(definitions.map((d) => [d.name, d]));

/** True when the text is the name of a sysctl the registry knows (dotted form, as in the schema). */
export function isSysctlName(name: string): name is SysctlName {
  return definedNames.includes(name);
}

/** The definition of one sysctl. */
export function getSysctl(name: SysctlName): SysctlDefinition {
  const definition = registry.get(name);
  if (definition === undefined) throw new Error(`unknown sysctl ${name}`);
  return definition;
}

/** Every sysctl the registry knows, in the schema's order, with `tcp_ehash_entries` after its writable sibling. */
export function listSysctls(): readonly SysctlDefinition[] {
  return definitions;
}

/** Whether a sysctl exists on a kernel's series (those present in 3.10 count as present in older series too). */
export function isAvailable(definition: SysctlDefinition, version: Pick<KernelVersion, 'major' | 'minor'>): boolean {
  return definition.availableFrom === MODEL_FLOOR || compareSeries(seriesOf(version), definition.availableFrom) >= 0;
}

/** The sysctls that exist on a kernel's series. */
export function sysctlsFor(version: Pick<KernelVersion, 'major' | 'minor'>): readonly SysctlDefinition[] {
  return definitions.filter((d) => isAvailable(d, version));
}

/** The number of elements the kernel reads and prints: 3 for a triple, 1 for a scalar. */
export function vectorLength(definition: SysctlDefinition): number {
  return definition.fields.length;
}
