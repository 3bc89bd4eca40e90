/* Generated from schemas/tcpmem.schema.json by packages/schema/scripts/generate.js. Do not edit. */

/**
 * Every document tcpmem reads or writes: a fleet config (or a part of one), a hardware description, facts discovered on a host, a model report, a plan and an apply report. The `kind` field says which, and picks the one definition the document is validated against.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "TcpmemDocument".
 */
export type TcpmemDocument = Fleet | HardwareDocument | FactsDocument | ModelReport | Plan | ApplyReport;
/**
 * Time allowed to connect, exchange keys and authenticate (default 10s).
 */
export type Duration = string;
/**
 * Time allowed for one remote command (default 60s).
 */
export type Duration1 = string;
/**
 * Whole-host TCP memory thresholds, in pages: below `low` TCP does not limit itself, above `pressure` it moderates buffers, above `high` it refuses allocations. Only in the initial network namespace.
 */
export type PagesTriple =
  | string
  | [ValueExpr, ValueExpr, ValueExpr]
  | {
      low?: ValueExpr;
      pressure?: ValueExpr;
      high?: ValueExpr;
    };
/**
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "ValueExpr".
 */
export type ValueExpr =
  | number
  | string
  | {
      atLeast: ValueExpr;
    };
/**
 * Whole-host UDP memory thresholds, in pages (low, pressure, high). Only in the initial network namespace.
 */
export type PagesTriple1 =
  | string
  | [ValueExpr, ValueExpr, ValueExpr]
  | {
      low?: ValueExpr;
      pressure?: ValueExpr;
      high?: ValueExpr;
    };
/**
 * Per-socket receive buffer, in bytes: min, default (initial), max (the autotuning ceiling).
 */
export type BufferTriple =
  | string
  | [ValueExpr, ValueExpr, ValueExpr]
  | {
      min?: ValueExpr;
      default?: ValueExpr;
      max?: ValueExpr;
    };
/**
 * Per-socket send buffer, in bytes: min, default (initial), max (the autotuning ceiling).
 */
export type BufferTriple1 =
  | string
  | [ValueExpr, ValueExpr, ValueExpr]
  | {
      min?: ValueExpr;
      default?: ValueExpr;
      max?: ValueExpr;
    };
/**
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
 */
export type ValueExpr1 =
  | number
  | string
  | {
      atLeast: ValueExpr;
    };
/**
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
 */
export type ValueExpr2 =
  | number
  | string
  | {
      atLeast: ValueExpr;
    };
/**
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
 */
export type ValueExpr3 =
  | number
  | string
  | {
      atLeast: ValueExpr;
    };
/**
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
 */
export type ValueExpr4 =
  | number
  | string
  | {
      atLeast: ValueExpr;
    };
/**
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
 */
export type ValueExpr5 =
  | number
  | string
  | {
      atLeast: ValueExpr;
    };
/**
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
 */
export type ValueExpr6 =
  | number
  | string
  | {
      atLeast: ValueExpr;
    };
/**
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
 */
export type ValueExpr7 =
  | number
  | string
  | {
      atLeast: ValueExpr;
    };
/**
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
 */
export type ValueExpr8 =
  | number
  | string
  | {
      atLeast: ValueExpr;
    };
/**
 * The rate one flow should reach.
 */
export type Rate = string;
/**
 * The round-trip time of the flows' path.
 */
export type Duration2 = string;
/**
 * Time from handing a packet to the NIC to its TX completion (interrupt coalescing included); TCP Small Queues cap a flow at about tcp_limit_output_bytes over this. Default 500us.
 */
export type Duration3 = string;
/**
 * A kernel release as `uname -r` prints it (`6.1.0-26-cloud-amd64`, `5.15.0-91-generic`) or a bare series (`4.9`, `6.12`).
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "KernelRelease".
 */
export type KernelRelease = string;
/**
 * Total RAM, for a host with one NUMA node (as installed, or as given to the VM).
 */
export type Size = number | string;
/**
 * An amount of memory: an integer number of bytes, or a number with a binary (KiB, MiB, GiB, TiB) or decimal (kB, MB, GB, TB) unit, e.g. `16MiB`.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Size".
 */
export type Size1 = number | string;
/**
 * An amount of memory: an integer number of bytes, or a number with a binary (KiB, MiB, GiB, TiB) or decimal (kB, MB, GB, TB) unit, e.g. `16MiB`.
 */
export type Size2 = number | string;
/**
 * What kernel-model needs to know about a host: its memory (total, or per NUMA node), CPUs, page size, architecture, kernel release and boot command line. Facts captured from the live host (by `tcpmem discover`) make the model exact.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Hardware".
 */
export type Hardware = HardwareFields & {kernel: KernelRelease};
/**
 * A sysctl's value as integers: one, or three for a triple.
 *
 * @minItems 1
 * @maxItems 3
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "SysctlValues".
 */
