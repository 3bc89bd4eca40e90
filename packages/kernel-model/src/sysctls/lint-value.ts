import { getSysctl } from './registry';
import type { SysctlDefinition, SysctlName } from './sysctl-definition';

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

function tripleFindings(d: SysctlDefinition, [a, b, c]: readonly (bigint | undefined)[], out: LintFinding[]): void {
  const pages = d.unit === 'pages';
  const [f0 = '', f1 = '', f2 = ''] = d.fields;
  if (a !== undefined && b !== undefined && a > b) {
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
  if (b !== undefined && c !== undefined && b > c) {
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
      }
    });
  }
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
 * rules are `checkWrite`'s business.
 */
export function lintValue(name: SysctlName, values: readonly (bigint | number)[]): LintFinding[] {
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
  if (d.shape === 'triple') tripleFindings(d, checked, out);
  const [first] = checked;
  if (d.shape === 'scalar' && first !== undefined) scalarFindings(d, first, out);
  return out;
}
