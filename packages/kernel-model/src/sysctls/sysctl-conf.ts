import { listSysctls } from './registry';
import type { SysctlName } from './sysctl-definition';
import { formatSysctlText, parseSysctlText } from './sysctl-text';

/** One meaningful line of a sysctl.d file. */
export type SysctlConfEntry = SysctlConfAssignment | SysctlConfExclusion;

interface EntryCommon {
  /** 1-based line number. */
  readonly line: number;
  /** The key as written, without a leading `-`. */
  readonly key: string;
  /** The key in dotted form (`net.ipv4.tcp_rmem`), after systemd's separator rule. */
  readonly name: string;
  /** The file it names, `/proc/sys/net/ipv4/tcp_rmem` (a glob pattern when `glob`). */
  readonly path: string;
  /** True when the key holds glob(7) characters (`*`, `?`, `[`). */
  readonly glob: boolean;
  /** The registry sysctls the key names or matches. */
  readonly sysctls: readonly SysctlName[];
}

/** `key = value`; with a leading `-` a failure to write it is ignored (systemd 236+, procps-ng). */
export interface SysctlConfAssignment extends EntryCommon {
  readonly kind: 'assignment';
  /** The value as it will be written (surrounding whitespace removed; inner whitespace kept). */
  readonly value: string;
  readonly ignoreFailure: boolean;
  /** The parsed integers, when the key names exactly one registry sysctl and the value is a valid one. */
  readonly values?: readonly bigint[];
}

/** `-key` without `=`: keeps a key out of every glob assignment (systemd). */
export interface SysctlConfExclusion extends EntryCommon {
  readonly kind: 'exclusion';
}

export interface SysctlConfProblem {
  readonly code: 'TCPMEM_SYSCTL_CONF_SYNTAX' | 'TCPMEM_SYSCTL_CONF_VALUE' | 'TCPMEM_SYSCTL_CONF_DUPLICATE' | 'TCPMEM_SYSCTL_CONF_GLOB';
  readonly severity: 'error' | 'warning';
  readonly line: number;
  readonly message: string;
  readonly hint?: string;
}

export interface SysctlConf {
  readonly entries: readonly SysctlConfEntry[];
  readonly problems: readonly SysctlConfProblem[];
}

/** systemd's strstrip(): spaces, tabs, carriage returns and newlines. */
const strip = (s: string): string => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

/**
 * systemd's sysctl_normalize(): if the first separator is a dot, dots and slashes swap places
 * (`net.ipv4.conf.enp3s0/200.forwarding` → `net/ipv4/conf/enp3s0.200/forwarding`); repeated slashes collapse.
 */
function toPath(key: string): string {
  const first = /[./]/.exec(key)?.[0];
  const swapped = first === '.' ? key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.')) : key;
  return swapped.replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
}

/** The dotted form of a path: slashes become dots and dots slashes. */
const toName = (path: string): string => path.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));

/** glob(7) on a /proc/sys path, where no wildcard crosses a `/`. */
function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function sysctlsNamed(path: string, glob: boolean): SysctlName[] {
  const all = listSysctls();
  if (!glob) return all.filter((d) => d.procPath === `/proc/sys/${path}`).map((d) => d.name);
  const re = globToRegExp(path);
  return all.filter((d) => re.test(d.procPath.slice('/proc/sys/'.length))).map((d) => d.name);
}

/**
 * Parses a sysctl.d / sysctl.conf file the way systemd-sysctl and procps read it: `#` or `;` comments and blank
 * lines skipped, `key = value` with whitespace around both removed, `/` or `.` separators, a leading `-` to
 * ignore a failed write, and `-key` alone to exclude a key from globs. Problems are data with line numbers; the
 * file is never rejected as a whole.
 */
export function parseSysctlConf(text: string): SysctlConf {
  const entries: SysctlConfEntry[] = [];
  const problems: SysctlConfProblem[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    let p = strip(raw);
    if (p === '' || p.startsWith('#') || p.startsWith(';')) return;
    const dash = p.startsWith('-');
    if (dash) p = p.slice(1);
    const eq = p.indexOf('=');
    const key = strip(eq === -1 ? p : p.slice(0, eq));
    if (eq === -1 && !dash) {
      problems.push({
        code: 'TCPMEM_SYSCTL_CONF_SYNTAX',
        severity: 'error',
        line,
        message: `line ${line} is not an assignment: ${JSON.stringify(raw.trim())}`,
        hint: 'write `key = value`; systemd-sysctl ignores this line',
      });
      return;
    }
    if (key === '') {
      problems.push({ code: 'TCPMEM_SYSCTL_CONF_SYNTAX', severity: 'error', line, message: `line ${line} has no key before "="` });
      return;
    }
    const path = toPath(key);
    const glob = /[*?[]/.test(path);
    const common = { line, key, name: toName(path), path: `/proc/sys/${path}`, glob, sysctls: sysctlsNamed(path, glob) };
    if (eq === -1) {
      entries.push({ kind: 'exclusion', ...common });
      return;
    }
    const value = strip(p.slice(eq + 1));
    const [only] = common.sysctls;
    let values: readonly bigint[] | undefined;
    if (!glob && only !== undefined) {
      if (value.includes('#')) {
        problems.push({
          code: 'TCPMEM_SYSCTL_CONF_VALUE',
          severity: 'error',
          line,
          message: `${only}: "${value}" holds a "#"; comments must be on their own line, the rest is written to the kernel`,
          hint: 'move the comment to the line above',
        });
      } else {
        const parsed = parseSysctlText(only, value);
        if (parsed.ok) values = parsed.values;
        else problems.push({ code: 'TCPMEM_SYSCTL_CONF_VALUE', severity: 'error', line, message: parsed.message });
      }
    }
    if (glob && common.sysctls.length > 0) {
      problems.push({
        code: 'TCPMEM_SYSCTL_CONF_GLOB',
        severity: 'warning',
        line,
        message: `${key} writes ${JSON.stringify(value)} to ${common.sysctls.join(', ')}`,
        hint: 'name each sysctl tcpmem manages explicitly (an explicit key is excluded from globs)',
      });
    }
    const before = seen.get(common.path);
    if (before !== undefined) {
      problems.push({
        code: 'TCPMEM_SYSCTL_CONF_DUPLICATE',
        severity: 'warning',
        line,
        message: `${common.name} is assigned again (first on line ${before}); the last assignment wins`,
      });
    }
    seen.set(common.path, line);
    const assignment: SysctlConfAssignment = { kind: 'assignment', ...common, value, ignoreFailure: dash };
    entries.push(values === undefined ? assignment : { ...assignment, values });
  });
  return { entries, problems };
}

/** The line tcpmem writes into /etc/sysctl.d for a sysctl: `net.ipv4.tcp_rmem = 4096 131072 6291456`. */
export function toSysctlConfLine(name: SysctlName, values: readonly (bigint | number)[]): string {
  return `${name} = ${formatSysctlText(name, values).replace(/\t/g, ' ')}`;
}
