/**
 * SSH transport over the `ssh2` package: one authenticated connection to one host (optionally through jump
 * hosts, like OpenSSH's ProxyJump), strict host key checking against OpenSSH known_hosts files, commands with
 * stdin, exit code and timeouts, and typed errors (./errors.ts) that never contain a secret.
 */
import { connect as tcpConnect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { AgentAuthMethod, AuthenticationType, Client, ClientChannel, ConnectConfig, ParsedKey, PublicKeyAuthMethod } from 'ssh2';
import { HostKeyVerificationError, SshTransportError, formatHostPort, type SshErrorCode, type SshErrorTarget } from './errors';
import { parsedKeyFile } from './key-file-cache';
import { KnownHostsFileError, appendKnownHost, checkHostKey, fingerprintSha256, keyTypeOf, knownHostsName, loadKnownHosts, type KnownHosts } from './known-hosts';
import { describeSmallFileProblem, readSmallFile } from './read-small-file';
import { SshLink } from './ssh-link';

/**
 * The `ssh2` module, loaded when the first key is parsed or connection opened: a plan that reads no host (an
 * offline plan, validate, model) never pays for loading it (~30 ms of a command's start, bench/plan/profile.md).
 * A literal `require`, so that the CLI's bundle (tools/pack) still carries it.
 */
function ssh2(): typeof import('ssh2') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ssh2') as typeof import('ssh2');
}

/** `strict`: refuse unknown and changed keys. `accept-new`: add unknown hosts to known_hosts, refuse changed keys. */
export type HostKeyPolicy = 'strict' | 'accept-new';

/** A host key that `accept-new` trusted on first use and wrote to known_hosts: always reported to the user. */
export interface AcceptedHostKey {
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /** The known_hosts file the key was added to. */
  readonly file: string;
}

/** Largest private key file read (an RSA 16384-bit key in PEM is about 13 KB). */
export const maxPrivateKeyBytes = 1024 * 1024;

/** Where to connect and who to be. At least one of privateKey(Path) and agent is required. */
export interface SshEndpoint {
  readonly host: string;
  /** Default 22. */
  readonly port?: number;
  readonly username: string;
  /** Path of an OpenSSH/PEM private key file. */
  readonly privateKeyPath?: string;
  /** The private key itself (instead of privateKeyPath). */
  readonly privateKey?: string | Buffer;
  /** Passphrase of an encrypted private key. Never logged or put in an error. */
  readonly passphrase?: string | Buffer;
  /** ssh-agent socket path (e.g. process.env.SSH_AUTH_SOCK); tried after the key. */
  readonly agent?: string;
}

export interface JumpHost extends SshEndpoint {
  /** Defaults to the target's settings. */
  readonly knownHostsFiles?: string | readonly string[];
  readonly hostKeyPolicy?: HostKeyPolicy;
}

export interface SshTransportOptions extends SshEndpoint {
  /** OpenSSH known_hosts files, searched in order. Default: ~/.ssh/known_hosts. accept-new appends to the first. */
  readonly knownHostsFiles?: string | readonly string[];
  /** Default `strict`. */
  readonly hostKeyPolicy?: HostKeyPolicy;
  /** Jump host(s), first hop first (ProxyJump a,b). */
  readonly jump?: JumpHost | readonly JumpHost[];
  /** TCP connect + SSH handshake + authentication, per hop. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Default timeout of exec(); 0 = none. Default 300 000 ms. */
  readonly commandTimeoutMs?: number;
  /** SSH keepalive interval; 0 disables. Default 5 000 ms (a dead peer is noticed after interval × countMax). */
  readonly keepaliveIntervalMs?: number;
  /** Default 3. */
  readonly keepaliveCountMax?: number;
  /** Maximum stdout + stderr bytes kept per command. Default 64 MiB. */
  readonly maxOutputBytes?: number;
  /**
   * Told of each host key accept-new adds to known_hosts, at once (also when the connection fails afterwards, at
   * authentication say: the key stays in the file), so that the caller can report every one.
   */
  readonly onHostKeyAccepted?: (key: AcceptedHostKey) => void;
}

