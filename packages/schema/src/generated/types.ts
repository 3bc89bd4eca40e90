/* Generated from schemas/tcpmem.schema.json by packages/schema/scripts/generate.js. Do not edit. */

/**
 * Every document tcpmem reads or writes: a fleet config (or a part of one), a hardware description, facts discovered on a host, a model report, a plan and an apply report. The `kind` field says which, and picks the one definition the document is validated against.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "TcpmemDocument".
 */
export type TcpmemDocument = Fleet | HardwareDocument | FactsDocument | ModelReport | Plan | ApplyReport;
/**
 * A time span with a unit: `ns`, `us` (or `µs`), `ms`, `s`, e.g. `100ms`.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Duration".
 */
export type Duration = string;
/**
 * A page-valued triple (`tcp_mem`, `udp_mem`): low, pressure, high.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "PagesTriple".
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
 * One desired value. An integer in the sysctl's unit; a size (`16MiB`; `16M`/`16m`/`16k` are binary like memparse, `16MB`/`16kB` decimal, which tcpmem warns about) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.
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
 * A per-socket buffer triple in bytes (`tcp_rmem`, `tcp_wmem`): min, default, max.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "BufferTriple".
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
 * A data rate: bits per second (`bit`, `Kbit`, `Mbit`, `Gbit`, `Tbit`, decimal) or bytes per second (`B/s`, `kB/s`, `MB/s`, `GB/s`, `KiB/s`, `MiB/s`, `GiB/s`), e.g. `25Gbit`.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Rate".
 */
export type Rate = string;
/**
 * A kernel release as `uname -r` prints it (`6.1.0-26-cloud-amd64`, `5.15.0-91-generic`) or a bare series (`4.9`, `6.12`).
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "KernelRelease".
 */
export type KernelRelease = string;
/**
 * An amount of memory: an integer number of bytes, or a number with a binary unit (KiB, MiB, GiB, TiB, or the one letter k, K, m, M, g, G, t, T that people and the kernel's memparse write: `8G` and `8g` are 8 GiB, `16k` 16 KiB) or a decimal unit (kB, MB, GB, TB: `16kB` is 16 000 bytes), e.g. `16MiB`.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Size".
 */
export type Size = number | string;
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
 * The name of a host, group or preset: a letter or digit, then letters, digits, `.`, `_` or `-` (built-in presets, named `tcpmem:…`, are the only exception).
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Name".
 */
export type Name = string;

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
  /**
   * Settings every host starts from; groups and the host itself override them.
   */
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
 * What defaults, a group or a host may set.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Settings".
 */
export interface Settings {
  /**
   * How to reach the host(s) over SSH; merged field by field with the levels below.
   */
  ssh?: SshConnection;
  /**
   * Desired sysctl values; a later level wins per sysctl (per field for the object form).
   */
  sysctls?: Sysctls;
  /**
   * Traffic targets that tcpmem turns into tcp_rmem/tcp_wmem maxima and tcp_mem; explicit sysctls win over what it derives.
   */
  workload?: Workload;
  /**
   * Named presets applied before this level's own sysctls, in order.
   */
  presets?: string[];
  /**
   * The host's hardware, merged field by field with the levels below; needed for hosts planned offline.
   */
  hardware?: HardwareFields;
}
/**
 * How to reach a host over SSH. Secrets never go here: name a key file, an agent, or the environment variable that holds a passphrase.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Ssh".
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
  /**
   * Time allowed to connect, exchange keys and authenticate (default 10s).
   */
  connectTimeout?: Duration;
  /**
   * Time allowed for one remote command (default 60s).
   */
  commandTimeout?: Duration;
}
/**
 * Desired values of the sysctls tcpmem manages. A setting left out is not managed (the host keeps, or is restored to, what its own sysctl.d files set at boot, else its kernel default).
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Sysctls".
 */
