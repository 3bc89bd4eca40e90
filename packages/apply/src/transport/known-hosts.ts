/**
 * OpenSSH known_hosts: parsing, host matching and host key checking, as sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"
 * describes it:
 *   - `host1,host2,!negated,*.wild?card keytype base64 [comment]`
 *   - hashed host names: `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`
 *   - non-default ports: the name is `[host]:port` (port 22 uses the bare host)
 *   - markers: `@revoked` (this key is refused for the matching hosts), `@cert-authority` (ignored here: no
 *     certificate support, so such lines never vouch for a host)
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeSmallFileProblem, readSmallFile } from './read-small-file';

/** Largest known_hosts file read (a 100,000-host file is about 15 MiB). */
export const maxKnownHostsBytes = 64 * 1024 * 1024;

export interface KnownHostEntry {
  readonly file: string;
  /** 1-based line number in `file`. */
  readonly line: number;
  readonly marker: 'revoked' | 'cert-authority' | undefined;
  /** Host patterns (comma list) or undefined when hashed. */
  readonly patterns: readonly string[] | undefined;
  /** Hashed host: salt and HMAC-SHA1 digest. */
  readonly hashed: { readonly salt: Buffer; readonly hash: Buffer } | undefined;
  readonly keyType: string;
  /** The public key blob (SSH wire format), decoded from base64. */
  readonly key: Buffer;
}

export interface KnownHostsParseProblem {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface KnownHosts {
  readonly files: readonly string[];
  readonly entries: readonly KnownHostEntry[];
  /** Lines that could not be parsed; they are skipped, as ssh does. */
  readonly problems: readonly KnownHostsParseProblem[];
}

export type HostKeyCheck =
  | { readonly status: 'trusted'; readonly entry: KnownHostEntry }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry }
  /** known_hosts has key(s) for this host, none of them the presented one. */
  | { readonly status: 'changed'; readonly known: readonly KnownHostEntry[] }
  | { readonly status: 'unknown' };

/** The name ssh looks a host up by: `host` for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase(); // ssh lowercases the host name before any lookup (and before hashing)
  return port === 22 ? h : `[${h}]:${port}`;
}

/** `SHA256:<base64, no padding>` of a public key blob, like `ssh-keygen -l`. */
export function fingerprintSha256(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type string at the start of an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  if (len <= 0 || len > 64 || key.length < 4 + len) return 'unknown';
  return key.subarray(4, 4 + len).toString('latin1');
}

export function parseKnownHosts(text: string, file: string): { entries: KnownHostEntry[]; problems: KnownHostsParseProblem[] } {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsParseProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@') === true) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else {
        problems.push({ file, line: i + 1, reason: `unknown marker ${m ?? ''}` });
        continue;
      }
    }
    const [hostField, keyType, keyBase64] = fields;
    if (hostField === undefined || keyType === undefined || keyBase64 === undefined) {
      problems.push({ file, line: i + 1, reason: 'expected: hosts keytype base64-key' });
      continue;
    }
    const key = decodeBase64Strict(keyBase64);
    if (key === undefined || key.length === 0) {
      problems.push({ file, line: i + 1, reason: 'the key is not valid base64' });
      continue;
    }
    let patterns: string[] | undefined;
    let hashed: KnownHostEntry['hashed'];
    if (hostField.startsWith('|')) {
      const parts = hostField.split('|');
      const salt = parts[2] === undefined ? undefined : decodeBase64Strict(parts[2]);
      const hash = parts[3] === undefined ? undefined : decodeBase64Strict(parts[3]);
      if (parts.length !== 4 || parts[1] !== '1' || salt === undefined || hash === undefined || hash.length !== 20) {
        problems.push({ file, line: i + 1, reason: 'malformed hashed host name (expected |1|salt|hash)' });
        continue;
      }
      hashed = { salt, hash };
    } else {
      patterns = hostField.split(',').filter((p) => p !== '');
    }
    entries.push({ file, line: i + 1, marker, patterns, hashed, keyType, key });
  }
  return { entries, problems };
}

function decodeBase64Strict(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}