export type SysctlValues = number[];
/**
 * A page-valued triple (`tcp_mem`, `udp_mem`): low, pressure, high.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "PagesTriple".
 */
export type PagesTriple2 =
  | string
  | [ValueExpr, ValueExpr, ValueExpr]
  | {
      low?: ValueExpr;
      pressure?: ValueExpr;
      high?: ValueExpr;
    };
/**
 * A per-socket buffer triple in bytes (`tcp_rmem`, `tcp_wmem`): min, default, max.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "BufferTriple".
 */
export type BufferTriple2 =
  | string
  | [ValueExpr, ValueExpr, ValueExpr]
  | {
      min?: ValueExpr;
      default?: ValueExpr;
      max?: ValueExpr;
    };
/**
 * A time span with a unit: `ns`, `us` (or `µs`), `ms`, `s`, e.g. `100ms`.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Duration".
 */
export type Duration4 = string;
/**
 * A data rate: bits per second (`bit`, `Kbit`, `Mbit`, `Gbit`, `Tbit`, decimal) or bytes per second (`B/s`, `kB/s`, `MB/s`, `GB/s`, `KiB/s`, `MiB/s`, `GiB/s`), e.g. `25Gbit`.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Rate".
 */
export type Rate1 = string;

/**
 * A fleet config file, or a part of one pulled in with `include`.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Fleet".
 */
export interface Fleet {
  kind: "fleet";
  /**
   * The config format version; 1 is the only one so far.
   */
  version?: 1;
  /**
   * A name for the fleet, shown in plans.
   */
  name?: string;
  /**
   * Files or folders, relative to this file, whose groups, hosts and presets join this fleet; a folder brings in every .yaml, .yml and .json file below it.
   */
  include?: string[];
  defaults?: Settings;
  /**
   * Reusable, named sets of sysctls with their source; levels apply them with `presets: [name]`. Built-in ones are named `tcpmem:…`.
   */
  presets?: {
    [k: string]: Preset | undefined;
  };
  /**
   * Named settings that hosts join; a host may be in several, applied in the order it lists them.
   */
  groups?: {
    [k: string]: Group | undefined;
  };
  /**
   * The hosts, by name.
   */
  hosts?: {
    [k: string]: Host | undefined;
  };
}
/**
 * Settings every host starts from; groups and the host itself override them.
 */
export interface Settings {
  ssh?: SshConnection;
  sysctls?: Sysctls;
  workload?: Workload;
  /**
   * Named presets applied before this level's own sysctls, in order.
   */
  presets?: string[];
  hardware?: HardwareFields;
}
/**
 * How to reach the host(s) over SSH; merged field by field with the levels below.
 */
export interface SshConnection {
  /**
   * The login user (default: the current user). Not root: use a deploy user with `sudo -n`.
   */
  user?: string;
  /**
   * The SSH port (default 22).
   */
  port?: number;
  /**
   * Private key file (OpenSSH or PEM); `~/` is the home folder. Default ~/.ssh/id_ed25519 unless `agent` is set.
   */
  identityFile?: string;
  /**
   * Environment variable holding the identity file's passphrase.
   */
  passphraseEnv?: string;
  /**
   * Use the ssh-agent at $SSH_AUTH_SOCK.
   */
  agent?: boolean;
  /**
   * Run privileged commands with `sudo -n` (default true unless the user is root).
   */
  sudo?: boolean;
  /**
   * `strict`: refuse unknown and changed host keys. `accept-new`: add an unknown host's key to known_hosts, still refuse a changed one.
   */
  hostKeyPolicy?: "strict" | "accept-new";
  /**
   * OpenSSH known_hosts file to verify host keys against (default ~/.ssh/known_hosts).
   */
  knownHostsFile?: string;
  /**
   * `[user@]host[:port]`, like ssh's ProxyJump.
   */
  jumpHost?: string;
  connectTimeout?: Duration;
  commandTimeout?: Duration1;
}
/**
 * Desired sysctl values; a later level wins per sysctl (per field for the object form).
 */
export interface Sysctls {
  "net.ipv4.tcp_mem"?: PagesTriple;
  "net.ipv4.udp_mem"?: PagesTriple1;
  "net.ipv4.tcp_rmem"?: BufferTriple;
  "net.ipv4.tcp_wmem"?: BufferTriple1;
  "net.ipv4.tcp_max_tw_buckets"?: ValueExpr1;
  "net.ipv4.tcp_max_orphans"?: ValueExpr2;
  "net.ipv4.tcp_max_syn_backlog"?: ValueExpr3;
  "net.ipv4.tcp_limit_output_bytes"?: ValueExpr4;
  "net.ipv4.tcp_child_ehash_entries"?: ValueExpr5;
  "net.core.somaxconn"?: ValueExpr6;
  "net.core.rmem_max"?: ValueExpr7;
  "net.core.wmem_max"?: ValueExpr8;
}
/**
 * Traffic targets that tcpmem turns into tcp_rmem/tcp_wmem maxima and tcp_mem; explicit sysctls win over what it derives.
 */