export interface Sysctls {
  /**
   * Whole-host TCP memory thresholds, in pages: below `low` TCP does not limit itself, above `pressure` it moderates buffers, above `high` it refuses allocations. Only in the initial network namespace.
   */
  "net.ipv4.tcp_mem"?: PagesTriple;
  /**
   * Whole-host UDP memory thresholds, in pages (low, pressure, high). Only in the initial network namespace.
   */
  "net.ipv4.udp_mem"?: PagesTriple;
  /**
   * Per-socket receive buffer, in bytes: min, default (initial), max (the autotuning ceiling).
   */
  "net.ipv4.tcp_rmem"?: BufferTriple;
  /**
   * Per-socket send buffer, in bytes: min, default (initial), max (the autotuning ceiling).
   */
  "net.ipv4.tcp_wmem"?: BufferTriple;
  /**
   * Most TIME-WAIT sockets kept at once (a count); beyond it they are destroyed at once.
   */
  "net.ipv4.tcp_max_tw_buckets"?: ValueExpr;
  /**
   * Most sockets not attached to any process (a count); each can hold up to tcp_wmem max of memory.
   */
  "net.ipv4.tcp_max_orphans"?: ValueExpr;
  /**
   * Most half-open connections (SYN received) remembered per listener (a count).
   */
  "net.ipv4.tcp_max_syn_backlog"?: ValueExpr;
  /**
   * TCP Small Queues: bytes one socket may have queued below TCP (qdisc, driver); caps one flow at about this over the TX completion latency.
   */
  "net.ipv4.tcp_limit_output_bytes"?: ValueExpr;
  /**
   * Size of a private established-connection hash table for network namespaces created afterwards (a count; 0 shares the host's). Kernel 6.1 and later.
   */
  "net.ipv4.tcp_child_ehash_entries"?: ValueExpr;
  /**
   * Longest accept queue a listen() may ask for (a count).
   */
  "net.core.somaxconn"?: ValueExpr;
  /**
   * Largest receive buffer an application may set with SO_RCVBUF, in bytes (autotuning uses tcp_rmem instead).
   */
  "net.core.rmem_max"?: ValueExpr;
  /**
   * Largest send buffer an application may set with SO_SNDBUF, in bytes (autotuning uses tcp_wmem instead).
   */
  "net.core.wmem_max"?: ValueExpr;
}
/**
 * Targets that tcpmem turns into buffer sizes: each flow should reach `flowRate` over a path of round-trip time `rtt`, with up to `flows` such flows at once.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Workload".
 */
export interface Workload {
  /**
   * The rate one flow should reach.
   */
  flowRate: Rate;
  /**
   * The round-trip time of the flows' path.
   */
  rtt: Duration;
  /**
   * How many such flows run at once on the host.
   */
  flows: number;
  /**
   * Which buffers the flows need: `receive` (tcp_rmem), `send` (tcp_wmem) or `both`.
   */
  direction?: "receive" | "send" | "both";
  /**
   * Time from handing a packet to the NIC to its TX completion (interrupt coalescing included); TCP Small Queues cap a flow at about tcp_limit_output_bytes over this. Default 500us.
   */
  completionLatency?: Duration;
}
/**
 * A host's hardware as any level (defaults, a group, a host) may give it: any subset, merged field by field; a level that sets `memory` or `nodes` replaces both.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "HardwareFields".
 */
