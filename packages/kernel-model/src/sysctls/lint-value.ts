import { getSysctl } from './registry';
import type { SysctlDefinition, SysctlName } from './sysctl-definition';
import { tripleStepsDown } from './triple-order';

/**
 * tcpmem's advice on a value the kernel may well accept: contradictory triples, values that disable what the
 * sysctl protects, likely unit mistakes. Not kernel rules: `checkWrite` says what the kernel refuses.
 */
export interface LintFinding {
  /** A stable code, `TCPMEM_ADVICE_*` (listed in docs/sysctls.md). */
  readonly code: string;
  readonly severity: 'warning' | 'info';
  readonly message: string;
  readonly hint?: string;
  /** The element concerned, in kernel order; absent when the finding is about the whole value. */
  readonly elementIndex?: number;
  readonly source: 'tcpmem-advice';
}

const INT_MIN = -(1n << 31n);
const INT_MAX = (1n << 31n) - 1n;
const UINT_MAX = (1n << 32n) - 1n;
const ULONG_MAX = (1n << 64n) - 1n;
const PAGE = 4096n;

function finding(code: string, message: string, extra: { severity?: 'warning' | 'info'; hint?: string; elementIndex?: number } = {}): LintFinding {
  const { severity = 'warning', ...rest } = extra;
  return { code, severity, message, ...rest, source: 'tcpmem-advice' };
}

/** Below this share of the host's RAM a tcp_mem/udp_mem threshold cripples the protocol (the kernel's defaults are about 4.5/6/9 % for tcp_mem). */
export const minMemShareOfRam = 0.01;

/** Below this share of the kernel default a tcp_rmem/tcp_wmem element is far below what the kernel would use. */
export const minBufferShareOfDefault = 0.25;

/**
 * What `lintValue` may know of the host a value is meant for, to say when a value is far below what the host's
 * kernel would use. Without it, only the value itself is judged.
 */
export interface LintHost {
  /** The host kernel's boot-time default of this sysctl, in kernel order. */
  readonly kernelDefault?: readonly number[] | undefined;
  /** The host's RAM (MemTotal) in bytes, and its page size: what a page-valued triple is a share of. */
  readonly memTotalBytes?: number | undefined;
  readonly pageSize?: number | undefined;
}

const short = (d: SysctlDefinition): string => d.name.split('.').pop() ?? d.name;
const label = (d: SysctlDefinition, i: number): string => (d.shape === 'scalar' ? short(d) : `${short(d)} ${d.fields[i] ?? `element ${i}`}`);

/** What a zero or negative value does to each plain-int sysctl (proc_dointvec takes any int). */
const nonPositiveMeaning: Partial<Record<SysctlName, string>> = {
  'net.ipv4.tcp_max_tw_buckets': 'no connection is kept in TIME_WAIT: every one is destroyed at once ("time wait bucket table overflow")',
  'net.ipv4.tcp_max_orphans': 'every orphaned socket is reset at once ("too many orphaned sockets")',
  'net.ipv4.tcp_max_syn_backlog': 'listeners keep next to no half-open connections and fall back to SYN cookies or drops at once',
  'net.ipv4.tcp_limit_output_bytes': 'TCP Small Queues lets each socket have about one packet below TCP at a time, which caps throughput hard',
  'net.core.somaxconn': 'every listen() backlog is cut to nothing, so accept queues overflow under any load',
};

/** Findings for one element against its C type; the value as a bigint, or undefined when it is unusable. */
function typeFindings(d: SysctlDefinition, i: number, value: bigint | number, out: LintFinding[]): bigint | undefined {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    out.push(
      finding('TCPMEM_ADVICE_NOT_INTEGER', `${label(d, i)} is ${String(value)}, not an integer: the kernel refuses it`, {
        elementIndex: i,
        hint: Number.isInteger(value) ? 'pass integers above 2^53 as bigint' : 'write a whole number',
      }),
    );
    return undefined;
  }
  const n = BigInt(value);
  if (d.cType === 'int' && (n < INT_MIN || n > INT_MAX)) {
    out.push(
      finding('TCPMEM_ADVICE_OUT_OF_RANGE', `${label(d, i)} is ${n.toString()}, outside the kernel's int (${INT_MIN.toString()} … ${INT_MAX.toString()})`, {
        elementIndex: i,
        hint: 'kernels from 4.1 (proc_dointvec) or 5.3 (proc_dointvec_minmax) refuse it; older ones store only its low 32 bits',
      }),
    );
    return undefined;
  }
  const max = d.cType === 'unsigned int' ? UINT_MAX : ULONG_MAX;
  if (d.cType !== 'int' && (n < 0n || n > max)) {
    out.push(
      finding('TCPMEM_ADVICE_OUT_OF_RANGE', `${label(d, i)} is ${n.toString()}, outside the kernel's ${d.cType} (0 … ${max.toString()})`, {
        elementIndex: i,
        hint: n < 0n && d.cType === 'unsigned long' ? 'from 5.17 the kernel refuses a negative value; before, it skipped the element silently' : 'the kernel refuses it',
      }),
    );
    return undefined;
  }
  return n;
}