export interface Workload {
  flowRate: Rate;
  rtt: Duration2;
  /**
   * How many such flows run at once on the host.
   */
  flows: number;
  /**
   * Which buffers the flows need: `receive` (tcp_rmem), `send` (tcp_wmem) or `both`.
   */
  direction?: "receive" | "send" | "both";
  completionLatency?: Duration3;
}
/**
 * The host's hardware, merged field by field with the levels below; needed for hosts planned offline.
 */
export interface HardwareFields {
  kernel?: KernelRelease;
  memory?: Size;
  /**
   * Memory per NUMA node, in node order. Use instead of `memory` for multi-node hosts.
   *
   * @minItems 1
   * @maxItems 1024
   */
  nodes?: [Size1 | NumaNode, ...(Size1 | NumaNode)[]];
  cpus?: number;
  arch?: "x86_64" | "aarch64";
  pageSize?: 4096 | 16384 | 65536;
  /**
   * Kernel boot parameters, as in /proc/cmdline (`thash_entries=`, `transparent_hugepage=`, `mem=`, `movablecore=` are understood).
   */
  cmdline?: string;
  /**
   * The kernel's built-in THP mode (CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS/MADVISE); `transparent_hugepage=` on the command line overrides it. Debian, Ubuntu and RHEL kernels default to madvise or always.
   */
  transparentHugepage?: "always" | "madvise" | "never";
  facts?: HostFacts;
  initrd?: Size2;
  /**
   * The firmware's physical memory map: QEMU's i440FX `pc` layout (also right for most hosts below 3.5 GiB) or its `q35` layout.
   */
  platform?: "qemu-pc" | "qemu-q35";
  /**
   * The CPU has la57 and the kernel uses 5-level page tables (about 2 MiB more reserved at boot).
   */
  fiveLevelPaging?: boolean;
}
/**
 * One NUMA node: its memory and, optionally, how many CPUs it has.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "NumaNode".
 */
export interface NumaNode {
  memory: Size1;
  cpus?: number;
}
/**
 * Raw text read from a live host; the model parses it. Every field is optional: what a host let us read.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "HostFacts".
 */
export interface HostFacts {
  /**
   * `uname -r`
   */
  release?: string;
  /**
   * /proc/version
   */
  version?: string;
  /**
   * /proc/cmdline
   */
  cmdline?: string;
  /**
   * /proc/meminfo
   */
  meminfo?: string;
  /**
   * /proc/zoneinfo
   */
  zoneinfo?: string;
  /**
   * /sys/devices/system/node/nodeN/meminfo, in node order
   */
  nodeMeminfo?: string[];
  cpus?: number;
  pageSize?: number;
  /**
   * /sys/kernel/mm/transparent_hugepage/enabled
   */
  thpEnabled?: string;
  minFreeKbytes?: number;
  /**
   * The dmesg line `TCP: Hash tables configured (established N bind M)`
   */
  hashTablesLine?: string;
  /**
   * Live values as `sysctl -n` prints them
   */
  sysctls?: {
    [k: string]: string | undefined;
  };
  /**
   * The kernel boot log (`dmesg`), when readable: exact initrd and kernel-image frees, and the hash table sizes.
   */
  dmesg?: string;
}
/**
 * A reusable set of sysctls, with where its numbers come from.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Preset".
 */
export interface Preset {
  description?: string;
  /**
   * Provenance: a document, benchmark or ticket the values come from.
   */
  source: string;
  sysctls: Sysctls1;
}
/**
 * Desired values of the sysctls tcpmem manages. A setting left out is not managed (the host keeps, or is restored to, its kernel default).
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Sysctls".
 */
export interface Sysctls1 {
  "net.ipv4.tcp_mem"?: PagesTriple;
  "net.ipv4.udp_mem"?: PagesTriple1;
  "net.ipv4.tcp_rmem"?: BufferTriple;
  "net.ipv4.tcp_wmem"?: BufferTriple1;
  "net.ipv4.tcp_max_tw_buckets"?: ValueExpr1;
  "net.ipv4.tcp_max_orphans"?: ValueExpr2;
  "net.ipv4.tcp_max_syn_backlog"?: ValueExpr3;
  "net.ipv4.tcp_limit_output_bytes"?: ValueExpr4;
  "net.ipv4.tcp_child_ehash_entries"?: ValueExpr5;
  "net.core.somaxconn"?: ValueExpr6;
  "net.core.rmem_max"?: ValueExpr7;
  "net.core.wmem_max"?: ValueExpr8;
}
/**
 * A named set of settings that hosts join with `groups:`.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Group".
 */