export interface HardwareFields {
  kernel?: KernelRelease;
  /**
   * Total RAM, for a host with one NUMA node (as installed, or as given to the VM).
   */
  memory?: Size;
  /**
   * Memory per NUMA node, in node order. Use instead of `memory` for multi-node hosts.
   *
   * @minItems 1
   * @maxItems 1024
   */
  nodes?: [Size | NumaNode, ...(Size | NumaNode)[]];
  cpus?: number;
  /**
   * The CPU architecture; without it, the one the kernel release names (`6.1.0-26-cloud-arm64`, `5.14.0-427.el9.aarch64`: aarch64), else x86_64 (or as `platform` says). aarch64 models arm64's zones (ZONE_DMA up to 4 GiB, no ZONE_DMA32), its 4 KiB linear-map page tables (rodata=full) and its reservations.
   */
  arch?: "x86_64" | "aarch64";
  /**
   * The kernel's page size in bytes; without it, the one the kernel release names (arm64's page-size flavours: `6.8.0-45-generic-64k`, `5.14.0-427.el9.aarch64+64k`: 65536; `+16k`: 16384), else 4096. tcp_mem, udp_mem and every zone count these pages.
   */
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
  /**
   * Size of the initramfs the boot loader loads (the size of /boot/initrd.img-RELEASE). It stays reserved until after tcp_init(), so it lowers tcp_mem: each 64 KiB by one page of tcp_mem[1]. Default 1 MiB, a minimal initramfs; a distribution's is 30–80 MiB. `tcpmem discover` reads the exact size from the boot log.
   */
  initrd?: Size;
  /**
   * The firmware's physical memory map: QEMU's i440FX `pc` layout (also right for most x86 hosts below 3.5 GiB), its `q35` layout, or arm64's `virt` layout (RAM from 1 GiB physical; the default for `arch: aarch64`).
   */
  platform?: "qemu-pc" | "qemu-q35" | "qemu-virt";
  /**
   * The CPU has la57 and the kernel uses 5-level page tables (about 2 MiB more reserved at boot).
   */
  fiveLevelPaging?: boolean;
  /**
   * Usable RAM as the firmware reports it: the sum of the e820/EFI `usable` ranges, or the total of the boot log's `Memory: …K/TOTALK available` line. Real hypervisors and firmware hold back more than QEMU does (a "4 GiB" cloud VM has less); when given, the model removes the difference from the top of RAM.
   */
  usable?: Size;
}
/**
 * One NUMA node: its memory and, optionally, how many CPUs it has.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "NumaNode".
 */