function tripleFindings(d: SysctlDefinition, [a, b, c]: readonly (bigint | undefined)[], host: LintHost, out: LintFinding[]): void {
  const pages = d.unit === 'pages';
  const [f0 = '', f1 = '', f2 = ''] = d.fields;
  // a step down the kernel's own default has (tcp_wmem with 64 KiB pages) is not advised against (tripleStepsDown)
  const numbers = [a, b, c].map((n) => (n !== undefined && n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : Number.NaN));
  const steps = tripleStepsDown(numbers, host.kernelDefault);
  const own = (i: number): boolean => host.kernelDefault !== undefined && Number.isFinite(numbers[i]) && Number.isFinite(numbers[i + 1]) && !steps.includes(i);
  if (a !== undefined && b !== undefined && a > b && !own(0)) {
    out.push(
      finding(
        'TCPMEM_ADVICE_TRIPLE_ORDER',
        pages
          ? `${short(d)} ${f0} (${a.toString()}) is above ${f1} (${b.toString()}): the kernel enters memory pressure above ${f1} and leaves it only below ${f0}, so it would flap`
          : `${short(d)} ${f0} (${a.toString()}) is above ${f1} (${b.toString()}): sockets would start smaller than what they keep under memory pressure`,
        { elementIndex: 0, hint: `keep ${f0} ≤ ${f1} ≤ ${f2}; the kernel does not check the order` },
      ),
    );
  }
  if (b !== undefined && c !== undefined && b > c && !own(1)) {
    out.push(
      finding(
        'TCPMEM_ADVICE_TRIPLE_ORDER',
        pages
          ? `${short(d)} ${f2} (${c.toString()}) is below ${f1} (${b.toString()}): allocations fail at ${f2} before memory pressure ever trims buffers`
          : `${short(d)} ${f2} (${c.toString()}) is below ${f1} (${b.toString()}): sockets would start larger than autotuning may ever grow them`,
        { elementIndex: 2, hint: `keep ${f0} ≤ ${f1} ≤ ${f2}; the kernel does not check the order` },
      ),
    );
  }
  if (pages && c !== undefined && c * PAGE > 1n << 50n) {
    out.push(
      finding('TCPMEM_ADVICE_UNIT', `${short(d)} ${f2} is ${c.toString()} pages, more than 1 PiB of memory: was it meant in bytes?`, {
        elementIndex: 2,
        hint: `${short(d)} counts 4 KiB pages; the config takes sizes (\`2GiB\`) and converts them`,
      }),
    );
  }
  if (d.name === 'net.ipv4.tcp_rmem' || d.name === 'net.ipv4.tcp_wmem') {
    [a, b, c].forEach((value, i) => {
      if (value !== undefined && value >= 1n && value < PAGE) {
        out.push(
          finding('TCPMEM_ADVICE_BUFFER_BELOW_PAGE', `${label(d, i)} (${value.toString()}) is below one page (4096 bytes)`, {
            elementIndex: i,
            hint:
              d.name === 'net.ipv4.tcp_rmem'
                ? 'kernels with "tcp: do not let tcp_rmem be set below 4096" (6.1.189+, 6.12.112+, 7.3+) refuse it'
                : 'a socket buffer this small cannot hold one full-sized segment',
          }),
        );
      } else if (value !== undefined && value >= PAGE) {
        bufferBelowDefault(d, i, value, host.kernelDefault?.[i], out);
      }
    });
  }
  if (pages && host.memTotalBytes !== undefined && host.pageSize !== undefined && host.memTotalBytes > 0 && host.pageSize > 0) {
    memBelowRamShare(d, [a, b, c], host.memTotalBytes, host.pageSize, host.kernelDefault, out);
  }
}

/** What each tcp_rmem/tcp_wmem element is for, to say what lowering it costs. */
const bufferFieldMeaning = [
  'the buffer every socket keeps even under memory pressure',
  'the buffer every new socket starts with',
  'the most autotuning grows a socket\'s buffer to, which caps each flow at about this much per round trip',
];

/** A tcp_rmem/tcp_wmem element far below the kernel's own default (`minBufferShareOfDefault`). */
function bufferBelowDefault(d: SysctlDefinition, i: number, value: bigint, kernelDefault: number | undefined, out: LintFinding[]): void {
  if (kernelDefault === undefined || !Number.isSafeInteger(kernelDefault) || Number(value) >= kernelDefault * minBufferShareOfDefault) return;
  out.push(
    finding('TCPMEM_ADVICE_BELOW_DEFAULT', `${label(d, i)} (${value.toString()}) is less than ${ratioText(minBufferShareOfDefault)} of this kernel's default (${kernelDefault}): ${bufferFieldMeaning[i] ?? 'this element'}`, {
      elementIndex: i,
      hint: `Leave ${label(d, i)} at its default (\`default\`), or raise it; tcpmem warns below ${ratioText(minBufferShareOfDefault)} of the kernel default.`,
    }),
  );
}