export interface Group {
  ssh?: SshConnection1;
  sysctls?: Sysctls2;
  workload?: Workload1;
  /**
   * Named presets applied before this level's own sysctls, in order.
   */
  presets?: string[];
  hardware?: HardwareFields1;
  /**
   * What the group is for, for people.
   */
  description?: string;
}
/**
 * How to reach the host(s) over SSH; merged field by field with the levels below.
 */
export interface SshConnection1 {
  /**
   * The login user (default: the current user). Not root: use a deploy user with `sudo -n`.
   */
  user?: string;
  /**
   * The SSH port (default 22).
   */
  port?: number;
  /**
   * Private key file (OpenSSH or PEM); `~/` is the home folder. Default ~/.ssh/id_ed25519 unless `agent` is set.
   */
  identityFile?: string;
  /**
   * Environment variable holding the identity file's passphrase.
   */
  passphraseEnv?: string;
  /**
   * Use the ssh-agent at $SSH_AUTH_SOCK.
   */
  agent?: boolean;
  /**
   * Run privileged commands with `sudo -n` (default true unless the user is root).
   */
  sudo?: boolean;
  /**
   * `strict`: refuse unknown and changed host keys. `accept-new`: add an unknown host's key to known_hosts, still refuse a changed one.
   */
  hostKeyPolicy?: "strict" | "accept-new";
  /**
   * OpenSSH known_hosts file to verify host keys against (default ~/.ssh/known_hosts).
   */
  knownHostsFile?: string;
  /**
   * `[user@]host[:port]`, like ssh's ProxyJump.
   */
  jumpHost?: string;
  connectTimeout?: Duration;
  commandTimeout?: Duration1;
}
/**
 * Desired values of the sysctls tcpmem manages. A setting left out is not managed (the host keeps, or is restored to, its kernel default).
 */
export interface Sysctls2 {
  "net.ipv4.tcp_mem"?: PagesTriple;
  "net.ipv4.udp_mem"?: PagesTriple1;
  "net.ipv4.tcp_rmem"?: BufferTriple;
  "net.ipv4.tcp_wmem"?: BufferTriple1;
  "net.ipv4.tcp_max_tw_buckets"?: ValueExpr1;
  "net.ipv4.tcp_max_orphans"?: ValueExpr2;
  "net.ipv4.tcp_max_syn_backlog"?: ValueExpr3;
  "net.ipv4.tcp_limit_output_bytes"?: ValueExpr4;
  "net.ipv4.tcp_child_ehash_entries"?: ValueExpr5;
  "net.core.somaxconn"?: ValueExpr6;
  "net.core.rmem_max"?: ValueExpr7;
  "net.core.wmem_max"?: ValueExpr8;
}
/**
 * Traffic targets that tcpmem turns into tcp_rmem/tcp_wmem maxima and tcp_mem; explicit sysctls win over what it derives.
 */
export interface Workload1 {
  flowRate: Rate;
  rtt: Duration2;
  /**
   * How many such flows run at once on the host.
   */
  flows: number;
  /**
   * Which buffers the flows need: `receive` (tcp_rmem), `send` (tcp_wmem) or `both`.
   */
  direction?: "receive" | "send" | "both";
  completionLatency?: Duration3;
}
/**
 * The host's hardware, merged field by field with the levels below; needed for hosts planned offline.
 */
export interface HardwareFields1 {
  kernel?: KernelRelease;
  memory?: Size;
  /**
   * Memory per NUMA node, in node order. Use instead of `memory` for multi-node hosts.
   *
   * @minItems 1
   * @maxItems 1024
   */
  nodes?: [Size1 | NumaNode, ...(Size1 | NumaNode)[]];
  cpus?: number;
  arch?: "x86_64" | "aarch64";
  pageSize?: 4096 | 16384 | 65536;
  /**
   * Kernel boot parameters, as in /proc/cmdline (`thash_entries=`, `transparent_hugepage=`, `mem=`, `movablecore=` are understood).
   */
  cmdline?: string;
  /**
   * The kernel's built-in THP mode (CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS/MADVISE); `transparent_hugepage=` on the command line overrides it. Debian, Ubuntu and RHEL kernels default to madvise or always.
   */
  transparentHugepage?: "always" | "madvise" | "never";
  facts?: HostFacts;
  initrd?: Size2;
  /**
   * The firmware's physical memory map: QEMU's i440FX `pc` layout (also right for most hosts below 3.5 GiB) or its `q35` layout.
   */
  platform?: "qemu-pc" | "qemu-q35";
  /**
   * The CPU has la57 and the kernel uses 5-level page tables (about 2 MiB more reserved at boot).
   */
  fiveLevelPaging?: boolean;
}
/**
 * One host: where it is, which groups it is in, and its own settings (which win over its groups').
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Host".
 */
