import { persistedState, sysctlDirs, type Observation, type SysctlFile } from '@tcpmem/plan';
import type { HostFacts } from '@tcpmem/schema';

/** The sysctl names tcpmem reads, with their /proc/sys paths. Names come from the registry, never from config. */
export const procPath = (name: string): string => `/proc/sys/${name.replace(/\./g, '/')}`;

/**
 * A read-only POSIX sh script that prints, between markers carrying a per-run nonce, everything plan needs from a
 * host in one round trip: kernel release, page size, CPUs, the live value of each sysctl (or that it is missing),
 * every sysctl.d file, /proc/meminfo, /proc/zoneinfo, /proc/cmdline and the THP mode. Needs no root.
 *
 * It prints what transaction.sh's read section prints, in the same few processes: every sysctl in one `grep -H`
 * (a file it cannot read prints nothing: missing), one-line files read by the shell itself (not the sysctls: `read`
 * reads a byte at a time, and the kernel's integer sysctls return nothing past offset 0), a `cat` per sysctl.d
 * file that is not masked (one named as a file of an earlier folder is left out, as persistedState leaves it out:
 * on a merged-/usr host /lib/sysctl.d is /usr/lib/sysctl.d; a link to /dev/null is an empty file, which masks), and one `cat` for meminfo and zoneinfo with the zoneinfo marker line read from its stdin between them
 * (`cat /proc/meminfo - /proc/zoneinfo`): byte for byte what `cat`, `echo`, `cat` print, a file that is missing
 * or lacks its last newline included (cat goes on to the next operand after one it cannot read).
 */
export function readScript(names: readonly string[], nonce: string): string {
  const m = `@@tcpmem-${nonce}`;
  for (const name of names) if (!/^[a-z0-9_.]+$/.test(name)) throw new Error(`refusing to read sysctl name ${JSON.stringify(name)}`);
  const sysctls = names.map((n) => `s ${n} ${procPath(n)}`).join('\n');
  return [
    'LC_ALL=C; export LC_ALL',
    "nl='\n'",
    `l() { v=; { IFS= read -r v <"$1"; } 2>/dev/null || [ -n "$v" ]; }`,
    `s() { case "$g" in *"$nl$2:"*) v=\${g#*"$nl$2:"}; echo "${m} sysctl $1"; printf '%s\\n' "\${v%%"$nl"*}" ;; *) echo "${m} missing $1" ;; esac; }`,
    `echo "${m} release"; if l /proc/sys/kernel/osrelease; then printf '%s\\n' "$v"; else uname -r; fi`,
    `echo "${m} pagesize"; getconf PAGESIZE 2>/dev/null || getconf PAGE_SIZE`,
    `echo "${m} cpus"; grep -c ^processor /proc/cpuinfo`,
    `g=$nl$(grep -H '' ${names.map(procPath).join(' ')} 2>/dev/null </dev/null)$nl`,
    sysctls,
    // a file named as one an earlier folder printed is masked by it (persistedState skips it): not read; a link to
    // /dev/null (a character device: an administrator's mask of a vendor file) is printed as an empty file, and masks
    `p=/; for d in ${sysctlDirs.join(' ')}; do for x in "$d"/*.conf; do [ -f "$x" ] || [ -c "$x" ] || continue; case "$p" in *"/\${x##*/}/"*) continue ;; esac; p="$p\${x##*/}/"; echo "${m} file $x"; [ -c "$x" ] || cat "$x"; echo; done; done`,
    // one cat for both, the zoneinfo marker line between them from its stdin: the bytes of a cat and an echo each
    `echo "${m} meminfo"; cat /proc/meminfo - /proc/zoneinfo 2>/dev/null <<'${m}-z'`,
    `${m} zoneinfo`,
    `${m}-z`,
    `for x in cmdline:/proc/cmdline version:/proc/version thp:/sys/kernel/mm/transparent_hugepage/enabled; do echo "${m} \${x%%:*}"; ! l "\${x#*:}" || printf '%s\\n' "$v"; done`,
    `echo "${m} end"`,
  ].join('\n');
}

/** What the read script printed, split by marker. */
export interface HostRead {
  readonly observation: Observation;
  /** Files the script printed, path → text. */
  readonly files: readonly SysctlFile[];
  /** Sysctls the host does not have (e.g. whole-host ones inside a network namespace). */
  readonly missing: readonly string[];
  readonly complete: boolean;
}

/** Parses the read script's output into an observation (live values, tcpmem's file, facts). Pure. */
export function parseRead(output: string, nonce: string, managed: ReadonlySet<string>): HostRead {
  const marker = `@@tcpmem-${nonce} `;
  const sections: { head: string; body: string[] }[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith(marker)) sections.push({ head: line.slice(marker.length), body: [] });
    else sections[sections.length - 1]?.body.push(line);
  }
  const sysctls = new Map<string, readonly number[]>();
  const files: SysctlFile[] = [];
  const missing: string[] = [];
  const facts: { -readonly [K in keyof HostFacts]: HostFacts[K] } = {};
  const rawSysctls: Record<string, string> = {};
  let complete = false;
  for (const { head, body } of sections) {
    const text = body.join('\n');
    const [kind, ...rest] = head.split(' ');
    const arg = rest.join(' ');
    switch (kind) {
      case 'release': facts.release = text.trim(); break;
      case 'pagesize': { const n = Number(text.trim()); if (Number.isSafeInteger(n) && n >= 4096) facts.pageSize = n; break; }
      case 'cpus': { const n = Number(text.trim()); if (Number.isSafeInteger(n) && n >= 1) facts.cpus = n; break; }
      case 'sysctl': {
        const values = text.trim().split(/\s+/).map(Number);
        rawSysctls[arg] = text.trim();
        if (values.every(Number.isSafeInteger)) sysctls.set(arg, values);
        break;
      }
      case 'missing': missing.push(arg); break;
      case 'file': files.push({ path: arg, text }); break;
      case 'meminfo': facts.meminfo = text; break;
      case 'zoneinfo': facts.zoneinfo = text; break;
      case 'cmdline': facts.cmdline = text.trim(); break;
      case 'version': facts.version = text.trim(); break;
      case 'thp': facts.thpEnabled = text.trim(); break;
      case 'end': complete = true; break;
      default: break;
    }
  }
  facts.sysctls = rawSysctls;
  const observation: Observation = {
    source: 'live',
    release: facts.release,
    sysctls,
    persisted: persistedState(files, managed),
    facts,
  };
  return { observation, files, missing, complete };
}