/** Glob match as OpenSSH's match_pattern: `*` any run, `?` one character; case-insensitive for host names. */
function globMatch(name: string, pattern: string): boolean {
  // most patterns are plain names: compare them (a live plan checks every host's key against every line)
  if (!pattern.includes('*') && !pattern.includes('?')) return name === pattern;
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('')}$`,
    's',
  );
  return re.test(name);
}

/** Whether an entry applies to `name` (`host` or `[host]:port`, see knownHostsName). */
export function entryMatchesName(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed !== undefined) {
    const digest = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return digest.length === entry.hashed.hash.length && timingSafeEqual(digest, entry.hashed.hash);
  }
  const lower = name.toLowerCase();
  let matched = false;
  for (const p of entry.patterns ?? []) {
    if (p.startsWith('!')) {
      if (globMatch(lower, p.slice(1).toLowerCase())) return false; // a negated match vetoes the line
    } else if (globMatch(lower, p.toLowerCase())) {
      matched = true;
    }
  }
  return matched;
}

/** Checks the key a server presented for `host`:`port` against known_hosts, as ssh's StrictHostKeyChecking does. */
export function checkHostKey(known: KnownHosts, host: string, port: number, presented: Buffer): HostKeyCheck {
  const name = knownHostsName(host, port);
  const forHost = known.entries.filter((e) => entryMatchesName(e, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(presented));
  if (revoked !== undefined) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const trusted = plain.find((e) => e.key.equals(presented));
  if (trusted !== undefined) return { status: 'trusted', entry: trusted };
  if (plain.length > 0) return { status: 'changed', known: plain };
  return { status: 'unknown' };
}

/**
 * Reads known_hosts files; a missing file and /dev/null (OpenSSH's idiom for "remember nothing") count as empty.
 * Anything else must be a regular file of bounded size: a FIFO or a device would hang or never end.
 */
export async function loadKnownHosts(files: readonly string[]): Promise<KnownHosts> {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsParseProblem[] = [];
  for (const file of files) {
    if (file === '/dev/null') continue;
    const parsed = await loadKnownHostsFile(file);
    if (parsed === undefined) continue;
    entries.push(...parsed.entries);
    problems.push(...parsed.problems);
  }
  return { files, entries, problems };
}

type ParsedKnownHostsFile = ReturnType<typeof parseKnownHosts>;

/**
 * Files parsed in this process, by path: what they were parsed from (device, inode, size, change and
 * modification times) and the parse. A live plan connects to every host, each connection loads the same
 * known_hosts file, and parsing all its lines each time made the whole plan quadratic in the number of hosts.
 */
const parsedFiles = new Map<string, { readonly stamp: string; readonly parsed: Promise<ParsedKnownHostsFile | undefined> }>();

/**
 * A file's mtime can lag a write by a clock tick, so a file written this recently may change again without its
 * stamp changing: it is not kept (as git treats an index entry as "racily clean").
 */
const settledAfterMs = 2000;

/** One known_hosts file parsed (undefined: it does not exist), reused while its stamp says it did not change. */
async function loadKnownHostsFile(file: string): Promise<ParsedKnownHostsFile | undefined> {
  const st = await stat(file, { bigint: true }).catch(() => undefined);
  const stamp = st?.isFile() === true ? [st.dev, st.ino, st.size, st.ctimeNs, st.mtimeNs].join(':') : undefined;
  const cached = parsedFiles.get(file);
  if (stamp !== undefined && cached?.stamp === stamp) return await cached.parsed;
  const readAt = Date.now();
  const parsed = readKnownHostsFile(file);
  if (stamp !== undefined && st !== undefined && Number(st.mtimeMs) < readAt - settledAfterMs) {
    const entry = { stamp, parsed };
    parsedFiles.set(file, entry);
    parsed.catch(() => {
      if (parsedFiles.get(file) === entry) parsedFiles.delete(file);
    });
  }
  return await parsed;
}

async function readKnownHostsFile(file: string): Promise<ParsedKnownHostsFile | undefined> {
  const read = await readSmallFile(file, maxKnownHostsBytes);
  if (!read.ok) {
    if (read.problem.kind === 'missing') return undefined;
    throw new KnownHostsFileError(file, `known_hosts file ${file} ${describeSmallFileProblem(read.problem)}`);
  }
  return parseKnownHosts(read.data.toString('utf8'), file);
}

/** A known_hosts file that cannot be used: not a regular file, too large, unreadable. */
export class KnownHostsFileError extends Error {
  override readonly name: string = 'KnownHostsFileError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** The known_hosts line for a host key, as ssh's accept-new writes it (not hashed). */
export function formatKnownHostsLine(host: string, port: number, key: Buffer): string {
  return `${knownHostsName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}\n`;
}

/**
 * Appends a host key to a known_hosts file (creating it, mode 0600, if needed). The file must be one that keeps
 * what is written: a FIFO, a device or /dev/null would swallow the key, and the host would be trusted once with
 * nothing recorded, so they are refused.
 */
export async function appendKnownHost(file: string, host: string, port: number, key: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const existing = await stat(file).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  });
  if (existing !== undefined && !existing.isFile()) throw new KnownHostsFileError(file, `${file} is not a regular file, so it cannot keep the new key`);
  await appendFile(file, formatKnownHostsLine(host, port, key), { mode: 0o600 });
}