export interface Host {
  ssh?: SshConnection2;
  sysctls?: Sysctls3;
  workload?: Workload2;
  /**
   * Named presets applied before this level's own sysctls, in order.
   */
  presets?: string[];
  hardware?: HardwareFields2;
  /**
   * DNS name or IP address. A host without one is planned from its hardware description only.
   */
  address?: string;
  /**
   * The groups the host is in. Order matters: a later group wins over an earlier one.
   */
  groups?: string[];
  /**
   * A facts file written by `tcpmem discover`, relative to this file. Facts documents found in the config folder (or in `facts/` beside the fleet file) are matched to hosts by name without this.
   */
  facts?: string;
}
/**
 * How to reach the host(s) over SSH; merged field by field with the levels below.
 */
export interface SshConnection2 {
  /**
   * The login user (default: the current user). Not root: use a deploy user with `sudo -n`.
   */
  user?: string;
  /**
   * The SSH port (default 22).
   */
  port?: number;
  /**
   * Private key file (OpenSSH or PEM); `~/` is the home folder. Default ~/.ssh/id_ed25519 unless `agent` is set.
   */
  identityFile?: string;
  /**
   * Environment variable holding the identity file's passphrase.
   */
  passphraseEnv?: string;
  /**
   * Use the ssh-agent at $SSH_AUTH_SOCK.
   */
  agent?: boolean;
  /**
   * Run privileged commands with `sudo -n` (default true unless the user is root).
   */
  sudo?: boolean;
  /**
   * `strict`: refuse unknown and changed host keys. `accept-new`: add an unknown host's key to known_hosts, still refuse a changed one.
   */
  hostKeyPolicy?: "strict" | "accept-new";
  /**
   * OpenSSH known_hosts file to verify host keys against (default ~/.ssh/known_hosts).
   */
  knownHostsFile?: string;
  /**
   * `[user@]host[:port]`, like ssh's ProxyJump.
   */
  jumpHost?: string;
  connectTimeout?: Duration;
  commandTimeout?: Duration1;
}
/**
 * Desired values of the sysctls tcpmem manages. A setting left out is not managed (the host keeps, or is restored to, its kernel default).
 */
export interface Sysctls3 {
  "net.ipv4.tcp_mem"?: PagesTriple;
  "net.ipv4.udp_mem"?: PagesTriple1;
  "net.ipv4.tcp_rmem"?: BufferTriple;
  "net.ipv4.tcp_wmem"?: BufferTriple1;
  "net.ipv4.tcp_max_tw_buckets"?: ValueExpr1;
  "net.ipv4.tcp_max_orphans"?: ValueExpr2;
  "net.ipv4.tcp_max_syn_backlog"?: ValueExpr3;
  "net.ipv4.tcp_limit_output_bytes"?: ValueExpr4;
  "net.ipv4.tcp_child_ehash_entries"?: ValueExpr5;
  "net.core.somaxconn"?: ValueExpr6;
  "net.core.rmem_max"?: ValueExpr7;
  "net.core.wmem_max"?: ValueExpr8;
}
/**
 * Traffic targets that tcpmem turns into tcp_rmem/tcp_wmem maxima and tcp_mem; explicit sysctls win over what it derives.
 */
export interface Workload2 {
  flowRate: Rate;
  rtt: Duration2;
  /**
   * How many such flows run at once on the host.
   */
  flows: number;
  /**
   * Which buffers the flows need: `receive` (tcp_rmem), `send` (tcp_wmem) or `both`.
   */
  direction?: "receive" | "send" | "both";
  completionLatency?: Duration3;
}
/**
 * The host's hardware, merged field by field with the levels below; needed for hosts planned offline.
 */
export interface HardwareFields2 {
  kernel?: KernelRelease;
  memory?: Size;
  /**
   * Memory per NUMA node, in node order. Use instead of `memory` for multi-node hosts.
   *
   * @minItems 1
   * @maxItems 1024
   */
  nodes?: [Size1 | NumaNode, ...(Size1 | NumaNode)[]];
  cpus?: number;
  arch?: "x86_64" | "aarch64";
  pageSize?: 4096 | 16384 | 65536;
  /**
   * Kernel boot parameters, as in /proc/cmdline (`thash_entries=`, `transparent_hugepage=`, `mem=`, `movablecore=` are understood).
   */
  cmdline?: string;
  /**
   * The kernel's built-in THP mode (CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS/MADVISE); `transparent_hugepage=` on the command line overrides it. Debian, Ubuntu and RHEL kernels default to madvise or always.
   */
  transparentHugepage?: "always" | "madvise" | "never";
  facts?: HostFacts;
  initrd?: Size2;
  /**
   * The firmware's physical memory map: QEMU's i440FX `pc` layout (also right for most hosts below 3.5 GiB) or its `q35` layout.
   */
  platform?: "qemu-pc" | "qemu-q35";
  /**
   * The CPU has la57 and the kernel uses 5-level page tables (about 2 MiB more reserved at boot).
   */
  fiveLevelPaging?: boolean;
}
/**
 * A file that describes one host's hardware (`tcpmem model --hardware FILE`).
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "HardwareDocument".
 */