export interface NumaNode {
  memory: Size;
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
  /**
   * This machine's ID for tcpmem, derived from /etc/machine-id as systemd's `sd_id128_get_machine_app_specific()` derives an application's (`systemd-id128 machine-id --app-specific=f6b1a3c84e2d4f0b9a7c5d3e1f2a4b6c` prints it), so the machine ID itself is never stored. `apply --local` finds its host entry by it when no host is named after the machine.
   */
  machineAppId?: string;
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
   * The sysctls tcpmem read that this host's /proc/sys does not have: whole-host settings such as net.ipv4.tcp_mem inside a network namespace or a container. A plan from these facts leaves them alone (TCPMEM_SYSCTL_NOT_ON_HOST), as a live plan does. Absent (facts from an older tcpmem): every sysctl is assumed present.
   */
  missingSysctls?: string[];
  /**
   * The network namespace the facts were read in, as `readlink /proc/self/ns/net` prints it (`net:[4026531840]`).
   */
  netns?: string;
  /**
   * The kernel boot log: only the lines the model reads (`tcpmem discover` keeps those and drops the rest): `Linux version`, `Memory:`, `percpu:`, the memory node ranges, hash table sizes, `Freeing …` and a few more (docs/kernel-model.md). Exact initrd and kernel-image frees, the hash table sizes, and a build profile learned from it.
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
  sysctls: Sysctls;
}
/**
 * A named set of settings that hosts join with `groups:`.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Group".
 */
export interface Group {
  /**
   * How to reach the host(s) over SSH; merged field by field with the levels below.
   */
  ssh?: SshConnection;
  /**
   * Desired sysctl values; a later level wins per sysctl (per field for the object form).
   */
  sysctls?: Sysctls;
  /**
   * Traffic targets that tcpmem turns into tcp_rmem/tcp_wmem maxima and tcp_mem; explicit sysctls win over what it derives.
   */
  workload?: Workload;
  /**
   * Named presets applied before this level's own sysctls, in order.
   */
  presets?: string[];
  /**
   * The host's hardware, merged field by field with the levels below; needed for hosts planned offline.
   */
  hardware?: HardwareFields;
  /**
   * What the group is for, for people.
   */
  description?: string;
}
/**
 * One host: where it is, which groups it is in, and its own settings (which win over its groups').
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Host".
 */
export interface Host {
  /**
   * How to reach the host(s) over SSH; merged field by field with the levels below.
   */
  ssh?: SshConnection;
  /**
   * Desired sysctl values; a later level wins per sysctl (per field for the object form).
   */
  sysctls?: Sysctls;
  /**
   * Traffic targets that tcpmem turns into tcp_rmem/tcp_wmem maxima and tcp_mem; explicit sysctls win over what it derives.
   */
  workload?: Workload;
  /**
   * Named presets applied before this level's own sysctls, in order.
   */
  presets?: string[];
  /**
   * The host's hardware, merged field by field with the levels below; needed for hosts planned offline.
   */
  hardware?: HardwareFields;
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
    /**
     * Where the build's fixed reservations came from: `measured` (this project booted the build), `calibrated` (learned from one host's boot log: `learnedFrom` names it) or `estimated` (the nearest known build stands in; see `ranges`).
     */
    buildProfile?: {
      kind: "measured" | "calibrated" | "estimated";
      id: string;
      learnedFrom?: string;
      /**
       * For a build nobody measured (and another ABI or flavour of a measured one): how its fixed reservation was centred (`debian-flavour`: a measured Debian build of the series; `published-image`: a published boot log of the distribution's kernel; `series-era`: the images of that kernel era; `nearest-profile`: the nearest measured build with the architecture's whole spread), what it was taken from, and the lowest and highest fixed reservation considered possible (pages at tcp_init), which `ranges` turn into sysctl values. `id` names the profile whose formulas stand in.
       */
      estimate?: {
        centre: "debian-flavour" | "published-image" | "series-era" | "nearest-profile";
        from: string;
        /**
         * @minItems 2
         * @maxItems 2
         */
        fixedPages: [number, number];
      };
    };
  };
  hardware: Hardware;
  /**
   * Sysctl name → value exactly as `sysctl -n` prints it (fields separated by a tab).
   */
  sysctls: {
    [k: string]: string | undefined;
  };
  /**
   * For every memory-derived sysctl (tcp_mem, udp_mem, tcp_rmem, tcp_wmem, vm.min_free_kbytes): the lowest and highest value the model considers possible for this host, in `sysctl -n` format. For a measured or calibrated build both are the value itself.
   */
  ranges?: {
    [k: string]:
      | {
          low: string;
          high: string;
        }
      | undefined;
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
  /**
   * The driver class that sets sk_pacing_shift (`--driver`).
   */
  driver?: "wired" | "mac80211" | "brcmfmac" | "rmnet";
  /**
   * sk_pacing_shift (10 before 4.15, where the shift is fixed).
   */
  pacingShift?: number;
  /**
   * sk_pacing_rate; absent on kernels without the field (vanilla 3.6–3.11).
   */
  pacingRateBytesPerSecond?: number;
  flowRateBytesPerSecond: number;
  completionLatencyNs: number;
  tcpLimitOutputBytes: number;
  /**
   * null when TSQ does not apply
   */
  limitBytes: number | null;
  limitFormula: string;
  /**
   * When tcp_small_queue_check sends although over the limit, by series and stable sublevel.
   */
  sendAnyway?: "none" | "first-or-second-skb" | "rtx-queue-empty" | "rtx-queue-empty-or-single-skb";
  ceilingBytesPerSecond: number | null;
  payloadCeilingBytesPerSecond: number | null;
  capsFlow: boolean;
  neededLimitBytes: number;
  /**
   * new-data-stalls: 3.6–3.11 with tcp_limit_output_bytes ≤ 0, where tcp_write_xmit sends no new data.
   */
  remedy: "none" | "raise-tcp-limit-output-bytes" | "pacing-term-binds" | "tsq-off" | "new-data-stalls";
  /**
   * What the model could not pin for this kernel and driver, and warnings.
   */
  notes?: string[];
  simulation?: {
    flows: number;
    cpus: number;
    throughputPerFlowMean: number;
    /**
     * false when no skb completed in the measured window: throughputPerFlowMean is then no measurement.
     */
    measured?: boolean;
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
  /**
   * `--shard I/N`: this plan holds shard I of N of the selected hosts. `tcpmem report merge` needs every shard 1…N once; the merged plan has none.
   */
  shard?: Shard;
  summary: PlanSummary;
  hosts: HostPlan[];
  /**
   * Problems that concern the whole config rather than one host.
   */
  problems?: Problem[];
}
/**
 * One of N equal parts of a fleet (`--shard I/N`, 1-based).
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "Shard".
 */
export interface Shard {
  index: number;
  count: number;
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
  /**
   * Set when `status` is `unreachable`: why SSH failed. `code` is the transport's (`HOST_KEY_CHANGED`, `CONNECT_REFUSED`, `CONNECT_TIMEOUT`, …; docs/apply.md), `message` its words, which name the host and never a secret; `apply` reports both for the host.
   */
  unreachable?: {
    code: string;
    message: string;
  };
  kernel?: {
    release: string;
    series: string;
    /**
     * The host's page size in bytes when it is not 4 KiB (arm64's 16/64 KiB kernels): the pages of tcp_mem and udp_mem are this large. Absent: 4096.
     */
    pageSize?: number;
    notes?: string[];
  };
  ssh?: SshConnection;
  observed?: Observation;
  changes: Change[];
  problems: Problem[];
}
/**
 * What plan saw on a host; `apply` reads the host again and refuses the plan when this fingerprint differs. The fingerprint covers the live values, tcpmem's own file, every assignment of a later sysctl.d file that would override it at boot, and every assignment another file makes of a sysctl tcpmem's file sets.
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
  /**
   * Per sysctl tcpmem manages, the last assignment in a sysctl.d file that systemd-sysctl applies after tcpmem's own (so it would override it at boot): that file and its value. Covered by the fingerprint: a file added, changed or removed since the plan makes the plan stale. Absent when there is none.
   */
  overriding?: {
    [k: string]:
      | {
          file: string;
          value: string;
        }
      | undefined;
  };
  /**
   * Per sysctl tcpmem's own file sets, the last assignment of it in any other sysctl.d file (before or after tcpmem's, in systemd-sysctl's order): what the host gets at boot without tcpmem's line, and so what a `delete` restores. Covered by the fingerprint. Absent when there is none.
   */
  beneath?: {
    [k: string]:
      | {
          file: string;
          value: string;
        }
      | undefined;
  };
}
/**
 * One sysctl on one host: `create` starts managing it, `update` changes a managed value, `delete` stops managing it (restores what the host's other sysctl.d files set at boot, else the kernel default, and drops it from tcpmem's file), `no-op` leaves it.
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
  /**
   * `error` fails the run; `warning` is worth reading; `note` says what tcpmem did on its own (a file of a folder that is not a tcpmem document, skipped).
   */
  severity: "error" | "warning" | "note";
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
   * `ssh`: applied to hosts over SSH; `local`: applied to the machine tcpmem runs on (`apply --local`); `model`: a dry run on the kernel model.
   */
  executor: "ssh" | "local" | "model";
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
  /**
   * The shard of the plan it applied (`--shard I/N`): `tcpmem report merge` needs every shard 1…N once.
   */
  shard?: Shard;
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
  /**
   * Set when the run was interrupted (Ctrl-C, SIGINT; or SIGTERM): no new host was started after `elapsedMs`; the hosts in `hostsRunning` then went on to their end (committed, or rolled back), or — after a second signal — were stopped before their commit (untouched). Each host's result says what it is, as read back. `tcpmem apply` exits 130.
   */
  interrupted?: {
    signal: "SIGINT" | "SIGTERM";
    elapsedMs: number;
    /**
     * The hosts whose transactions were under way when the signal came.
     */
    hostsRunning: string[];
    /**
     * A second signal came: transactions that had not been sent COMMIT were stopped (the host untouched); those committing were still waited for.
     */
    forced?: boolean;
  };
  /**
   * Host keys that `hostKeyPolicy: accept-new` trusted on first use during this run (while planning a CONFIG, checking, or applying) and added to a known_hosts file. Absent when none.
   */
  acceptedHostKeys?: AcceptedHostKey[];
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
   * `live`: the kernel's value; `file`: tcpmem's own file; `override`: a sysctl.d file that systemd-sysctl applies after tcpmem's (it would override tcpmem's value at boot), named in `file`.
   */
  where: "live" | "file" | "override";
  /**
   * As the plan observed it (null: absent).
   */
  planned: string | null;
  /**
   * As it is now (null: absent).
   */
  now: string | null;
  /**
   * With `where: override`: the overriding file now (or, when it is gone, as the plan saw it).
   */
  file?: string;
}
/**
 * A host key that `hostKeyPolicy: accept-new` trusted on first use and appended to a known_hosts file.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "AcceptedHostKey".
 */