export interface ExecOptions {
  /**
   * Written to the command's stdin, which is then closed. A stream is piped instead, and stdin closes when the
   * stream ends: for a command that converses (reads a line, answers, waits for the next). Without it stdin is
   * closed at once.
   */
  readonly stdin?: string | Buffer | NodeJS.ReadableStream;
  /** Overrides the transport's commandTimeoutMs; 0 = none. */
  readonly timeoutMs?: number;
  /**
   * Ends the command as its timeout does (COMMAND_TIMEOUT; the reason, a string, is the error's message) when it
   * aborts: a timeout its caller arms later, for a command kept running between scripts (remote-shell.ts).
   */
  readonly stop?: AbortSignal;
  /** Called with each chunk of stdout as it arrives (the result still carries all of it). */
  readonly onStdout?: (chunk: Buffer) => void;
}

/** The message of a command stopped through ExecOptions.stop. */
export const stopMessage = (signal: AbortSignal): string => (typeof signal.reason === 'string' ? signal.reason : 'the command was stopped');

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status, or null when the command was killed by a signal. */
  readonly code: number | null;
  /** The signal name (`SIGTERM`, as Node names them) when the command was killed by one. */
  readonly signal: string | undefined;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 300_000;
const DEFAULT_KEEPALIVE_MS = 5_000;
const DEFAULT_KEEPALIVE_COUNT = 3;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
/** How long close() waits for a polite close by default before it drops the connection. */
const CLOSE_WAIT_MS = 2_000;

interface HopSettings {
  readonly endpoint: SshEndpoint;
  readonly port: number;
  readonly knownHostsFiles: readonly string[];
  readonly hostKeyPolicy: HostKeyPolicy;
  readonly target: SshErrorTarget;
}

function toList(v: string | readonly string[] | undefined): readonly string[] | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? [v] : v;
}

export class SshTransport {
  private closedReason: SshTransportError | undefined;
  private readonly running = new Set<(err: SshTransportError) => void>();

  private readonly client: Client;

  private constructor(
    private readonly link: SshLink,
    /** Jump-host connections, first hop first. */
    private readonly hops: readonly SshLink[],
    readonly target: SshErrorTarget,
    private readonly options: SshTransportOptions,
    /** Host keys accept-new added to known_hosts while connecting (jump hosts first). */
    readonly acceptedHostKeys: readonly AcceptedHostKey[],
  ) {
    const lost = (cause?: unknown): void => {
      if (this.closedReason !== undefined) return;
      const detail = cause instanceof Error ? `: ${cause.message}` : '';
      this.closedReason = new SshTransportError('CONNECTION_LOST', target, `the connection was lost${detail}`, { cause });
      for (const fail of this.running) fail(this.closedReason);
    };
    const client = (this.client = link.client);
    client.on('error', (err) => {
      lost(err);
    });
    client.on('close', () => {
      lost();
    });
    for (const { client: hop } of hops) {
      hop.on('error', (err) => {
        lost(err);
      });
      hop.on('close', () => {
        lost(new Error('a jump host connection closed'));
      });
    }
  }