export interface HardwareDocument {
  kind: "hardware";
  version?: 1;
  name?: string;
  hardware: Hardware;
}
/**
 * What `tcpmem discover` read from one host, stored beside the config.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Facts".
 */
export interface FactsDocument {
  kind: "facts";
  version?: 1;
  host: string;
  capturedAt: string;
  facts: HostFacts;
}
/**
 * What `tcpmem model --json` prints: the boot-time defaults a kernel computes for a host's hardware, and how.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "ModelReport".
 */
export interface ModelReport {
  kind: "model";
  formatVersion: 1;
  kernel: {
    release: string;
    series: string;
    build?: string;
    notes: string[];
  };
  hardware: Hardware;
  /**
   * Sysctl name → value exactly as `sysctl -n` prints it (fields separated by a tab).
   */
  sysctls: {
    [k: string]: string | undefined;
  };
  hashTables: {
    established: number;
    bind: number;
  };
  memory: {
    source: "hardware" | "zoneinfo";
    pageSize: number;
    nr_free_buffer_pages: number;
    nr_kernel_pages: number;
    nr_all_pages: number;
    totalram_pages: number;
    min_free_kbytes: number;
    /**
     * Whether the transparent-hugepage recommendation raised min_free_kbytes.
     */
    thp: boolean;
  };
  zones: {
    node: number;
    zone: string;
    spanned: number;
    present: number;
    managed: number;
    min: number;
    low: number;
    high: number;
    nr_free_buffer_pages: number;
  }[];
  explain?: {
    step: string;
    kernelFunction: string;
    rule: string;
    inputs: {
      [k: string]: (number | string | boolean) | undefined;
    };
    result: string;
  }[];
  notes: string[];
  tsq?: TsqReport;
}
/**
 * TCP Small Queues for one kind of flow on this kernel: the per-socket limit, the throughput ceiling it implies (limit / completion latency), and a short discrete-event simulation.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "TsqReport".
 */
export interface TsqReport {
  series: string;
  regime: string;
  mechanism?: {
    kind: "tasklet" | "bh-workqueue";
    perCpu: string;
    handler: string;
  };
  flowRateBytesPerSecond: number;
  completionLatencyNs: number;
  tcpLimitOutputBytes: number;
  /**
   * null when TSQ does not apply
   */
  limitBytes: number | null;
  limitFormula: string;
  ceilingBytesPerSecond: number | null;
  payloadCeilingBytesPerSecond: number | null;
  capsFlow: boolean;
  neededLimitBytes: number;
  remedy: "none" | "raise-tcp-limit-output-bytes" | "pacing-term-binds" | "tsq-off";
  simulation?: {
    flows: number;
    cpus: number;
    throughputPerFlowMean: number;
    reachedFlowRate: boolean;
    avgQueuedBytes: number;
    maxQueuedBytes: number;
    throttles: number;
    taskletRuns: number;
    deferrals: number;
    eventsProcessed: number;
    simulatedNs: number;
    stoppedBy: "time" | "events" | "idle";
  };
}
/**
 * What `tcpmem plan --json` prints and `--out` saves: per host, what would change and why, and what was observed so that `apply` can refuse a stale plan. Format version 1.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Plan".
 */
export interface Plan {
  kind: "plan";
  formatVersion: 1;
  createdAt: string;
  tcpmemVersion?: string;
  /**
   * `live`: current values read over SSH; `offline`: from discovered facts or the kernel model.
   */
  mode: "live" | "offline";
  config: {
    path: string;
    files: string[];
    /**
     * sha256 over the config files' contents
     */
    digest?: string;
  };
  summary: PlanSummary;
  hosts: HostPlan[];
  /**
   * Problems that concern the whole config rather than one host.
   */
  problems?: Problem[];
}
/**
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "PlanSummary".
 */
export interface PlanSummary {
  hosts: number;
  hostsWithChanges: number;
  create: number;
  update: number;
  delete: number;
  noop: number;
  unreachable: number;
  invalid: number;
}
/**
 * One host's part of a plan.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "HostPlan".
 */
export interface HostPlan {
  name: string;
  address?: string;
  groups: string[];
  /**
   * `unreachable`: SSH failed, planned from the model when it could be; `invalid`: the host's config has errors, nothing planned.
   */
  status: "ok" | "unreachable" | "invalid";
  /**
   * Where the current values came from.
   */
  source: "live" | "facts" | "model" | "none";
  kernel?: {
    release: string;
    series: string;
    notes?: string[];
  };
  ssh?: SshConnection3;
  observed?: Observation;
  changes: Change[];
  problems: Problem[];
}
/**
 * How to reach a host over SSH. Secrets never go here: name a key file, an agent, or the environment variable that holds a passphrase.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Ssh".
 */