/** tcp_mem/udp_mem thresholds below `minMemShareOfRam` of the host's RAM: one finding, at the first such field. */
function memBelowRamShare(d: SysctlDefinition, values: readonly (bigint | undefined)[], memTotalBytes: number, pageSize: number, kernelDefault: readonly number[] | undefined, out: LintFinding[]): void {
  const floorPages = BigInt(Math.floor((memTotalBytes * minMemShareOfRam) / pageSize));
  const low = values.flatMap((value, i) => (value !== undefined && value >= 0n && value < floorPages ? [i] : []));
  const [first] = low;
  if (first === undefined) return;
  const fields = low.map((i) => d.fields[i] ?? `element ${i}`);
  const named = fields.length === 1 ? fields[0] ?? '' : `${fields.slice(0, -1).join(', ')} and ${fields[fields.length - 1] ?? ''}`;
  const shown = low.map((i) => values[i]?.toString() ?? '').join(' ');
  const ram = `${floorPages.toString()} pages of ${mebibytes(memTotalBytes)}`;
  const defaults = kernelDefault === undefined ? '' : `; the kernel default is ${kernelDefault.join(' ')}`;
  const effect = low.includes(2)
    ? `past ${d.fields[2] ?? 'high'} the kernel refuses ${d.name === 'net.ipv4.udp_mem' ? 'UDP' : 'TCP'} socket memory, so connections stall or drop`
    : low.includes(1)
      ? `past ${d.fields[1] ?? 'pressure'} the kernel trims every socket's buffers, so the host is under memory pressure almost at once`
      : `the kernel leaves memory pressure only below ${d.fields[0] ?? 'low'}, so it stays in it long after a burst`;
  out.push(
    finding('TCPMEM_ADVICE_MEM_TOO_LOW', `${short(d)} ${named} (${shown} ${fields.length === 1 ? 'page' : 'pages'}) ${fields.length === 1 ? 'is' : 'are'} below ${minMemShareOfRam * 100}% of this host's RAM (${ram}${defaults}): ${effect}`, {
      elementIndex: first,
      hint: `${short(d)} counts ${pageSize}-byte pages: give shares of RAM such as {low: 3%, pressure: 4%, high: 6%}, or leave it at \`default\`; tcpmem warns below ${minMemShareOfRam * 100}% of RAM.`,
    }),
  );
}

function ratioText(share: number): string {
  return share === 0.25 ? 'a quarter' : share === 0.5 ? 'half' : `${share * 100}%`;
}

function mebibytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${Number((bytes / 2 ** 30).toFixed(1))} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}

function scalarFindings(d: SysctlDefinition, value: bigint, out: LintFinding[]): void {
  const meaning = nonPositiveMeaning[d.name];
  if (meaning !== undefined && value <= 0n && !(d.name === 'net.core.somaxconn' && value < 0n)) {
    out.push(
      finding(value < 0n ? 'TCPMEM_ADVICE_NEGATIVE' : 'TCPMEM_ADVICE_ZERO', `${short(d)} ${value.toString()}: ${meaning}`, {
        hint: 'the kernel accepts it (proc_dointvec has no bounds); use a positive value',
      }),
    );
  }
  if (d.name === 'net.ipv4.tcp_child_ehash_entries' && value > 0n && (value & (value - 1n)) !== 0n) {
    let rounded = 1n;
    while (rounded < value) rounded <<= 1n;
    out.push(
      finding('TCPMEM_ADVICE_ROUNDED', `tcp_child_ehash_entries ${value.toString()} becomes ${rounded.toString()}: new namespaces round it up to a power of two`, {
        severity: 'info',
      }),
    );
  }
}

/**
 * tcpmem's advice on one sysctl value, as findings (none when the value looks sensible). Pure; the kernel's own
 * rules are `checkWrite`'s business. Given the `host` (its kernel default of the sysctl, its RAM), it also says
 * when a value is far below what that host's kernel would use: tcp_mem/udp_mem below `minMemShareOfRam` of RAM,
 * tcp_rmem/tcp_wmem elements below `minBufferShareOfDefault` of the kernel default.
 */
export function lintValue(name: SysctlName, values: readonly (bigint | number)[], host: LintHost = {}): LintFinding[] {
  const d = getSysctl(name);
  const out: LintFinding[] = [];
  if (values.length !== d.fields.length) {
    out.push(
      finding('TCPMEM_ADVICE_VALUE_COUNT', `${short(d)} takes ${d.fields.length} value(s), got ${values.length}`, {
        hint:
          values.length < d.fields.length
            ? 'the kernel writes only the given elements and leaves the others as they are'
            : 'the kernel ignores values past the last element',
      }),
    );
  }
  const checked = values.slice(0, d.fields.length).map((value, i) => typeFindings(d, i, value, out));
  if (d.shape === 'triple') tripleFindings(d, checked, host, out);
  const [first] = checked;
  if (d.shape === 'scalar' && first !== undefined) scalarFindings(d, first, out);
  return out;
}
