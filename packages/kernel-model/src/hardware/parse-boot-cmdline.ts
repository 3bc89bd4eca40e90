import { kstrtoul, type KernelParse } from './kstrtoul';
import { memparse } from './memparse';
import { selectCrashkernelArgs } from './parse-crashkernel';

/** A THP mode as `transparent_hugepage=` and /sys/kernel/mm/transparent_hugepage/enabled name it. */
export type ThpMode = 'always' | 'madvise' | 'never';

/** The boot parameters the model understands, parsed from a kernel command line. */
export interface BootParams {
  /** `thash_entries=`: the raw text and its `kstrtoul(…, 0)` parse (a failed parse leaves the table automatic). */
  readonly thashEntries: { readonly raw: string; readonly parse: KernelParse } | undefined;
  /** `transparent_hugepage=always|madvise|never` (other values are ignored by the kernel). */
  readonly transparentHugepage: ThpMode | undefined;
  /** `mem=`: RAM above this physical address is removed (x86 `parse_memopt`). */
  readonly mem: number | undefined;
  /** `movablecore=` / `kernelcore=` as written (size, percentage or `mirror`). */
  readonly movablecore: string | undefined;
  readonly kernelcore: string | undefined;
  /** The `crashkernel=` region the kernel acts on (see selectCrashkernelArgs); resolved against system RAM by the zone model. */
  readonly crashkernel: string | undefined;
  /** The last `crashkernel=…,low`: the low part beside a region above 4 GiB. */
  readonly crashkernelLow: string | undefined;
  /** `numa=off` (all memory on one node). */
  readonly numaOff: boolean;
  /** `no5lvl` forces 4-level paging on la57-capable CPUs. */
  readonly no5lvl: boolean;
  /** `swiotlb=` as written (e.g. `noforce`, `65536`). */
  readonly swiotlb: string | undefined;
  /** `deferred_init=lazy` (a non-mainline patch seen on the 6.18.44 host): zoneinfo managed pages lag behind. */
  readonly lazyDeferredInit: boolean;
  /** Parameters given more than once (the kernel keeps the last). */
  readonly repeated: readonly string[];
}

/**
 * Splits a command line like the kernel's `next_arg()` (lib/cmdline.c): whitespace-separated, double quotes group,
 * and everything after a lone `--` is for init, not the kernel.
 */
export function splitBootArgs(cmdline: string): string[] {
  const args: string[] = [];
  const pattern = /(?:[^\s"]+|"[^"]*")+/g;
  for (const match of cmdline.matchAll(pattern)) {
    const arg = match[0].replace(/"/g, '');
    if (arg === '--') break;
    args.push(arg);
  }
  return args;
}

/** Parses the boot parameters the model needs from a kernel command line (as in /proc/cmdline). */
export function parseBootCmdline(cmdline: string): BootParams {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const repeated = new Set<string>();
  const crashkernels: string[] = [];
  for (const arg of splitBootArgs(cmdline)) {
    const eq = arg.indexOf('=');
    if (eq < 0) {
      flags.add(arg);
      continue;
    }
    const key = arg.slice(0, eq);
    if (key === 'crashkernel') {
      // `,high` and `,low` are separate parameters beside the plain one; only a second of the same form repeats.
      const value = arg.slice(eq + 1);
      const form = (v: string): string => (v.endsWith(',high') ? 'high' : v.endsWith(',low') ? 'low' : 'plain');
      if (crashkernels.some((v) => form(v) === form(value))) repeated.add(key);
      crashkernels.push(value);
      continue;
    }
    if (values.has(key)) repeated.add(key);
    values.set(key, arg.slice(eq + 1));
  }
  const crash = selectCrashkernelArgs(crashkernels);
  const thash = values.get('thash_entries');
  const thp = values.get('transparent_hugepage');
  const mem = values.get('mem');
  const memBytes = mem === undefined || mem === 'nopentium' ? undefined : memparse(mem)?.bytes;
  return {
    // set_thash_entries(): kstrtoul(str, 0, &thash_entries); on error thash_entries stays 0.
    thashEntries: thash === undefined ? undefined : { raw: thash, parse: kstrtoul(thash) },
    transparentHugepage: thp === 'always' || thp === 'madvise' || thp === 'never' ? thp : undefined,
    mem: memBytes,
    movablecore: values.get('movablecore'),
    kernelcore: values.get('kernelcore'),
    crashkernel: crash.main,
    crashkernelLow: crash.low,
    numaOff: values.get('numa') === 'off',
    no5lvl: flags.has('no5lvl'),
    swiotlb: values.get('swiotlb'),
    lazyDeferredInit: values.get('deferred_init') === 'lazy',
    repeated: [...repeated],
  };
}