export interface SshConnection3 {
  /**
   * The login user (default: the current user). Not root: use a deploy user with `sudo -n`.
   */
  user?: string;
  /**
   * The SSH port (default 22).
   */
  port?: number;
  /**
   * Private key file (OpenSSH or PEM); `~/` is the home folder. Default ~/.ssh/id_ed25519 unless `agent` is set.
   */
  identityFile?: string;
  /**
   * Environment variable holding the identity file's passphrase.
   */
  passphraseEnv?: string;
  /**
   * Use the ssh-agent at $SSH_AUTH_SOCK.
   */
  agent?: boolean;
  /**
   * Run privileged commands with `sudo -n` (default true unless the user is root).
   */
  sudo?: boolean;
  /**
   * `strict`: refuse unknown and changed host keys. `accept-new`: add an unknown host's key to known_hosts, still refuse a changed one.
   */
  hostKeyPolicy?: "strict" | "accept-new";
  /**
   * OpenSSH known_hosts file to verify host keys against (default ~/.ssh/known_hosts).
   */
  knownHostsFile?: string;
  /**
   * `[user@]host[:port]`, like ssh's ProxyJump.
   */
  jumpHost?: string;
  connectTimeout?: Duration;
  commandTimeout?: Duration1;
}
/**
 * What plan saw on a host; `apply` reads the host again and refuses the plan when this fingerprint differs.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Observation".
 */
export interface Observation {
  fingerprint: string;
  release?: string;
  /**
   * Live values as `sysctl -n` prints them; a sysctl the host does not have is absent.
   */
  sysctls: {
    [k: string]: string | undefined;
  };
  persistedFile?: string;
  /**
   * The entries of tcpmem's own file in /etc/sysctl.d.
   */
  persisted?: {
    [k: string]: string | undefined;
  };
}
/**
 * One sysctl on one host: `create` starts managing it, `update` changes a managed value, `delete` stops managing it (restores the kernel default, drops it from tcpmem's file), `no-op` leaves it.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Change".
 */
export interface Change {
  sysctl: string;
  action: "create" | "update" | "delete" | "no-op";
  /**
   * The current live value; null when the host does not have the sysctl.
   */
  before: SysctlValues | null;
  /**
   * The value after apply.
   */
  after: SysctlValues | null;
  kernelDefault?: SysctlValues;
  persistedBefore?: SysctlValues | null;
  unit: "pages" | "bytes" | "count";
  reason: string;
  /**
   * For a managed sysctl: whether the live value, tcpmem's file, or both differ from the desired value.
   */
  drift?: "none" | "live-only" | "file-only" | "both";
  /**
   * A sysctl file that would override tcpmem's at boot.
   */
  shadowedBy?: string;
}
/**
 * Something wrong with an input, as data: a stable code, where it is (file, line, column, JSON pointer) and what to do.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Problem".
 */
export interface Problem {
  code: string;
  severity: "error" | "warning";
  message: string;
  hint?: string;
  file?: string;
  line?: number;
  column?: number;
  /**
   * JSON pointer to the value inside the document
   */
  path?: string;
  schemaPath?: string;
}
/**
 * What `tcpmem apply --json` prints (and the `run-done` event carries): per host, what was written, verified, persisted or rolled back. Format version 1.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "ApplyReport".
 */
export interface ApplyReport {
  kind: "apply-report";
  formatVersion: 1;
  /**
   * `ssh`: applied to hosts; `model`: a dry run on the kernel model.
   */
  executor: "ssh" | "model";
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /**
   * Which plan was applied.
   */
  plan: {
    createdAt: string;
    /**
     * `sha256:` over the plan document as applied
     */
    digest: string;
    configPath: string;
  };
  summary: ApplySummary;
  /**
   * Set when nothing was applied because a saved plan was stale.
   */
  refused?: {
    reason: string;
    staleHosts: {
      host: string;
      settings: StaleSetting[];
    }[];
  };
  hosts: HostApplyResult[];
}
/**
 * Hosts by outcome, and settings changed or unavailable.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "ApplySummary".
 */
export interface ApplySummary {
  hosts: number;
  applied: number;
  unchanged: number;
  failed: number;
  stale: number;
  unreachable: number;
  skipped: number;
  settingsChanged: number;
  settingsUnavailable: number;
}
/**
 * A setting that changed on a host since the plan observed it.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "StaleSetting".
 */
