import { randomBytes } from 'node:crypto';
import { bootLogLines, bootLogLineWords } from '@tcpmem/kernel-model';
import type { FactsDocument, HostFacts, SshConnection } from '@tcpmem/schema';
import { machineAppId } from '../local/machine-identity';
import { withSession, type AcceptedHostKey, type SshTransportOptions } from '../transport';
import { transportOptions } from './connect';
import { parseRead, readScript } from './read-script';

/**
 * A read-only POSIX sh script that prints, in one round trip, everything kernel-model needs about a host: the
 * read script's sections (release, page size, CPUs, live values, sysctl files, meminfo, zoneinfo, cmdline, THP),
 * plus /proc/version, min_free_kbytes, the network namespace, every NUMA node's meminfo, and the kernel log — through `sudo -n dmesg`
 * when `sudo` is allowed (dmesg_restrict), else plain `dmesg` — from which the model takes the hash table sizes
 * and the initrd and kernel-image frees, and /etc/machine-id (kept only as tcpmem's app-specific ID of it, for
 * `apply --local`). Nothing is written. The kernel log is filtered on the host by `bootLogLineWords` (`grep -F`,
 * POSIX and busybox alike, LC_ALL=C from the read script): only the lines the model may read cross the network,
 * not the whole ring buffer, and `parseDiscover` keeps exactly `bootLogLines` of them.
 */
export function discoverScript(names: readonly string[], nonce: string, sudo: boolean): string {
  const m = `@@tcpmem-${nonce}`;
  const words = bootLogLineWords.map((word) => `-e '${word}'`).join(' ');
  const dmesg = `{ ${sudo ? 'sudo -n dmesg 2>/dev/null || ' : ''}dmesg 2>/dev/null; } | grep -F ${words}`;
  return [
    readScript(names, nonce).replace(new RegExp(`echo "${m} end"$`), ''),
    `echo "${m} dversion"; cat /proc/version 2>/dev/null`,
    `echo "${m} minfree"; cat /proc/sys/vm/min_free_kbytes 2>/dev/null`,
    `echo "${m} machineid"; cat /etc/machine-id 2>/dev/null`,
    `echo "${m} netns"; readlink /proc/self/ns/net 2>/dev/null`,
    `for n in /sys/devices/system/node/node[0-9]*; do [ -r "$n/meminfo" ] && { echo "${m} node \${n##*/node}"; cat "$n/meminfo"; }; done`,
    `echo "${m} dmesg"; ${dmesg}`,
    `echo "${m} end"`,
  ].join('\n');
}

/** Parses what discoverScript printed into the facts of one host. Pure. */
export function parseDiscover(output: string, nonce: string, managed: ReadonlySet<string>): { facts: HostFacts; complete: boolean } {
  const read = parseRead(output, nonce, managed);
  const facts: { -readonly [K in keyof HostFacts]: HostFacts[K] } = { ...(read.observation.facts ?? {}) };
  const marker = `@@tcpmem-${nonce} `;
  const nodes = new Map<number, string>();
  let section: string | undefined;
  let body: string[] = [];
  const close = (): void => {
    if (section === undefined) return;
    const text = body.join('\n');
    const [kind, arg] = section.split(' ');
    if (kind === 'dversion' && text.trim() !== '') facts.version = text.trim();
    if (kind === 'minfree') {
      const n = Number(text.trim());
      if (text.trim() !== '' && Number.isSafeInteger(n) && n >= 0) facts.minFreeKbytes = n;
    }
    if (kind === 'machineid') {
      const id = machineAppId(text);
      if (id !== undefined) facts.machineAppId = id;
    }
    if (kind === 'netns' && /^net:\[\d+\]$/.test(text.trim())) facts.netns = text.trim();
    if (kind === 'node' && arg !== undefined && /^\d+$/.test(arg)) nodes.set(Number(arg), text);
    // Only the boot-log lines the model reads are kept (bootLogLines): a whole dmesg holds device names, MAC and
    // other addresses, and users' messages.
    if (kind === 'dmesg' && bootLogLines(text) !== '') {
      facts.dmesg = bootLogLines(text);
      const line = text.split('\n').find((l) => /TCP: Hash tables configured/.test(l));
      if (line !== undefined) facts.hashTablesLine = line.replace(/^\[[^\]]*\]\s*/, '').trim();
    }
  };
  for (const line of output.split('\n')) {
    if (line.startsWith(marker)) {
      close();
      section = line.slice(marker.length);
      body = [];
    } else body.push(line);
  }
  close();
  if (nodes.size > 0) facts.nodeMeminfo = [...nodes.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
  // Which sysctls the host has: a plan from these facts leaves the missing ones alone, as a live plan does.
  facts.missingSysctls = [...new Set(read.missing)].sort();
  return { facts, complete: read.complete };
}

/** One host discovered: its facts document, or why it could not be read. */
export type DiscoverResult =
  | { readonly host: string; readonly ok: true; readonly document: FactsDocument }
  | { readonly host: string; readonly ok: false; readonly code: string; readonly message: string };

export interface DiscoverOptions {
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
  /** Told of every host key `hostKeyPolicy: accept-new` adds to known_hosts on the way. */
  readonly onHostKeyAccepted?: (key: AcceptedHostKey) => void;
}

/** Reads one host's facts over SSH (read-only, one session) and returns its `kind: facts` document. */
export async function discoverHost(host: string, address: string, ssh: SshConnection, names: readonly string[], options: DiscoverOptions = {}): Promise<DiscoverResult> {
  const base = transportOptions(address, ssh, options.env ?? process.env);
  const opts: SshTransportOptions = {
    ...base,
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
    ...(options.onHostKeyAccepted === undefined ? {} : { onHostKeyAccepted: options.onHostKeyAccepted }),
  };
  const outcome = await withSession(opts, async (transport): Promise<DiscoverResult> => {
    const nonce = randomBytes(8).toString('hex');
    const sudo = ssh.sudo ?? opts.username !== 'root';
    const result = await transport.exec('sh -s', { stdin: discoverScript(names, nonce, sudo) });
    const { facts, complete } = parseDiscover(result.stdout, nonce, new Set(names));
    if (!complete) return { host, ok: false, code: 'TCPMEM_DISCOVER_INCOMPLETE', message: `the discovery script did not finish (exit ${String(result.code ?? result.signal)}): ${result.stderr.trim().slice(0, 200)}` };
    return { host, ok: true, document: { kind: 'facts', version: 1, host, capturedAt: (options.now ?? (() => new Date()))().toISOString(), facts } };
  });
  return outcome.ok ? outcome.value : { host, ok: false, code: outcome.code ?? 'TCPMEM_DISCOVER_FAILED', message: outcome.message };
}