export interface AcceptedHostKey {
  /**
   * The fleet host whose connection met the key (for a jump host: the host connected through it).
   */
  host: string;
  /**
   * The address the key was presented at (the host, or its jump host), as known_hosts now names it.
   */
  address: string;
  port: number;
  /**
   * `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, …
   */
  keyType: string;
  /**
   * `SHA256:…`, as `ssh-keygen -l` prints it.
   */
  fingerprint: string;
  /**
   * The known_hosts file the key was added to.
   */
  file: string;
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
 * One setting's outcome: written, persisted (only the file changed), unchanged, restored (to what the host's other sysctl.d files set at boot, else the kernel default; line dropped), dropped (line dropped, default unknown), unavailable, rolled-back, rejected (see message) or not-attempted.
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
/**
 * The live state of hosts, by host name: what a live read of each would find. The plan scenario tests give it in `observed.json` beside a fleet, in place of hosts read over SSH.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "ObservedState".
 */
export interface ObservedState {
  [k: string]: ObservedHost | undefined;
}
/**
 * One host as a live read finds it: the release, the live values and the sysctl.d files; plan turns it into the observation it plans against (the live values, tcpmem's own file, and the files that would override it at boot).
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "ObservedHost".
 */
export interface ObservedHost {
  /**
   * `uname -r`
   */
  release?: string;
  /**
   * Live values as `sysctl -n` prints them; a sysctl the host does not have is absent.
   */
  sysctls: {
    [k: string]: string | undefined;
  };
  /**
   * The sysctl.d files by path (/etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d, /lib/sysctl.d), with their text; tcpmem's own is /etc/sysctl.d/99-tcpmem.conf. Absent: none.
   */
  files?: {
    [k: string]: string | undefined;
  };
}
/**
 * The inputs of the Pulumi resource `HostTcpMemory` (docs/pulumi.md): one host's connection and its desired settings, each setting in the form a fleet file gives it. Checked against this definition by the provider's `check`, through the same gate as config files.
 *
 * This interface was referenced by `TcpmemSchema`'s JSON-Schema
 * via the `definition` "HostTcpMemoryInputs".
 */