export interface StaleSetting {
  sysctl: string;
  /**
   * `live`: the kernel's value; `file`: tcpmem's own file.
   */
  where: "live" | "file";
  /**
   * As the plan observed it (null: absent).
   */
  planned: string | null;
  /**
   * As it is now (null: absent).
   */
  now: string | null;
}
/**
 * What happened to one host. `status`: applied (every change live, verified, persisted), unchanged (nothing to do, not contacted), failed (see `state`), stale (changed since the plan; untouched), unreachable (no SSH session; untouched), skipped (not attempted). `state`: changed, untouched, rolled-back (written and restored, verified) or unknown.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "HostApplyResult".
 */
export interface HostApplyResult {
  host: string;
  address?: string;
  status: "applied" | "unchanged" | "failed" | "stale" | "unreachable" | "skipped";
  state: "changed" | "untouched" | "rolled-back" | "unknown";
  settings: SettingResult[];
  /**
   * tcpmem's own sysctl file after the run.
   */
  file?: {
    path: string;
    action: "written" | "removed" | "unchanged";
    entries: {
      [k: string]: string | undefined;
    };
  };
  failure?: {
    stage:
      | "plan"
      | "connect"
      | "sudo"
      | "lock"
      | "read"
      | "prepare"
      | "write"
      | "verify"
      | "persist"
      | "commit"
      | "rollback";
    /**
     * `TCPMEM_APPLY_*`, or the SSH transport's code.
     */
    code: string;
    message: string;
    sysctl?: string;
  };
  /**
   * Why the host was skipped.
   */
  skipped?: string;
  /**
   * Desired settings the host does not have; not applied.
   */
  unavailable?: {
    sysctl: string;
    reason: string;
  }[];
  stale?: StaleSetting[];
  warnings: string[];
  durationMs: number;
}
/**
 * One setting's outcome: written, persisted (only the file changed), unchanged, restored (to the kernel default, line dropped), dropped (line dropped, default unknown), unavailable, rolled-back, rejected (see message) or not-attempted.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "SettingResult".
 */
export interface SettingResult {
  sysctl: string;
  action: "create" | "update" | "delete" | "no-op";
  outcome:
    | "written"
    | "persisted"
    | "unchanged"
    | "restored"
    | "dropped"
    | "unavailable"
    | "rolled-back"
    | "rejected"
    | "not-attempted";
  /**
   * The live value before the run.
   */
  before: SysctlValues | null;
  /**
   * The live value after the run.
   */
  after: SysctlValues | null;
  message?: string;
}
/**
 * What defaults, a group or a host may set.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Settings".
 */
export interface Settings1 {
  ssh?: SshConnection;
  sysctls?: Sysctls;
  workload?: Workload;
  /**
   * Named presets applied before this level's own sysctls, in order.
   */
  presets?: string[];
  hardware?: HardwareFields;
}
/**
 * Targets that tcpmem turns into buffer sizes: each flow should reach `flowRate` over a path of round-trip time `rtt`, with up to `flows` such flows at once.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Workload".
 */
export interface Workload3 {
  flowRate: Rate;
  rtt: Duration2;
  /**
   * How many such flows run at once on the host.
   */
  flows: number;
  /**
   * Which buffers the flows need: `receive` (tcp_rmem), `send` (tcp_wmem) or `both`.
   */
  direction?: "receive" | "send" | "both";
  completionLatency?: Duration3;
}
/**
 * A host's hardware as any level (defaults, a group, a host) may give it: any subset, merged field by field; a level that sets `memory` or `nodes` replaces both.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "HardwareFields".
 */
export interface HardwareFields3 {
  kernel?: KernelRelease;
  memory?: Size;
  /**
   * Memory per NUMA node, in node order. Use instead of `memory` for multi-node hosts.
   *
   * @minItems 1
   * @maxItems 1024
   */
  nodes?: [Size1 | NumaNode, ...(Size1 | NumaNode)[]];
  cpus?: number;
  arch?: "x86_64" | "aarch64";
  pageSize?: 4096 | 16384 | 65536;
  /**
   * Kernel boot parameters, as in /proc/cmdline (`thash_entries=`, `transparent_hugepage=`, `mem=`, `movablecore=` are understood).
   */
  cmdline?: string;
  /**
   * The kernel's built-in THP mode (CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS/MADVISE); `transparent_hugepage=` on the command line overrides it. Debian, Ubuntu and RHEL kernels default to madvise or always.
   */
  transparentHugepage?: "always" | "madvise" | "never";
  facts?: HostFacts;
  initrd?: Size2;
  /**
   * The firmware's physical memory map: QEMU's i440FX `pc` layout (also right for most hosts below 3.5 GiB) or its `q35` layout.
   */
  platform?: "qemu-pc" | "qemu-q35";
  /**
   * The CPU has la57 and the kernel uses 5-level page tables (about 2 MiB more reserved at boot).
   */
  fiveLevelPaging?: boolean;
}
/**
 * What `tcpmem validate --json` prints.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "ValidationReport".
 */
export interface ValidationReport {
  valid: boolean;
  files: string[];
  problems: Problem[];
}
