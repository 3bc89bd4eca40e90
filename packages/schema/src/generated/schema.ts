/* Generated from schemas/tcpmem.schema.json by packages/schema/scripts/generate.js. Do not edit. */
export const tcpmemSchema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://tcpmem.dev/schemas/tcpmem.schema.json",
  "title": "TcpmemDocument",
  "description": "Every document tcpmem reads or writes: a fleet config (or a part of one), a hardware description, facts discovered on a host, a model report, a plan and an apply report. The `kind` field says which, and picks the one definition the document is validated against.",
  "type": "object",
  "required": [
    "kind"
  ],
  "properties": {
    "kind": {
      "enum": [
        "fleet",
        "hardware",
        "facts",
        "model",
        "plan",
        "apply-report"
      ]
    }
  },
  "discriminator": {
    "propertyName": "kind"
  },
  "oneOf": [
    {
      "$ref": "#/$defs/Fleet"
    },
    {
      "$ref": "#/$defs/HardwareDocument"
    },
    {
      "$ref": "#/$defs/Facts"
    },
    {
      "$ref": "#/$defs/ModelReport"
    },
    {
      "$ref": "#/$defs/Plan"
    },
    {
      "$ref": "#/$defs/ApplyReport"
    }
  ],
  "$defs": {
    "Fleet": {
      "title": "Fleet",
      "description": "A fleet config file, or a part of one pulled in with `include`.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "kind"
      ],
      "properties": {
        "kind": {
          "const": "fleet"
        },
        "version": {
          "const": 1,
          "description": "The config format version; 1 is the only one so far."
        },
        "name": {
          "type": "string",
          "description": "A name for the fleet, shown in plans."
        },
        "include": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1
          },
          "description": "Files or folders, relative to this file, whose groups, hosts and presets join this fleet; a folder brings in every .yaml, .yml and .json file below it."
        },
        "defaults": {
          "$ref": "#/$defs/Settings",
          "description": "Settings every host starts from; groups and the host itself override them."
        },
        "presets": {
          "type": "object",
          "propertyNames": {
            "$ref": "#/$defs/Name"
          },
          "additionalProperties": {
            "$ref": "#/$defs/Preset"
          },
          "description": "Reusable, named sets of sysctls with their source; levels apply them with `presets: [name]`. Built-in ones are named `tcpmem:…`."
        },
        "groups": {
          "type": "object",
          "propertyNames": {
            "$ref": "#/$defs/Name"
          },
          "additionalProperties": {
            "$ref": "#/$defs/Group"
          },
          "description": "Named settings that hosts join; a host may be in several, applied in the order it lists them."
        },
        "hosts": {
          "type": "object",
          "propertyNames": {
            "$ref": "#/$defs/Name"
          },
          "additionalProperties": {
            "$ref": "#/$defs/Host"
          },
          "description": "The hosts, by name."
        }
      }
    },
    "Name": {
      "title": "Name",
      "description": "The name of a host, group or preset: a letter or digit, then letters, digits, `.`, `_` or `-` (built-in presets, named `tcpmem:…`, are the only exception).",
      "type": "string",
      "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$"
    },
    "Settings": {
      "title": "Settings",
      "description": "What defaults, a group or a host may set.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "ssh": {
          "$ref": "#/$defs/Ssh",
          "description": "How to reach the host(s) over SSH; merged field by field with the levels below."
        },
        "sysctls": {
          "$ref": "#/$defs/Sysctls",
          "description": "Desired sysctl values; a later level wins per sysctl (per field for the object form)."
        },
        "workload": {
          "$ref": "#/$defs/Workload",
          "description": "Traffic targets that tcpmem turns into tcp_rmem/tcp_wmem maxima and tcp_mem; explicit sysctls win over what it derives."
        },
        "presets": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1
          },
          "description": "Named presets applied before this level's own sysctls, in order."
        },
        "hardware": {
          "$ref": "#/$defs/HardwareFields",
          "description": "The host's hardware, merged field by field with the levels below; needed for hosts planned offline."
        }
      }
    },
    "Group": {
      "title": "Group",
      "description": "A named set of settings that hosts join with `groups:`.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "ssh": {
          "$ref": "#/$defs/Ssh",
          "description": "How to reach the host(s) over SSH; merged field by field with the levels below."
        },
        "sysctls": {
          "$ref": "#/$defs/Sysctls",
          "description": "Desired sysctl values; a later level wins per sysctl (per field for the object form)."
        },
        "workload": {
          "$ref": "#/$defs/Workload",
          "description": "Traffic targets that tcpmem turns into tcp_rmem/tcp_wmem maxima and tcp_mem; explicit sysctls win over what it derives."
        },
        "presets": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1
          },
          "description": "Named presets applied before this level's own sysctls, in order."
        },
        "hardware": {
          "$ref": "#/$defs/HardwareFields",
          "description": "The host's hardware, merged field by field with the levels below; needed for hosts planned offline."
        },
        "description": {
          "type": "string",
          "description": "What the group is for, for people."
        }
      }
    },
    "Host": {
      "title": "Host",
      "description": "One host: where it is, which groups it is in, and its own settings (which win over its groups').",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "ssh": {
          "$ref": "#/$defs/Ssh",
          "description": "How to reach the host(s) over SSH; merged field by field with the levels below."
        },
        "sysctls": {
          "$ref": "#/$defs/Sysctls",
          "description": "Desired sysctl values; a later level wins per sysctl (per field for the object form)."
        },
        "workload": {
          "$ref": "#/$defs/Workload",
          "description": "Traffic targets that tcpmem turns into tcp_rmem/tcp_wmem maxima and tcp_mem; explicit sysctls win over what it derives."
        },
        "presets": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1
          },
          "description": "Named presets applied before this level's own sysctls, in order."
        },
        "hardware": {
          "$ref": "#/$defs/HardwareFields",
          "description": "The host's hardware, merged field by field with the levels below; needed for hosts planned offline."
        },
        "address": {
          "type": "string",
          "minLength": 1,
          "description": "DNS name or IP address. A host without one is planned from its hardware description only."
        },
        "groups": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1
          },
          "uniqueItems": true,
          "description": "The groups the host is in. Order matters: a later group wins over an earlier one."
        },
        "facts": {
          "type": "string",
          "description": "A facts file written by `tcpmem discover`, relative to this file. Facts documents found in the config folder (or in `facts/` beside the fleet file) are matched to hosts by name without this."
        }
      }
    },
    "Preset": {
      "title": "Preset",
      "description": "A reusable set of sysctls, with where its numbers come from.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "source",
        "sysctls"
      ],
      "properties": {
        "description": {
          "type": "string"
        },
        "source": {
          "type": "string",
          "minLength": 1,
          "description": "Provenance: a document, benchmark or ticket the values come from."
        },
        "sysctls": {
          "$ref": "#/$defs/Sysctls"
        }
      }
    },
    "Sysctls": {
      "title": "Sysctls",
      "description": "Desired values of the sysctls tcpmem manages. A setting left out is not managed (the host keeps, or is restored to, what its own sysctl.d files set at boot, else its kernel default).",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "net.ipv4.tcp_mem": {
          "description": "Whole-host TCP memory thresholds, in pages: below `low` TCP does not limit itself, above `pressure` it moderates buffers, above `high` it refuses allocations. Only in the initial network namespace.",
          "$ref": "#/$defs/PagesTriple"
        },
        "net.ipv4.udp_mem": {
          "description": "Whole-host UDP memory thresholds, in pages (low, pressure, high). Only in the initial network namespace.",
          "$ref": "#/$defs/PagesTriple"
        },
        "net.ipv4.tcp_rmem": {
          "description": "Per-socket receive buffer, in bytes: min, default (initial), max (the autotuning ceiling).",
          "$ref": "#/$defs/BufferTriple"
        },
        "net.ipv4.tcp_wmem": {
          "description": "Per-socket send buffer, in bytes: min, default (initial), max (the autotuning ceiling).",
          "$ref": "#/$defs/BufferTriple"
        },
        "net.ipv4.tcp_max_tw_buckets": {
          "description": "Most TIME-WAIT sockets kept at once (a count); beyond it they are destroyed at once.",
          "$ref": "#/$defs/ValueExpr"
        },
        "net.ipv4.tcp_max_orphans": {
          "description": "Most sockets not attached to any process (a count); each can hold up to tcp_wmem max of memory.",
          "$ref": "#/$defs/ValueExpr"
        },
        "net.ipv4.tcp_max_syn_backlog": {
          "description": "Most half-open connections (SYN received) remembered per listener (a count).",
          "$ref": "#/$defs/ValueExpr"
        },
        "net.ipv4.tcp_limit_output_bytes": {
          "description": "TCP Small Queues: bytes one socket may have queued below TCP (qdisc, driver); caps one flow at about this over the TX completion latency.",
          "$ref": "#/$defs/ValueExpr"
        },
        "net.ipv4.tcp_child_ehash_entries": {
          "description": "Size of a private established-connection hash table for network namespaces created afterwards (a count; 0 shares the host's). Kernel 6.1 and later.",
          "$ref": "#/$defs/ValueExpr"
        },
        "net.core.somaxconn": {
          "description": "Longest accept queue a listen() may ask for (a count).",
          "$ref": "#/$defs/ValueExpr"
        },
        "net.core.rmem_max": {
          "description": "Largest receive buffer an application may set with SO_RCVBUF, in bytes (autotuning uses tcp_rmem instead).",
          "$ref": "#/$defs/ValueExpr"
        },
        "net.core.wmem_max": {
          "description": "Largest send buffer an application may set with SO_SNDBUF, in bytes (autotuning uses tcp_wmem instead).",
          "$ref": "#/$defs/ValueExpr"
        }
      }
    },
    "PagesTriple": {
      "title": "PagesTriple",
      "description": "A page-valued triple (`tcp_mem`, `udp_mem`): low, pressure, high.",
      "anyOf": [
        {
          "type": "string",
          "pattern": "^(default|[0-9]+(\\.[0-9]+)?x)$",
          "description": "The whole triple: `default`, or every field times a factor of the kernel default."
        },
        {
          "type": "string",
          "pattern": "^[ \\t]*[0-9]+[ \\t]+[0-9]+[ \\t]+[0-9]+[ \\t]*$",
          "description": "The sysctl.conf form: three integers separated by spaces or tabs, as `sysctl -n` prints them and sysctl.conf files hold them (`\"4096 131072 16777216\"`)."
        },
        {
          "type": "array",
          "minItems": 3,
          "maxItems": 3,
          "items": {
            "$ref": "#/$defs/ValueExpr"
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "minProperties": 1,
          "properties": {
            "low": {
              "$ref": "#/$defs/ValueExpr"
            },
            "pressure": {
              "$ref": "#/$defs/ValueExpr"
            },
            "high": {
              "$ref": "#/$defs/ValueExpr"
            }
          },
          "description": "Some fields by name; the others keep the host's kernel default."
        }
      ]
    },
    "BufferTriple": {
      "title": "BufferTriple",
      "description": "A per-socket buffer triple in bytes (`tcp_rmem`, `tcp_wmem`): min, default, max.",
      "anyOf": [
        {
          "type": "string",
          "pattern": "^(default|[0-9]+(\\.[0-9]+)?x)$",
          "description": "The whole triple: `default`, or every field times a factor of the kernel default."
        },
        {
          "type": "string",
          "pattern": "^[ \\t]*[0-9]+[ \\t]+[0-9]+[ \\t]+[0-9]+[ \\t]*$",
          "description": "The sysctl.conf form: three integers separated by spaces or tabs, as `sysctl -n` prints them and sysctl.conf files hold them (`\"4096 131072 16777216\"`)."
        },
        {
          "type": "array",
          "minItems": 3,
          "maxItems": 3,
          "items": {
            "$ref": "#/$defs/ValueExpr"
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "minProperties": 1,
          "properties": {
            "min": {
              "$ref": "#/$defs/ValueExpr"
            },
            "default": {
              "$ref": "#/$defs/ValueExpr"
            },
            "max": {
              "$ref": "#/$defs/ValueExpr"
            }
          },
          "description": "Some fields by name; the others keep the host's kernel default."
        }
      ]
    },
    "ValueExpr": {
      "title": "ValueExpr",
      "description": "One desired value. An integer in the sysctl's unit; a size (`16MiB`; `16M`/`16m`/`16k` are binary like memparse, `16MB`/`16kB` decimal, which tcpmem warns about) for byte-valued settings, or converted to pages for page-valued ones (`tcp_mem`, `udp_mem`); a share of the host's RAM (`6%`); a factor of the host's kernel default (`2x`, `0.5x`); `default` for the kernel default; or `{atLeast: …}` to only ever raise the value the host has.",
      "anyOf": [
        {
          "type": "integer"
        },
        {
          "type": "string",
          "pattern": "^(default|[0-9]+(\\.[0-9]+)?\\s*(B|[KMGT]iB|[kKMGT]B|[kKmMgGtT])?|[0-9]+(\\.[0-9]+)?%|[0-9]+(\\.[0-9]+)?x)$"
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "atLeast"
          ],
          "properties": {
            "atLeast": {
              "$ref": "#/$defs/ValueExpr"
            }
          }
        }
      ]
    },
    "Workload": {
      "title": "Workload",
      "description": "Targets that tcpmem turns into buffer sizes: each flow should reach `flowRate` over a path of round-trip time `rtt`, with up to `flows` such flows at once.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "flowRate",
        "rtt",
        "flows"
      ],
      "properties": {
        "flowRate": {
          "$ref": "#/$defs/Rate",
          "description": "The rate one flow should reach."
        },
        "rtt": {
          "$ref": "#/$defs/Duration",
          "description": "The round-trip time of the flows' path."
        },
        "flows": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100000000,
          "description": "How many such flows run at once on the host."
        },
        "direction": {
          "enum": [
            "receive",
            "send",
            "both"
          ],
          "default": "both",
          "description": "Which buffers the flows need: `receive` (tcp_rmem), `send` (tcp_wmem) or `both`."
        },
        "completionLatency": {
          "$ref": "#/$defs/Duration",
          "description": "Time from handing a packet to the NIC to its TX completion (interrupt coalescing included); TCP Small Queues cap a flow at about tcp_limit_output_bytes over this. Default 500us.",
          "default": "500us"
        }
      }
    },
    "Ssh": {
      "title": "SshConnection",
      "description": "How to reach a host over SSH. Secrets never go here: name a key file, an agent, or the environment variable that holds a passphrase.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "user": {
          "type": "string",
          "minLength": 1,
          "pattern": "^[a-z_][a-z0-9_.-]*\\$?$",
          "description": "The login user (default: the current user). Not root: use a deploy user with `sudo -n`."
        },
        "port": {
          "type": "integer",
          "minimum": 1,
          "maximum": 65535,
          "description": "The SSH port (default 22).",
          "default": 22
        },
        "identityFile": {
          "type": "string",
          "minLength": 1,
          "description": "Private key file (OpenSSH or PEM); `~/` is the home folder. Default ~/.ssh/id_ed25519 unless `agent` is set."
        },
        "passphraseEnv": {
          "type": "string",
          "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
          "description": "Environment variable holding the identity file's passphrase."
        },
        "agent": {
          "type": "boolean",
          "description": "Use the ssh-agent at $SSH_AUTH_SOCK."
        },
        "sudo": {
          "type": "boolean",
          "description": "Run privileged commands with `sudo -n` (default true unless the user is root)."
        },
        "hostKeyPolicy": {
          "enum": [
            "strict",
            "accept-new"
          ],
          "default": "strict",
          "description": "`strict`: refuse unknown and changed host keys. `accept-new`: add an unknown host's key to known_hosts, still refuse a changed one."
        },
        "knownHostsFile": {
          "type": "string",
          "minLength": 1,
          "description": "OpenSSH known_hosts file to verify host keys against (default ~/.ssh/known_hosts)."
        },
        "jumpHost": {
          "type": "string",
          "pattern": "^([a-z_][a-z0-9_.-]*@)?[A-Za-z0-9_.:\\[\\]-]+(:[0-9]+)?$",
          "description": "`[user@]host[:port]`, like ssh's ProxyJump."
        },
        "connectTimeout": {
          "$ref": "#/$defs/Duration",
          "description": "Time allowed to connect, exchange keys and authenticate (default 10s).",
          "default": "10s"
        },
        "commandTimeout": {
          "$ref": "#/$defs/Duration",
          "description": "Time allowed for one remote command (default 60s).",
          "default": "60s"
        }
      }
    },
    "Size": {
      "title": "Size",
      "description": "An amount of memory: an integer number of bytes, or a number with a binary unit (KiB, MiB, GiB, TiB, or the one letter k, K, m, M, g, G, t, T that people and the kernel's memparse write: `8G` and `8g` are 8 GiB, `16k` 16 KiB) or a decimal unit (kB, MB, GB, TB: `16kB` is 16 000 bytes), e.g. `16MiB`.",
      "anyOf": [
        {
          "type": "integer",
          "minimum": 0
        },
        {
          "type": "string",
          "pattern": "^[0-9]+(\\.[0-9]+)?\\s*(B|[KMGT]iB|[kKMGT]B|[kKmMgGtT])?$"
        }
      ]
    },
    "Duration": {
      "title": "Duration",
      "description": "A time span with a unit: `ns`, `us` (or `µs`), `ms`, `s`, e.g. `100ms`.",
      "type": "string",
      "pattern": "^[0-9]+(\\.[0-9]+)?\\s*(ns|us|µs|ms|s)$"
    },
    "Rate": {
      "title": "Rate",
      "description": "A data rate: bits per second (`bit`, `Kbit`, `Mbit`, `Gbit`, `Tbit`, decimal) or bytes per second (`B/s`, `kB/s`, `MB/s`, `GB/s`, `KiB/s`, `MiB/s`, `GiB/s`), e.g. `25Gbit`.",
      "type": "string",
      "pattern": "^[0-9]+(\\.[0-9]+)?\\s*([KMGT]?bit|([kKMGT]|[KMGT]i)?B/s)$"
    },
    "KernelRelease": {
      "title": "KernelRelease",
      "description": "A kernel release as `uname -r` prints it (`6.1.0-26-cloud-amd64`, `5.15.0-91-generic`) or a bare series (`4.9`, `6.12`).",
      "type": "string",
      "pattern": "^[0-9]+\\.[0-9]+(\\.[0-9]+)?([-+~_a-zA-Z][-+.~_a-zA-Z0-9]*)?$",
      "maxLength": 200
    },
    "NumaNode": {
      "title": "NumaNode",
      "description": "One NUMA node: its memory and, optionally, how many CPUs it has.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "memory"
      ],
      "properties": {
        "memory": {
          "$ref": "#/$defs/Size"
        },
        "cpus": {
          "type": "integer",
          "minimum": 0
        }
      }
    },
    "HardwareFields": {
      "title": "HardwareFields",
      "description": "A host's hardware as any level (defaults, a group, a host) may give it: any subset, merged field by field; a level that sets `memory` or `nodes` replaces both.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "kernel": {
          "$ref": "#/$defs/KernelRelease"
        },
        "memory": {
          "$ref": "#/$defs/Size",
          "description": "Total RAM, for a host with one NUMA node (as installed, or as given to the VM)."
        },
        "nodes": {
          "description": "Memory per NUMA node, in node order. Use instead of `memory` for multi-node hosts.",
          "type": "array",
          "minItems": 1,
          "maxItems": 1024,
          "items": {
            "anyOf": [
              {
                "$ref": "#/$defs/Size"
              },
              {
                "$ref": "#/$defs/NumaNode"
              }
            ]
          }
        },
        "cpus": {
          "type": "integer",
          "minimum": 1,
          "maximum": 65536
        },
        "arch": {
          "enum": [
            "x86_64",
            "aarch64"
          ],
          "description": "The CPU architecture; without it, the one the kernel release names (`6.1.0-26-cloud-arm64`, `5.14.0-427.el9.aarch64`: aarch64), else x86_64 (or as `platform` says). aarch64 models arm64's zones (ZONE_DMA up to 4 GiB, no ZONE_DMA32), its 4 KiB linear-map page tables (rodata=full) and its reservations."
        },
        "pageSize": {
          "enum": [
            4096,
            16384,
            65536
          ],
          "description": "The kernel's page size in bytes; without it, the one the kernel release names (arm64's page-size flavours: `6.8.0-45-generic-64k`, `5.14.0-427.el9.aarch64+64k`: 65536; `+16k`: 16384), else 4096. tcp_mem, udp_mem and every zone count these pages."
        },
        "cmdline": {
          "type": "string",
          "description": "Kernel boot parameters, as in /proc/cmdline (`thash_entries=`, `transparent_hugepage=`, `mem=`, `movablecore=` are understood)."
        },
        "transparentHugepage": {
          "enum": [
            "always",
            "madvise",
            "never"
          ],
          "description": "The kernel's built-in THP mode (CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS/MADVISE); `transparent_hugepage=` on the command line overrides it. Debian, Ubuntu and RHEL kernels default to madvise or always."
        },
        "facts": {
          "$ref": "#/$defs/HostFacts"
        },
        "initrd": {
          "$ref": "#/$defs/Size",
          "description": "Size of the initramfs the boot loader loads (the size of /boot/initrd.img-RELEASE). It stays reserved until after tcp_init(), so it lowers tcp_mem: each 64 KiB by one page of tcp_mem[1]. Default 1 MiB, a minimal initramfs; a distribution's is 30–80 MiB. `tcpmem discover` reads the exact size from the boot log."
        },
        "platform": {
          "enum": [
            "qemu-pc",
            "qemu-q35",
            "qemu-virt"
          ],
          "default": "qemu-pc",
          "description": "The firmware's physical memory map: QEMU's i440FX `pc` layout (also right for most x86 hosts below 3.5 GiB), its `q35` layout, or arm64's `virt` layout (RAM from 1 GiB physical; the default for `arch: aarch64`)."
        },
        "fiveLevelPaging": {
          "type": "boolean",
          "default": false,
          "description": "The CPU has la57 and the kernel uses 5-level page tables (about 2 MiB more reserved at boot)."
        },
        "usable": {
          "$ref": "#/$defs/Size",
          "description": "Usable RAM as the firmware reports it: the sum of the e820/EFI `usable` ranges, or the total of the boot log's `Memory: …K/TOTALK available` line. Real hypervisors and firmware hold back more than QEMU does (a \"4 GiB\" cloud VM has less); when given, the model removes the difference from the top of RAM."
        }
      },
      "not": {
        "properties": {
          "memory": true,
          "nodes": true
        },
        "required": [
          "memory",
          "nodes"
        ]
      }
    },
    "Hardware": {
      "title": "Hardware",
      "description": "What kernel-model needs to know about a host: its memory (total, or per NUMA node), CPUs, page size, architecture, kernel release and boot command line. Facts captured from the live host (by `tcpmem discover`) make the model exact.",
      "allOf": [
        {
          "$ref": "#/$defs/HardwareFields"
        }
      ],
      "properties": {
        "kernel": {
          "$ref": "#/$defs/KernelRelease"
        }
      },
      "required": [
        "kernel"
      ],
      "type": "object",
      "tsType": "HardwareFields & { kernel: KernelRelease }"
    },
    "HardwareDocument": {
      "title": "HardwareDocument",
      "description": "A file that describes one host's hardware (`tcpmem model --hardware FILE`).",
      "type": "object",
      "required": [
        "kind",
        "hardware"
      ],
      "additionalProperties": false,
      "properties": {
        "kind": {
          "const": "hardware"
        },
        "version": {
          "const": 1
        },
        "name": {
          "type": "string"
        },
        "hardware": {
          "$ref": "#/$defs/Hardware"
        }
      }
    },
    "HostFacts": {
      "title": "HostFacts",
      "description": "Raw text read from a live host; the model parses it. Every field is optional: what a host let us read.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "release": {
          "type": "string",
          "description": "`uname -r`"
        },
        "version": {
          "type": "string",
          "description": "/proc/version"
        },
        "cmdline": {
          "type": "string",
          "description": "/proc/cmdline"
        },
        "meminfo": {
          "type": "string",
          "description": "/proc/meminfo"
        },
        "zoneinfo": {
          "type": "string",
          "description": "/proc/zoneinfo"
        },
        "nodeMeminfo": {
          "type": "array",
          "items": {
            "type": "string"
          },
          "description": "/sys/devices/system/node/nodeN/meminfo, in node order"
        },
        "cpus": {
          "type": "integer",
          "minimum": 1
        },
        "pageSize": {
          "type": "integer",
          "minimum": 4096
        },
        "thpEnabled": {
          "type": "string",
          "description": "/sys/kernel/mm/transparent_hugepage/enabled"
        },
        "machineAppId": {
          "type": "string",
          "pattern": "^[0-9a-f]{32}$",
          "description": "This machine's ID for tcpmem, derived from /etc/machine-id as systemd's `sd_id128_get_machine_app_specific()` derives an application's (`systemd-id128 machine-id --app-specific=f6b1a3c84e2d4f0b9a7c5d3e1f2a4b6c` prints it), so the machine ID itself is never stored. `apply --local` finds its host entry by it when no host is named after the machine."
        },
        "minFreeKbytes": {
          "type": "integer",
          "minimum": 0
        },
        "hashTablesLine": {
          "type": "string",
          "description": "The dmesg line `TCP: Hash tables configured (established N bind M)`"
        },
        "sysctls": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          },
          "description": "Live values as `sysctl -n` prints them"
        },
        "missingSysctls": {
          "type": "array",
          "items": {
            "type": "string"
          },
          "uniqueItems": true,
          "description": "The sysctls tcpmem read that this host's /proc/sys does not have: whole-host settings such as net.ipv4.tcp_mem inside a network namespace or a container. A plan from these facts leaves them alone (TCPMEM_SYSCTL_NOT_ON_HOST), as a live plan does. Absent (facts from an older tcpmem): every sysctl is assumed present."
        },
        "netns": {
          "type": "string",
          "description": "The network namespace the facts were read in, as `readlink /proc/self/ns/net` prints it (`net:[4026531840]`)."
        },
        "dmesg": {
          "type": "string",
          "description": "The kernel boot log: only the lines the model reads (`tcpmem discover` keeps those and drops the rest): `Linux version`, `Memory:`, `percpu:`, the memory node ranges, hash table sizes, `Freeing …` and a few more (docs/kernel-model.md). Exact initrd and kernel-image frees, the hash table sizes, and a build profile learned from it."
        }
      }
    },
    "Facts": {
      "title": "FactsDocument",
      "description": "What `tcpmem discover` read from one host, stored beside the config.",
      "type": "object",
      "required": [
        "kind",
        "host",
        "capturedAt",
        "facts"
      ],
      "additionalProperties": false,
      "properties": {
        "kind": {
          "const": "facts"
        },
        "version": {
          "const": 1
        },
        "host": {
          "type": "string"
        },
        "capturedAt": {
          "type": "string",
          "format": "date-time"
        },
        "facts": {
          "$ref": "#/$defs/HostFacts"
        }
      }
    },
    "Problem": {
      "title": "Problem",
      "description": "Something wrong with an input, as data: a stable code, where it is (file, line, column, JSON pointer) and what to do.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "code",
        "severity",
        "message"
      ],
      "properties": {
        "code": {
          "type": "string",
          "pattern": "^TCPMEM_[A-Z0-9_]+$"
        },
        "severity": {
          "enum": [
            "error",
            "warning",
            "note"
          ],
          "description": "`error` fails the run; `warning` is worth reading; `note` says what tcpmem did on its own (a file of a folder that is not a tcpmem document, skipped)."
        },
        "message": {
          "type": "string"
        },
        "hint": {
          "type": "string"
        },
        "file": {
          "type": "string"
        },
        "line": {
          "type": "integer",
          "minimum": 1
        },
        "column": {
          "type": "integer",
          "minimum": 1
        },
        "path": {
          "type": "string",
          "description": "JSON pointer to the value inside the document"
        },
        "schemaPath": {
          "type": "string"
        }
      }
    },
    "ValidationReport": {
      "title": "ValidationReport",
      "description": "What `tcpmem validate --json` prints.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "valid",
        "files",
        "problems"
      ],
      "properties": {
        "valid": {
          "type": "boolean"
        },
        "files": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "problems": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/Problem"
          }
        }
      }
    },
    "Plan": {
      "title": "Plan",
      "description": "What `tcpmem plan --json` prints and `--out` saves: per host, what would change and why, and what was observed so that `apply` can refuse a stale plan. Format version 1.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "kind",
        "formatVersion",
        "createdAt",
        "mode",
        "config",
        "summary",
        "hosts"
      ],
      "properties": {
        "kind": {
          "const": "plan"
        },
        "formatVersion": {
          "const": 1
        },
        "createdAt": {
          "type": "string",
          "format": "date-time"
        },
        "tcpmemVersion": {
          "type": "string"
        },
        "mode": {
          "enum": [
            "live",
            "offline"
          ],
          "description": "`live`: current values read over SSH; `offline`: from discovered facts or the kernel model."
        },
        "config": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "path",
            "files"
          ],
          "properties": {
            "path": {
              "type": "string"
            },
            "files": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "digest": {
              "type": "string",
              "description": "sha256 over the config files' contents"
            }
          }
        },
        "shard": {
          "$ref": "#/$defs/Shard",
          "description": "`--shard I/N`: this plan holds shard I of N of the selected hosts. `tcpmem report merge` needs every shard 1…N once; the merged plan has none."
        },
        "summary": {
          "$ref": "#/$defs/PlanSummary"
        },
        "hosts": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/HostPlan"
          }
        },
        "problems": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/Problem"
          },
          "description": "Problems that concern the whole config rather than one host."
        }
      }
    },
    "Shard": {
      "title": "Shard",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "index",
        "count"
      ],
      "properties": {
        "index": {
          "type": "integer",
          "minimum": 1,
          "maximum": 65536
        },
        "count": {
          "type": "integer",
          "minimum": 1,
          "maximum": 65536
        }
      },
      "description": "One of N equal parts of a fleet (`--shard I/N`, 1-based)."
    },
    "PlanSummary": {
      "title": "PlanSummary",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "hosts",
        "hostsWithChanges",
        "create",
        "update",
        "delete",
        "noop",
        "unreachable",
        "invalid"
      ],
      "properties": {
        "hosts": {
          "type": "integer",
          "minimum": 0
        },
        "hostsWithChanges": {
          "type": "integer",
          "minimum": 0
        },
        "create": {
          "type": "integer",
          "minimum": 0
        },
        "update": {
          "type": "integer",
          "minimum": 0
        },
        "delete": {
          "type": "integer",
          "minimum": 0
        },
        "noop": {
          "type": "integer",
          "minimum": 0
        },
        "unreachable": {
          "type": "integer",
          "minimum": 0
        },
        "invalid": {
          "type": "integer",
          "minimum": 0
        }
      }
    },
    "HostPlan": {
      "title": "HostPlan",
      "description": "One host's part of a plan.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "name",
        "status",
        "source",
        "groups",
        "changes",
        "problems"
      ],
      "properties": {
        "name": {
          "type": "string"
        },
        "address": {
          "type": "string"
        },
        "groups": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "status": {
          "enum": [
            "ok",
            "unreachable",
            "invalid"
          ],
          "description": "`unreachable`: SSH failed, planned from the model when it could be; `invalid`: the host's config has errors, nothing planned."
        },
        "source": {
          "enum": [
            "live",
            "facts",
            "model",
            "none"
          ],
          "description": "Where the current values came from."
        },
        "unreachable": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "code",
            "message"
          ],
          "description": "Set when `status` is `unreachable`: why SSH failed. `code` is the transport's (`HOST_KEY_CHANGED`, `CONNECT_REFUSED`, `CONNECT_TIMEOUT`, …; docs/apply.md), `message` its words, which name the host and never a secret; `apply` reports both for the host.",
          "properties": {
            "code": {
              "type": "string"
            },
            "message": {
              "type": "string"
            }
          }
        },
        "kernel": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "release",
            "series"
          ],
          "properties": {
            "release": {
              "type": "string"
            },
            "series": {
              "type": "string"
            },
            "pageSize": {
              "type": "integer",
              "minimum": 1024,
              "description": "The host's page size in bytes when it is not 4 KiB (arm64's 16/64 KiB kernels): the pages of tcp_mem and udp_mem are this large. Absent: 4096."
            },
            "notes": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          }
        },
        "ssh": {
          "$ref": "#/$defs/Ssh"
        },
        "observed": {
          "$ref": "#/$defs/Observation"
        },
        "changes": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/Change"
          }
        },
        "problems": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/Problem"
          }
        }
      }
    },
    "Observation": {
      "title": "Observation",
      "description": "What plan saw on a host; `apply` reads the host again and refuses the plan when this fingerprint differs. The fingerprint covers the live values, tcpmem's own file, every assignment of a later sysctl.d file that would override it at boot, and every assignment another file makes of a sysctl tcpmem's file sets.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "fingerprint",
        "sysctls"
      ],
      "properties": {
        "fingerprint": {
          "type": "string"
        },
        "release": {
          "type": "string"
        },
        "sysctls": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          },
          "description": "Live values as `sysctl -n` prints them; a sysctl the host does not have is absent."
        },
        "persistedFile": {
          "type": "string"
        },
        "persisted": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          },
          "description": "The entries of tcpmem's own file in /etc/sysctl.d."
        },
        "overriding": {
          "type": "object",
          "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "file",
              "value"
            ],
            "properties": {
              "file": {
                "type": "string"
              },
              "value": {
                "type": "string"
              }
            }
          },
          "description": "Per sysctl tcpmem manages, the last assignment in a sysctl.d file that systemd-sysctl applies after tcpmem's own (so it would override it at boot): that file and its value. Covered by the fingerprint: a file added, changed or removed since the plan makes the plan stale. Absent when there is none."
        },
        "beneath": {
          "type": "object",
          "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "file",
              "value"
            ],
            "properties": {
              "file": {
                "type": "string"
              },
              "value": {
                "type": "string"
              }
            }
          },
          "description": "Per sysctl tcpmem's own file sets, the last assignment of it in any other sysctl.d file (before or after tcpmem's, in systemd-sysctl's order): what the host gets at boot without tcpmem's line, and so what a `delete` restores. Covered by the fingerprint. Absent when there is none."
        }
      }
    },
    "ObservedState": {
      "title": "ObservedState",
      "description": "The live state of hosts, by host name: what a live read of each would find. The plan scenario tests give it in `observed.json` beside a fleet, in place of hosts read over SSH.",
      "type": "object",
      "additionalProperties": {
        "$ref": "#/$defs/ObservedHost"
      }
    },
    "ObservedHost": {
      "title": "ObservedHost",
      "description": "One host as a live read finds it: the release, the live values and the sysctl.d files; plan turns it into the observation it plans against (the live values, tcpmem's own file, and the files that would override it at boot).",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "sysctls"
      ],
      "properties": {
        "release": {
          "type": "string",
          "description": "`uname -r`"
        },
        "sysctls": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          },
          "description": "Live values as `sysctl -n` prints them; a sysctl the host does not have is absent."
        },
        "files": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          },
          "description": "The sysctl.d files by path (/etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d, /lib/sysctl.d), with their text; tcpmem's own is /etc/sysctl.d/99-tcpmem.conf. Absent: none."
        }
      }
    },
    "Change": {
      "title": "Change",
      "description": "One sysctl on one host: `create` starts managing it, `update` changes a managed value, `delete` stops managing it (restores what the host's other sysctl.d files set at boot, else the kernel default, and drops it from tcpmem's file), `no-op` leaves it.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "sysctl",
        "action",
        "before",
        "after",
        "unit",
        "reason"
      ],
      "properties": {
        "sysctl": {
          "type": "string"
        },
        "action": {
          "enum": [
            "create",
            "update",
            "delete",
            "no-op"
          ]
        },
        "before": {
          "anyOf": [
            {
              "$ref": "#/$defs/SysctlValues"
            },
            {
              "type": "null"
            }
          ],
          "description": "The current live value; null when the host does not have the sysctl."
        },
        "after": {
          "anyOf": [
            {
              "$ref": "#/$defs/SysctlValues"
            },
            {
              "type": "null"
            }
          ],
          "description": "The value after apply."
        },
        "kernelDefault": {
          "$ref": "#/$defs/SysctlValues"
        },
        "persistedBefore": {
          "anyOf": [
            {
              "$ref": "#/$defs/SysctlValues"
            },
            {
              "type": "null"
            }
          ]
        },
        "unit": {
          "enum": [
            "pages",
            "bytes",
            "count"
          ]
        },
        "reason": {
          "type": "string"
        },
        "drift": {
          "enum": [
            "none",
            "live-only",
            "file-only",
            "both"
          ],
          "description": "For a managed sysctl: whether the live value, tcpmem's file, or both differ from the desired value."
        },
        "shadowedBy": {
          "type": "string",
          "description": "A sysctl file that would override tcpmem's at boot."
        }
      }
    },
    "ModelReport": {
      "title": "ModelReport",
      "description": "What `tcpmem model --json` prints: the boot-time defaults a kernel computes for a host's hardware, and how.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "kind",
        "formatVersion",
        "kernel",
        "hardware",
        "sysctls",
        "hashTables",
        "memory",
        "zones",
        "notes"
      ],
      "properties": {
        "kind": {
          "const": "model"
        },
        "formatVersion": {
          "const": 1
        },
        "kernel": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "release",
            "series",
            "notes"
          ],
          "properties": {
            "release": {
              "type": "string"
            },
            "series": {
              "type": "string"
            },
            "build": {
              "type": "string"
            },
            "notes": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "buildProfile": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "kind",
                "id"
              ],
              "description": "Where the build's fixed reservations came from: `measured` (this project booted the build), `calibrated` (learned from one host's boot log: `learnedFrom` names it) or `estimated` (the nearest known build stands in; see `ranges`).",
              "properties": {
                "kind": {
                  "enum": [
                    "measured",
                    "calibrated",
                    "estimated"
                  ]
                },
                "id": {
                  "type": "string"
                },
                "learnedFrom": {
                  "type": "string"
                },
                "estimate": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "centre",
                    "from",
                    "fixedPages"
                  ],
                  "description": "For a build nobody measured (and another ABI or flavour of a measured one): how its fixed reservation was centred (`debian-flavour`: a measured Debian build of the series; `published-image`: a published boot log of the distribution's kernel; `series-era`: the images of that kernel era; `nearest-profile`: the nearest measured build with the architecture's whole spread), what it was taken from, and the lowest and highest fixed reservation considered possible (pages at tcp_init), which `ranges` turn into sysctl values. `id` names the profile whose formulas stand in.",
                  "properties": {
                    "centre": {
                      "enum": [
                        "debian-flavour",
                        "published-image",
                        "series-era",
                        "nearest-profile"
                      ]
                    },
                    "from": {
                      "type": "string"
                    },
                    "fixedPages": {
                      "type": "array",
                      "items": {
                        "type": "integer",
                        "minimum": 0
                      },
                      "minItems": 2,
                      "maxItems": 2
                    }
                  }
                }
              }
            }
          }
        },
        "hardware": {
          "$ref": "#/$defs/Hardware"
        },
        "sysctls": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          },
          "description": "Sysctl name → value exactly as `sysctl -n` prints it (fields separated by a tab)."
        },
        "ranges": {
          "type": "object",
          "description": "For every memory-derived sysctl (tcp_mem, udp_mem, tcp_rmem, tcp_wmem, vm.min_free_kbytes): the lowest and highest value the model considers possible for this host, in `sysctl -n` format. For a measured or calibrated build both are the value itself.",
          "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "low",
              "high"
            ],
            "properties": {
              "low": {
                "type": "string"
              },
              "high": {
                "type": "string"
              }
            }
          }
        },
        "hashTables": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "established",
            "bind"
          ],
          "properties": {
            "established": {
              "type": "integer"
            },
            "bind": {
              "type": "integer"
            }
          }
        },
        "memory": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "source",
            "pageSize",
            "nr_free_buffer_pages",
            "nr_kernel_pages",
            "nr_all_pages",
            "totalram_pages",
            "min_free_kbytes",
            "thp"
          ],
          "properties": {
            "source": {
              "enum": [
                "hardware",
                "zoneinfo"
              ]
            },
            "pageSize": {
              "type": "integer"
            },
            "nr_free_buffer_pages": {
              "type": "integer"
            },
            "nr_kernel_pages": {
              "type": "integer"
            },
            "nr_all_pages": {
              "type": "integer"
            },
            "totalram_pages": {
              "type": "integer"
            },
            "min_free_kbytes": {
              "type": "integer"
            },
            "thp": {
              "type": "boolean",
              "description": "Whether the transparent-hugepage recommendation raised min_free_kbytes."
            }
          }
        },
        "zones": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "node",
              "zone",
              "spanned",
              "present",
              "managed",
              "min",
              "low",
              "high",
              "nr_free_buffer_pages"
            ],
            "properties": {
              "node": {
                "type": "integer"
              },
              "zone": {
                "type": "string"
              },
              "spanned": {
                "type": "integer"
              },
              "present": {
                "type": "integer"
              },
              "managed": {
                "type": "integer"
              },
              "min": {
                "type": "integer"
              },
              "low": {
                "type": "integer"
              },
              "high": {
                "type": "integer"
              },
              "nr_free_buffer_pages": {
                "type": "integer"
              }
            }
          }
        },
        "explain": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "step",
              "kernelFunction",
              "rule",
              "inputs",
              "result"
            ],
            "properties": {
              "step": {
                "type": "string"
              },
              "kernelFunction": {
                "type": "string"
              },
              "rule": {
                "type": "string"
              },
              "inputs": {
                "type": "object",
                "additionalProperties": {
                  "type": [
                    "number",
                    "string",
                    "boolean"
                  ]
                }
              },
              "result": {
                "type": "string"
              }
            }
          }
        },
        "notes": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "tsq": {
          "$ref": "#/$defs/TsqReport"
        }
      }
    },
    "TsqReport": {
      "title": "TsqReport",
      "description": "TCP Small Queues for one kind of flow on this kernel: the per-socket limit, the throughput ceiling it implies (limit / completion latency), and a short discrete-event simulation.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "series",
        "regime",
        "flowRateBytesPerSecond",
        "completionLatencyNs",
        "tcpLimitOutputBytes",
        "limitBytes",
        "limitFormula",
        "ceilingBytesPerSecond",
        "payloadCeilingBytesPerSecond",
        "capsFlow",
        "neededLimitBytes",
        "remedy"
      ],
      "properties": {
        "series": {
          "type": "string"
        },
        "regime": {
          "type": "string"
        },
        "mechanism": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "kind",
            "perCpu",
            "handler"
          ],
          "properties": {
            "kind": {
              "enum": [
                "tasklet",
                "bh-workqueue"
              ]
            },
            "perCpu": {
              "type": "string"
            },
            "handler": {
              "type": "string"
            }
          }
        },
        "driver": {
          "description": "The driver class that sets sk_pacing_shift (`--driver`).",
          "enum": [
            "wired",
            "mac80211",
            "brcmfmac",
            "rmnet"
          ]
        },
        "pacingShift": {
          "description": "sk_pacing_shift (10 before 4.15, where the shift is fixed).",
          "type": "integer"
        },
        "pacingRateBytesPerSecond": {
          "description": "sk_pacing_rate; absent on kernels without the field (vanilla 3.6–3.11).",
          "type": "number"
        },
        "flowRateBytesPerSecond": {
          "type": "number"
        },
        "completionLatencyNs": {
          "type": "number"
        },
        "tcpLimitOutputBytes": {
          "type": "number"
        },
        "limitBytes": {
          "type": [
            "number",
            "null"
          ],
          "description": "null when TSQ does not apply"
        },
        "limitFormula": {
          "type": "string"
        },
        "sendAnyway": {
          "description": "When tcp_small_queue_check sends although over the limit, by series and stable sublevel.",
          "enum": [
            "none",
            "first-or-second-skb",
            "rtx-queue-empty",
            "rtx-queue-empty-or-single-skb"
          ]
        },
        "ceilingBytesPerSecond": {
          "type": [
            "number",
            "null"
          ]
        },
        "payloadCeilingBytesPerSecond": {
          "type": [
            "number",
            "null"
          ]
        },
        "capsFlow": {
          "type": "boolean"
        },
        "neededLimitBytes": {
          "type": "number"
        },
        "remedy": {
          "enum": [
            "none",
            "raise-tcp-limit-output-bytes",
            "pacing-term-binds",
            "tsq-off",
            "new-data-stalls"
          ],
          "description": "new-data-stalls: 3.6–3.11 with tcp_limit_output_bytes ≤ 0, where tcp_write_xmit sends no new data."
        },
        "notes": {
          "description": "What the model could not pin for this kernel and driver, and warnings.",
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "simulation": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "flows",
            "cpus",
            "throughputPerFlowMean",
            "reachedFlowRate",
            "avgQueuedBytes",
            "maxQueuedBytes",
            "throttles",
            "taskletRuns",
            "deferrals",
            "eventsProcessed",
            "simulatedNs",
            "stoppedBy"
          ],
          "properties": {
            "flows": {
              "type": "integer"
            },
            "cpus": {
              "type": "integer"
            },
            "throughputPerFlowMean": {
              "type": "number"
            },
            "measured": {
              "description": "false when no skb completed in the measured window: throughputPerFlowMean is then no measurement.",
              "type": "boolean"
            },
            "reachedFlowRate": {
              "type": "boolean"
            },
            "avgQueuedBytes": {
              "type": "number"
            },
            "maxQueuedBytes": {
              "type": "number"
            },
            "throttles": {
              "type": "integer"
            },
            "taskletRuns": {
              "type": "integer"
            },
            "deferrals": {
              "type": "integer"
            },
            "eventsProcessed": {
              "type": "integer"
            },
            "simulatedNs": {
              "type": "number"
            },
            "stoppedBy": {
              "enum": [
                "time",
                "events",
                "idle"
              ]
            }
          }
        }
      }
    },
    "SysctlValues": {
      "title": "SysctlValues",
      "description": "A sysctl's value as integers: one, or three for a triple.",
      "type": "array",
      "items": {
        "type": "integer"
      },
      "minItems": 1,
      "maxItems": 3,
      "tsType": "number[]"
    },
    "ApplyReport": {
      "title": "ApplyReport",
      "description": "What `tcpmem apply --json` prints (and the `run-done` event carries): per host, what was written, verified, persisted or rolled back. Format version 1.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "kind",
        "formatVersion",
        "executor",
        "startedAt",
        "finishedAt",
        "durationMs",
        "plan",
        "summary",
        "hosts"
      ],
      "properties": {
        "kind": {
          "const": "apply-report"
        },
        "formatVersion": {
          "const": 1
        },
        "executor": {
          "enum": [
            "ssh",
            "local",
            "model"
          ],
          "description": "`ssh`: applied to hosts over SSH; `local`: applied to the machine tcpmem runs on (`apply --local`); `model`: a dry run on the kernel model."
        },
        "startedAt": {
          "type": "string",
          "format": "date-time"
        },
        "finishedAt": {
          "type": "string",
          "format": "date-time"
        },
        "durationMs": {
          "type": "number",
          "minimum": 0
        },
        "plan": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "createdAt",
            "digest",
            "configPath"
          ],
          "description": "Which plan was applied.",
          "properties": {
            "createdAt": {
              "type": "string"
            },
            "digest": {
              "type": "string",
              "description": "`sha256:` over the plan document as applied"
            },
            "configPath": {
              "type": "string"
            }
          }
        },
        "shard": {
          "$ref": "#/$defs/Shard",
          "description": "The shard of the plan it applied (`--shard I/N`): `tcpmem report merge` needs every shard 1…N once."
        },
        "summary": {
          "$ref": "#/$defs/ApplySummary"
        },
        "refused": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "reason",
            "staleHosts"
          ],
          "description": "Set when nothing was applied because a saved plan was stale.",
          "properties": {
            "reason": {
              "type": "string"
            },
            "staleHosts": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "host",
                  "settings"
                ],
                "properties": {
                  "host": {
                    "type": "string"
                  },
                  "settings": {
                    "type": "array",
                    "items": {
                      "$ref": "#/$defs/StaleSetting"
                    }
                  }
                }
              }
            }
          }
        },
        "interrupted": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "signal",
            "elapsedMs",
            "hostsRunning"
          ],
          "description": "Set when the run was interrupted (Ctrl-C, SIGINT; or SIGTERM): no new host was started after `elapsedMs`; the hosts in `hostsRunning` then went on to their end (committed, or rolled back), or — after a second signal — were stopped before their commit (untouched). Each host's result says what it is, as read back. `tcpmem apply` exits 130.",
          "properties": {
            "signal": {
              "enum": [
                "SIGINT",
                "SIGTERM"
              ]
            },
            "elapsedMs": {
              "type": "number",
              "minimum": 0
            },
            "hostsRunning": {
              "type": "array",
              "items": {
                "type": "string"
              },
              "description": "The hosts whose transactions were under way when the signal came."
            },
            "forced": {
              "type": "boolean",
              "description": "A second signal came: transactions that had not been sent COMMIT were stopped (the host untouched); those committing were still waited for."
            }
          }
        },
        "acceptedHostKeys": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/AcceptedHostKey"
          },
          "description": "Host keys that `hostKeyPolicy: accept-new` trusted on first use during this run (while planning a CONFIG, checking, or applying) and added to a known_hosts file. Absent when none."
        },
        "hosts": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/HostApplyResult"
          }
        }
      }
    },
    "ApplySummary": {
      "title": "ApplySummary",
      "description": "Hosts by outcome, and settings changed or unavailable.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "hosts",
        "applied",
        "unchanged",
        "failed",
        "stale",
        "unreachable",
        "skipped",
        "settingsChanged",
        "settingsUnavailable"
      ],
      "properties": {
        "hosts": {
          "type": "integer",
          "minimum": 0
        },
        "applied": {
          "type": "integer",
          "minimum": 0
        },
        "unchanged": {
          "type": "integer",
          "minimum": 0
        },
        "failed": {
          "type": "integer",
          "minimum": 0
        },
        "stale": {
          "type": "integer",
          "minimum": 0
        },
        "unreachable": {
          "type": "integer",
          "minimum": 0
        },
        "skipped": {
          "type": "integer",
          "minimum": 0
        },
        "settingsChanged": {
          "type": "integer",
          "minimum": 0
        },
        "settingsUnavailable": {
          "type": "integer",
          "minimum": 0
        }
      }
    },
    "StaleSetting": {
      "title": "StaleSetting",
      "description": "A setting that changed on a host since the plan observed it.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "sysctl",
        "where",
        "planned",
        "now"
      ],
      "properties": {
        "sysctl": {
          "type": "string"
        },
        "where": {
          "enum": [
            "live",
            "file",
            "override"
          ],
          "description": "`live`: the kernel's value; `file`: tcpmem's own file; `override`: a sysctl.d file that systemd-sysctl applies after tcpmem's (it would override tcpmem's value at boot), named in `file`."
        },
        "planned": {
          "type": [
            "string",
            "null"
          ],
          "description": "As the plan observed it (null: absent)."
        },
        "now": {
          "type": [
            "string",
            "null"
          ],
          "description": "As it is now (null: absent)."
        },
        "file": {
          "type": "string",
          "description": "With `where: override`: the overriding file now (or, when it is gone, as the plan saw it)."
        }
      }
    },
    "AcceptedHostKey": {
      "title": "AcceptedHostKey",
      "description": "A host key that `hostKeyPolicy: accept-new` trusted on first use and appended to a known_hosts file.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "host",
        "address",
        "port",
        "keyType",
        "fingerprint",
        "file"
      ],
      "properties": {
        "host": {
          "type": "string",
          "description": "The fleet host whose connection met the key (for a jump host: the host connected through it)."
        },
        "address": {
          "type": "string",
          "description": "The address the key was presented at (the host, or its jump host), as known_hosts now names it."
        },
        "port": {
          "type": "integer",
          "minimum": 1,
          "maximum": 65535
        },
        "keyType": {
          "type": "string",
          "description": "`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, …"
        },
        "fingerprint": {
          "type": "string",
          "description": "`SHA256:…`, as `ssh-keygen -l` prints it."
        },
        "file": {
          "type": "string",
          "description": "The known_hosts file the key was added to."
        }
      }
    },
    "HostApplyResult": {
      "title": "HostApplyResult",
      "description": "What happened to one host. `status`: applied (every change live, verified, persisted), unchanged (nothing to do, not contacted), failed (see `state`), stale (changed since the plan; untouched), unreachable (no SSH session; untouched), skipped (not attempted). `state`: changed, untouched, rolled-back (written and restored, verified) or unknown.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "host",
        "status",
        "state",
        "settings",
        "warnings",
        "durationMs"
      ],
      "properties": {
        "host": {
          "type": "string"
        },
        "address": {
          "type": "string"
        },
        "status": {
          "enum": [
            "applied",
            "unchanged",
            "failed",
            "stale",
            "unreachable",
            "skipped"
          ]
        },
        "state": {
          "enum": [
            "changed",
            "untouched",
            "rolled-back",
            "unknown"
          ]
        },
        "settings": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/SettingResult"
          }
        },
        "file": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "path",
            "action",
            "entries"
          ],
          "description": "tcpmem's own sysctl file after the run.",
          "properties": {
            "path": {
              "type": "string"
            },
            "action": {
              "enum": [
                "written",
                "removed",
                "unchanged"
              ]
            },
            "entries": {
              "type": "object",
              "additionalProperties": {
                "type": "string"
              }
            }
          }
        },
        "failure": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "stage",
            "code",
            "message"
          ],
          "properties": {
            "stage": {
              "enum": [
                "plan",
                "connect",
                "sudo",
                "lock",
                "read",
                "prepare",
                "write",
                "verify",
                "persist",
                "commit",
                "rollback"
              ]
            },
            "code": {
              "type": "string",
              "description": "`TCPMEM_APPLY_*`, or the SSH transport's code."
            },
            "message": {
              "type": "string"
            },
            "sysctl": {
              "type": "string"
            }
          }
        },
        "skipped": {
          "type": "string",
          "description": "Why the host was skipped."
        },
        "unavailable": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "sysctl",
              "reason"
            ],
            "properties": {
              "sysctl": {
                "type": "string"
              },
              "reason": {
                "type": "string"
              }
            }
          },
          "description": "Desired settings the host does not have; not applied."
        },
        "stale": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/StaleSetting"
          }
        },
        "warnings": {
          "type": "array",
          "items": {
            "type": "string"
          }
        },
        "durationMs": {
          "type": "number",
          "minimum": 0
        }
      }
    },
    "SettingResult": {
      "title": "SettingResult",
      "description": "One setting's outcome: written, persisted (only the file changed), unchanged, restored (to what the host's other sysctl.d files set at boot, else the kernel default; line dropped), dropped (line dropped, default unknown), unavailable, rolled-back, rejected (see message) or not-attempted.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "sysctl",
        "action",
        "outcome",
        "before",
        "after"
      ],
      "properties": {
        "sysctl": {
          "type": "string"
        },
        "action": {
          "enum": [
            "create",
            "update",
            "delete",
            "no-op"
          ]
        },
        "outcome": {
          "enum": [
            "written",
            "persisted",
            "unchanged",
            "restored",
            "dropped",
            "unavailable",
            "rolled-back",
            "rejected",
            "not-attempted"
          ]
        },
        "before": {
          "anyOf": [
            {
              "$ref": "#/$defs/SysctlValues"
            },
            {
              "type": "null"
            }
          ],
          "description": "The live value before the run."
        },
        "after": {
          "anyOf": [
            {
              "$ref": "#/$defs/SysctlValues"
            },
            {
              "type": "null"
            }
          ],
          "description": "The live value after the run."
        },
        "message": {
          "type": "string"
        }
      }
    },
    "HostTcpMemoryInputs": {
      "title": "HostTcpMemoryInputs",
      "description": "The inputs of the Pulumi resource `HostTcpMemory` (docs/pulumi.md): one host's connection and its desired settings, each setting in the form a fleet file gives it. Checked against this definition by the provider's `check`, through the same gate as config files.",
      "type": "object",
      "additionalProperties": false,
      "required": [
        "hostName",
        "address"
      ],
      "properties": {
        "hostName": {
          "$ref": "#/$defs/Name",
          "description": "The host's name in plans, problems and tcpmem's file header (the resource's name unless given)."
        },
        "address": {
          "type": "string",
          "minLength": 1,
          "description": "DNS name or IP address the host is reached at over SSH. Changing it replaces the resource."
        },
        "ssh": {
          "$ref": "#/$defs/Ssh",
          "description": "How to reach the host, as a fleet's `ssh` block (port, user, identityFile, agent, sudo, knownHostsFile, …)."
        },
        "privateKey": {
          "type": "string",
          "pattern": "^\\s*-----BEGIN ((OPENSSH|RSA|EC|DSA|ENCRYPTED) )?PRIVATE KEY-----",
          "description": "An OpenSSH or PEM private key, as text. Always a secret in state; never logged nor put in a message."
        },
        "privateKeyPassphrase": {
          "type": "string",
          "description": "The passphrase of `privateKey`, when it is encrypted. Always a secret."
        },
        "hostKey": {
          "type": "string",
          "pattern": "^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com)\\s+[A-Za-z0-9+/]+={0,3}(\\s+\\S.*)?\\s*$",
          "description": "The host's public host key as in its `.pub` file (`ssh-ed25519 AAAA… [comment]`): pins it, instead of a known_hosts file. Mutually exclusive with `ssh.knownHostsFile` and `ssh.jumpHost`."
        },
        "hardware": {
          "$ref": "#/$defs/HardwareFields",
          "description": "What tcpmem knows of the host without reading it; with `kernel` and `memory`, `check` can plan it offline."
        },
        "sysctls": {
          "$ref": "#/$defs/Sysctls",
          "description": "Desired values: absolute, relative to the kernel default (`2x`), shares of RAM (`6%`), `{atLeast: …}`."
        },
        "workload": {
          "$ref": "#/$defs/Workload",
          "description": "Targets tcpmem turns into buffer sizes (flow rate, RTT, flows)."
        },
        "presets": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1
          },
          "description": "Presets applied before `sysctls`, in order: built-in (`tcpmem:…`) or defined in `presetDefinitions`."
        },
        "presetDefinitions": {
          "type": "object",
          "propertyNames": {
            "$ref": "#/$defs/Name"
          },
          "additionalProperties": {
            "$ref": "#/$defs/Preset"
          },
          "description": "Presets of the program's own (a fleet's `presets`), by name."
        }
      }
    }
  }
} as const;