export interface HostTcpMemoryInputs {
  /**
   * The host's name in plans, problems and tcpmem's file header (the resource's name unless given).
   */
  hostName: Name;
  /**
   * DNS name or IP address the host is reached at over SSH. Changing it replaces the resource.
   */
  address: string;
  /**
   * How to reach the host, as a fleet's `ssh` block (port, user, identityFile, agent, sudo, knownHostsFile, …).
   */
  ssh?: SshConnection;
  /**
   * An OpenSSH or PEM private key, as text. Always a secret in state; never logged nor put in a message.
   */
  privateKey?: string;
  /**
   * The passphrase of `privateKey`, when it is encrypted. Always a secret.
   */
  privateKeyPassphrase?: string;
  /**
   * The host's public host key as in its `.pub` file (`ssh-ed25519 AAAA… [comment]`): pins it, instead of a known_hosts file. Mutually exclusive with `ssh.knownHostsFile` and `ssh.jumpHost`.
   */
  hostKey?: string;
  /**
   * What tcpmem knows of the host without reading it; with `kernel` and `memory`, `check` can plan it offline.
   */
  hardware?: HardwareFields;
  /**
   * Desired values: absolute, relative to the kernel default (`2x`), shares of RAM (`6%`), `{atLeast: …}`.
   */
  sysctls?: Sysctls;
  /**
   * Targets tcpmem turns into buffer sizes (flow rate, RTT, flows).
   */
  workload?: Workload;
  /**
   * Presets applied before `sysctls`, in order: built-in (`tcpmem:…`) or defined in `presetDefinitions`.
   */
  presets?: string[];
  /**
   * Presets of the program's own (a fleet's `presets`), by name.
   */
  presetDefinitions?: {
    [k: string]: Preset | undefined;
  };
}