  /** Opens an authenticated connection (through the jump hosts, if any) and verifies every host key on the way. */
  static async connect(options: SshTransportOptions): Promise<SshTransport> {
    const defaultKnown = toList(options.knownHostsFiles) ?? [join(homedir(), '.ssh', 'known_hosts')];
    const policy = options.hostKeyPolicy ?? 'strict';
    const jumps: readonly JumpHost[] = options.jump === undefined ? [] : 'host' in options.jump ? [options.jump] : options.jump;
    const via: string[] = [];
    const hops: HopSettings[] = [];
    for (const j of jumps) {
      const port = j.port ?? 22;
      hops.push({
        endpoint: j,
        port,
        knownHostsFiles: toList(j.knownHostsFiles) ?? defaultKnown,
        hostKeyPolicy: j.hostKeyPolicy ?? policy,
        target: { host: j.host, port, via: [...via] },
      });
      via.push(formatHostPort(j.host, port));
    }
    const port = options.port ?? 22;
    const final: HopSettings = {
      endpoint: options,
      port,
      knownHostsFiles: defaultKnown,
      hostKeyPolicy: policy,
      target: { host: options.host, port, via },
    };

    const opened: SshLink[] = [];
    const accepted: AcceptedHostKey[] = [];
    try {
      let sock: Duplex | undefined;
      for (let i = 0; i < hops.length; i++) {
        const hop = hops[i]!;
        const link = await openClient(hop, options, sock, accepted);
        opened.push(link);
        const next = hops[i + 1] ?? final;
        sock = await forwardOut(link.client, hop.target, next, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
      }
      const link = await openClient(final, options, sock, accepted);
      return new SshTransport(link, opened, final.target, options, accepted);
    } catch (e) {
      // the jump connections already open: closed in the background, each dropped after CLOSE_WAIT_MS at most
      for (const hop of opened.reverse()) void hop.end(CLOSE_WAIT_MS);
      throw e;
    }
  }

  /** True until close() or until the connection is lost. */
  get connected(): boolean {
    return this.closedReason === undefined;
  }

  /**
   * Runs a command (through the user's login shell on the server, as ssh does) and resolves with its output and
   * exit code, whatever the code. Rejects with SshTransportError: COMMAND_TIMEOUT (the command is sent SIGKILL
   * and its channel closed; the connection stays usable), CONNECTION_LOST, CHANNEL_FAILED, OUTPUT_TOO_LARGE,
   * CLOSED.
   */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.closedReason !== undefined) return Promise.reject(this.closedReason);
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const maxOutput = this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    const target = this.target;
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | undefined;
      let timer: NodeJS.Timeout | undefined;
      const finish = (err: SshTransportError | undefined, result?: ExecResult): void => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        stop?.removeEventListener('abort', onStop);
        this.running.delete(onLost);
        if (err !== undefined) reject(err);
        else resolve(result!);
      };
      const abort = (err: SshTransportError): void => {
        if (channel !== undefined) {
          try {
            channel.signal('KILL');
          } catch {
            /* the channel may already be gone */
          }
          channel.close();
        }
        finish(err);
      };
      const stop = options.stop;
      const onStop = (): void => {
        abort(new SshTransportError('COMMAND_TIMEOUT', target, stopMessage(stop!)));
      };
      const onLost = (err: SshTransportError): void => {
        if (err.code === 'CLOSED') finish(err);
        else finish(new SshTransportError('CONNECTION_LOST', target, `the connection was lost while running a command (${err.message})`, { cause: err }));
      };
      this.running.add(onLost);
      if (stop !== undefined) {
        if (stop.aborted) {
          onStop();
          return;
        }
        stop.addEventListener('abort', onStop, { once: true });
      }
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          abort(new SshTransportError('COMMAND_TIMEOUT', target, `the command did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      try {
        this.client.exec(command, (err, stream) => {
          if (settled) {
            if (err === undefined) stream.close();
            return;
          }
          if (err !== undefined) {
            finish(
              this.closedReason !== undefined
                ? new SshTransportError('CONNECTION_LOST', target, 'the connection was lost before the command started', { cause: err })
                : new SshTransportError('CHANNEL_FAILED', target, `the server did not open a session: ${err.message}`, { cause: err }),
            );
            return;
          }
          channel = stream;
          const out: Buffer[] = [];
          const errOut: Buffer[] = [];
          let size = 0;
          let code: number | null | undefined;
          let signal: string | undefined;
          const collect = (into: Buffer[]) => (chunk: Buffer) => {
            if (settled) return;
            size += chunk.length;
            if (size > maxOutput) {
              abort(new SshTransportError('OUTPUT_TOO_LARGE', target, `the command wrote more than ${maxOutput} bytes`));
              return;
            }
            into.push(chunk);
          };
          stream.on('data', collect(out));
          if (options.onStdout !== undefined) {
            const onStdout = options.onStdout;
            stream.on('data', (chunk: Buffer) => {
              if (!settled) onStdout(chunk);
            });
          }
          stream.stderr.on('data', collect(errOut));
          stream.on('exit', (exitCode: number | null, exitSignal?: string) => {
            // ssh2: ('exit', code) for exit-status, ('exit', null, signalName, coreDumped, message) for exit-signal
            if (typeof exitCode === 'number') code = exitCode;
            else {
              code = null;
              signal = exitSignal === undefined || exitSignal.startsWith('SIG') ? exitSignal : `SIG${exitSignal}`;
            }
          });
          stream.on('close', () => {
            if (code === undefined) {
              // no exit-status/exit-signal: the connection (or the server process) went away under us
              finish(
                new SshTransportError(
                  'CONNECTION_LOST',
                  target,
                  this.closedReason !== undefined
                    ? `the connection was lost while running a command (${this.closedReason.message})`
                    : 'the session closed without an exit status (the server side was killed?)',
                  { cause: this.closedReason },
                ),
              );
              return;
            }
            finish(undefined, {
              stdout: Buffer.concat(out).toString('utf8'),
              stderr: Buffer.concat(errOut).toString('utf8'),
              code,
              signal,
            });
          });
          stream.on('error', (e: Error) => {
            finish(new SshTransportError('CONNECTION_LOST', target, `session channel error: ${e.message}`, { cause: e }));
          });
          const stdin = options.stdin;
          if (stdin === undefined) stream.end();
          else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) stream.end(stdin);
          else stdin.pipe(stream);
        });
      } catch (e) {
        finish(new SshTransportError('CONNECTION_LOST', target, 'not connected', { cause: e }));
      }
    });
  }

  /**
   * Closes the connection (and the jump connections). Commands still running reject with CLOSED. A connection
   * that has not closed after `waitMs` (default 2 s; 0: at once) is dropped: its socket destroyed, so that
   * nothing of it is left open (a host gone dark never answers the close). One already lost resolves at once.
   */
  async close(waitMs = CLOSE_WAIT_MS): Promise<void> {
    if (this.closedReason === undefined) {
      this.closedReason = new SshTransportError('CLOSED', this.target, 'the transport was closed');
      for (const fail of this.running) fail(this.closedReason);
    }
    const all = [this.link, ...[...this.hops].reverse()];
    await Promise.all(all.map((l) => l.end(waitMs)));
  }
}

async function loadPrivateKey(hop: HopSettings): Promise<ParsedKey | undefined> {
  const { endpoint, target } = hop;
  const where = endpoint.privateKeyPath !== undefined ? `private key ${endpoint.privateKeyPath}` : 'the private key';
  let loaded: KeyLoad;
  if (endpoint.privateKey !== undefined) loaded = parseKeyData(endpoint.privateKey, endpoint.passphrase);
  else if (endpoint.privateKeyPath !== undefined) {
    const path = endpoint.privateKeyPath;
    // the same file for every host of a run: read, parsed and decrypted once while it does not change
    loaded = await parsedKeyFile(path, endpoint.passphrase, () => readKeyFile(path, endpoint.passphrase), (l) => 'key' in l);
  } else return undefined;
  if ('key' in loaded) return loaded.key;
  if ('unreadable' in loaded) throw new SshTransportError('KEY_UNREADABLE', target, `cannot read ${where}: it ${loaded.unreadable}`);
  const parsed = loaded.parseError;
  // ssh2's messages name the problem, never the key or the passphrase
  if (/passphrase|decrypt|encrypted/i.test(parsed.message) || (endpoint.passphrase !== undefined && /bad|malformed|integrity/i.test(parsed.message))) {
    throw new SshTransportError(
      'KEY_PASSPHRASE',
      target,
      endpoint.passphrase === undefined ? `${where} is encrypted and no passphrase was given` : `cannot decrypt ${where}: wrong passphrase`,
    );
  }
  throw new SshTransportError('KEY_UNREADABLE', target, `${where} is not a supported private key (${parsed.message})`);
}

/** A private key read and parsed, or why not (the file's problem, or ssh2's parse error), for any host. */
type KeyLoad = { readonly key: ParsedKey } | { readonly unreadable: string } | { readonly parseError: Error };

async function readKeyFile(path: string, passphrase: string | Buffer | undefined): Promise<KeyLoad> {
  const read = await readSmallFile(path, maxPrivateKeyBytes);
  if (!read.ok) return { unreadable: describeSmallFileProblem(read.problem) };
  return parseKeyData(read.data, passphrase);
}

function parseKeyData(data: string | Buffer, passphrase: string | Buffer | undefined): KeyLoad {
  const parsed = ssh2().utils.parseKey(data, passphrase);
  return parsed instanceof Error ? { parseError: parsed } : { key: parsed };
}

/**
 * Connects one hop (over `sock` when it comes through a jump host, else over a TCP socket it opens) and
 * authenticates. The link it resolves with holds that stream, so that the connection can always be dropped.
 */
async function openClient(hop: HopSettings, options: SshTransportOptions, sock: Duplex | undefined, accepted: AcceptedHostKey[]): Promise<SshLink> {
  const { endpoint, target } = hop;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  // The connect timeout covers reading the key and known_hosts (a file on a hung network mount, say).
  const { key, known } = await withinDeadline(readCredentials(hop), connectTimeoutMs, () => new SshTransportError('CONNECT_TIMEOUT', target, `the private key and known_hosts files were not read within ${connectTimeoutMs} ms`));
  if (key === undefined && endpoint.agent === undefined) {
    throw new SshTransportError('NO_CREDENTIALS', target, 'no private key and no ssh-agent given');
  }
  let hostKeyError: SshTransportError | undefined;

  const verify = (presented: Buffer, done: (ok: boolean) => void): void => {
    const check = checkHostKey(known, endpoint.host, hop.port, presented);
    const fp = fingerprintSha256(presented);
    const type = keyTypeOf(presented);
    const files = hop.knownHostsFiles;
    switch (check.status) {
      case 'trusted':
        done(true);
        return;
      case 'revoked':
        hostKeyError = new HostKeyVerificationError(
          'HOST_KEY_REVOKED',
          target,
          `the server's ${type} key ${fp} is marked @revoked in ${check.entry.file}:${check.entry.line}; refusing to connect`,
          { presentedFingerprint: fp, knownFingerprints: [fingerprintSha256(check.entry.key)], knownHostsFiles: files },
        );
        done(false);
        return;
      case 'changed': {
        const knownFps = check.known.map((e) => fingerprintSha256(e.key));
        const where = check.known.map((e) => `${e.keyType} ${fingerprintSha256(e.key)} (${e.file}:${e.line})`).join(', ');
        hostKeyError = new HostKeyVerificationError(
          'HOST_KEY_CHANGED',
          target,
          `HOST KEY CHANGED for ${knownHostsName(endpoint.host, hop.port)}: known_hosts has ${where}, but the server presented ${type} ${fp}. ` +
            'Refusing to connect: this could be a man-in-the-middle attack, or the host was reinstalled. ' +
            `If the change is expected, remove the old entry (ssh-keygen -R '${knownHostsName(endpoint.host, hop.port)}' -f ${check.known[0]!.file}) and connect again.`,
          { presentedFingerprint: fp, knownFingerprints: knownFps, knownHostsFiles: files },
        );
        done(false);
        return;
      }
      case 'unknown': {
        if (hop.hostKeyPolicy === 'accept-new' && files[0] !== undefined) {
          const file = files[0];
          appendKnownHost(file, endpoint.host, hop.port, presented).then(
            () => {
              const key: AcceptedHostKey = { host: endpoint.host, port: hop.port, keyType: type, fingerprint: fp, file };
              accepted.push(key);
              options.onHostKeyAccepted?.(key);
              done(true);
            },
            (e: unknown) => {
              hostKeyError = new SshTransportError(
                'HOST_KEY_UNKNOWN',
                target,
                `accept-new cannot record the new host key ${type} ${fp} in ${file} (${e instanceof Error ? e.message : String(e)}); refusing to connect, since the key would be trusted with nothing kept. ` +
                  'Name a known_hosts file tcpmem may write in ssh.knownHostsFile.',
              );
              done(false);
            },
          );
          return;
        }
        hostKeyError = new HostKeyVerificationError(
          'HOST_KEY_UNKNOWN',
          target,
          `unknown host: ${knownHostsName(endpoint.host, hop.port)} is not in ${files.join(', ')} (server presented ${type} ${fp}); ` +
            'refusing to connect (add its key to known_hosts, or use hostKeyPolicy accept-new)',
          { presentedFingerprint: fp, knownFingerprints: [], knownHostsFiles: files },
        );
        done(false);
        return;
      }
    }
  };

  // Explicit methods, in ssh's order: the key (already decrypted above, so the passphrase is used once and is not
  // handed on), then the agent.
  const auth: (PublicKeyAuthMethod | AgentAuthMethod)[] = [];
  if (key !== undefined) auth.push({ type: 'publickey', username: endpoint.username, key });
  if (endpoint.agent !== undefined) auth.push({ type: 'agent', username: endpoint.username, agent: endpoint.agent });
  const methods = auth.map((m) => m.type);

  const config: ConnectConfig = {
    host: endpoint.host,
    port: hop.port,
    username: endpoint.username,
    readyTimeout: connectTimeoutMs,
    keepaliveInterval: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
    keepaliveCountMax: options.keepaliveCountMax ?? DEFAULT_KEEPALIVE_COUNT,
    hostVerifier: verify,
    authHandler: auth,
  };

  const client = new (ssh2().Client)();
  let link: SshLink | undefined;
  return new Promise<SshLink>((resolve, reject) => {
    let settled = false;
    // a safety net over ssh2's readyTimeout (which ssh2 clears on some handshake paths)
    const guard = setTimeout(() => {
      fail(new SshTransportError('CONNECT_TIMEOUT', target, `no SSH session within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs + 1_000);
    const fail = (err: SshTransportError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      client.removeListener('ready', onReady);
      // keep an 'error' listener so late errors of the dead client are not unhandled
      client.on('error', () => undefined);
      if (link !== undefined) link.destroy();
      else client.destroy();
      reject(err);
    };
    const onReady = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
      resolve(link!);
    };
    const onError = (err: Error & { level?: string; code?: string | number }): void => {
      fail(hostKeyError ?? mapConnectError(err, target, connectTimeoutMs, methods));
    };
    const onClose = (): void => {
      fail(hostKeyError ?? new SshTransportError('CONNECT_FAILED', target, 'the connection closed during the SSH handshake'));
    };
    client.once('ready', onReady);
    client.on('error', onError);
    client.once('close', onClose);
    try {
      // the TCP socket is opened here, as ssh2 would open it (same address, port and errors), and handed to it
      const stream = sock ?? tcpConnect({ host: endpoint.host, port: hop.port });
      // ssh2 listens for its errors; this one keeps a socket ssh2 refused before listening from crashing the process
      if (sock === undefined) stream.on('error', () => undefined);
      link = new SshLink(client, stream);
      client.connect({ ...config, sock: stream });
    } catch (e) {
      fail(new SshTransportError('CONNECT_FAILED', target, e instanceof Error ? e.message : 'invalid connection settings', { cause: e }));
    }
  });
}

async function readCredentials(hop: HopSettings): Promise<{ key: ParsedKey | undefined; known: KnownHosts }> {
  const key = await loadPrivateKey(hop);
  try {
    return { key, known: await loadKnownHosts(hop.knownHostsFiles) };
  } catch (e) {
    if (e instanceof KnownHostsFileError) throw new SshTransportError('HOST_KEY_UNKNOWN', hop.target, `${e.message}; host keys cannot be checked`);
    throw e;
  }
}

function withinDeadline<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(timedOut());
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function mapConnectError(
  err: Error & { level?: string; code?: string | number },
  target: SshErrorTarget,
  timeoutMs: number,
  methods: readonly AuthenticationType[],
): SshTransportError {
  const opts = { cause: err };
  switch (err.level) {
    case 'client-timeout':
      return new SshTransportError('CONNECT_TIMEOUT', target, `no SSH handshake within ${timeoutMs} ms (${err.message})`, opts);
    case 'client-authentication':
      return new SshTransportError('AUTH_FAILED', target, `authentication refused for the given user (tried: ${methods.join(', ')})`, opts);
    case 'agent':
      return new SshTransportError('AGENT_FAILED', target, `the ssh-agent could not be used: ${err.message}`, opts);
    case 'client-dns':
      return new SshTransportError('DNS', target, err.message, opts);
    case 'client-socket': {
      const code: Record<string, SshErrorCode> = {
        ECONNREFUSED: 'CONNECT_REFUSED',
        EHOSTUNREACH: 'HOST_UNREACHABLE',
        ENETUNREACH: 'HOST_UNREACHABLE',
        ETIMEDOUT: 'CONNECT_TIMEOUT',
        ENOTFOUND: 'DNS',
        EAI_AGAIN: 'DNS',
        ECONNRESET: 'CONNECT_FAILED',
      };
      const c = typeof err.code === 'string' ? code[err.code] : undefined;
      return new SshTransportError(c ?? 'CONNECT_FAILED', target, err.message, opts);
    }
    default:
      return new SshTransportError('PROTOCOL', target, err.message, opts);
  }
}

/** Opens a direct-tcpip channel from a jump host to the next hop. */
function forwardOut(jump: Client, jumpTarget: SshErrorTarget, next: HopSettings, timeoutMs: number): Promise<Duplex> {
  const from = formatHostPort(jumpTarget.host, jumpTarget.port);
  const to = formatHostPort(next.endpoint.host, next.port);
  return new Promise<Duplex>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new SshTransportError('CONNECT_TIMEOUT', next.target, `jump host ${from} did not connect to ${to} within ${timeoutMs} ms`));
    }, timeoutMs);
    try {
      jump.forwardOut('127.0.0.1', 0, next.endpoint.host, next.port, (err, stream) => {
        clearTimeout(timer);
        if (done) {
          if (err === undefined) stream.close();
          return;
        }
        done = true;
        if (err !== undefined) {
          reject(
            new SshTransportError(
              'JUMP_FAILED',
              next.target,
              `jump host ${from} could not connect to ${to}: ${err.message}`,
              { cause: err },
            ),
          );
          return;
        }
        resolve(stream);
      });
    } catch (e) {
      clearTimeout(timer);
      done = true;
      reject(new SshTransportError('JUMP_FAILED', next.target, 'the jump host connection is gone', { cause: e }));
    }
  });
}
