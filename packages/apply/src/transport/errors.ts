/**
 * Typed errors of the SSH transport. Every message names the host (and the jump hosts it went through) and
 * never contains a secret: no key material, no passphrase, no agent contents.
 */

export type SshErrorCode =
  /** No TCP connection + SSH handshake within the connect timeout (silently dropped packets, slow server). */
  | 'CONNECT_TIMEOUT'
  /** The TCP connection was refused (nothing listens on that port). */
  | 'CONNECT_REFUSED'
  /** No route to the host or network (ICMP unreachable, failed ARP). */
  | 'HOST_UNREACHABLE'
  /** The host name could not be resolved. */
  | 'DNS'
  /** Any other failure to connect (socket error, connection closed during the handshake). */
  | 'CONNECT_FAILED'
  /** The host is not in known_hosts and the policy is `strict`. */
  | 'HOST_KEY_UNKNOWN'
  /** known_hosts has key(s) for this host and the server presented another one. */
  | 'HOST_KEY_CHANGED'
  /** The presented key is marked `@revoked` in known_hosts. */
  | 'HOST_KEY_REVOKED'
  /** The server refused every offered credential. */
  | 'AUTH_FAILED'
  /** The private key file cannot be read or is not a supported private key. */
  | 'KEY_UNREADABLE'
  /** The private key is encrypted and the passphrase is missing or wrong. */
  | 'KEY_PASSPHRASE'
  /** The ssh-agent could not be used. */
  | 'AGENT_FAILED'
  /** Neither a private key nor an agent was given. */
  | 'NO_CREDENTIALS'
  /** A jump host could not open the forwarded connection to the next hop. */
  | 'JUMP_FAILED'
  /** The server would not open a session channel for a command. */
  | 'CHANNEL_FAILED'
  /** The command did not finish within its timeout (it was signalled and its channel closed). */
  | 'COMMAND_TIMEOUT'
  /** The command's output exceeded the configured maximum. */
  | 'OUTPUT_TOO_LARGE'
  /** The connection went away (server killed, reset, keepalive timeout) while a command ran or before it started. */
  | 'CONNECTION_LOST'
  /** The transport was closed by its owner. */
  | 'CLOSED'
  /** An SSH protocol or negotiation failure. */
  | 'PROTOCOL';

export interface SshErrorTarget {
  /** The host as given (name or address). */
  readonly host: string;
  readonly port: number;
  /** Jump hosts, first hop first, as `host:port`. Empty for a direct connection. */
  readonly via: readonly string[];
}

export class SshTransportError extends Error {
  override readonly name: string = 'SshTransportError';
  readonly code: SshErrorCode;
  readonly host: string;
  readonly port: number;
  readonly via: readonly string[];

  constructor(code: SshErrorCode, target: SshErrorTarget, message: string, options?: { cause?: unknown }) {
    super(`${describeTarget(target)}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.host = target.host;
    this.port = target.port;
    this.via = target.via;
  }
}

/** Host key verification failed: unknown, changed or revoked. */
export class HostKeyVerificationError extends SshTransportError {
  override readonly name: string = 'HostKeyVerificationError';
  /** Fingerprint (SHA256:…) of the key the server presented. */
  readonly presentedFingerprint: string;
  /** Fingerprints known for this host in known_hosts (empty when the host is unknown). */
  readonly knownFingerprints: readonly string[];
  readonly knownHostsFiles: readonly string[];

  constructor(
    code: 'HOST_KEY_UNKNOWN' | 'HOST_KEY_CHANGED' | 'HOST_KEY_REVOKED',
    target: SshErrorTarget,
    message: string,
    details: { presentedFingerprint: string; knownFingerprints: readonly string[]; knownHostsFiles: readonly string[] },
  ) {
    super(code, target, message);
    this.presentedFingerprint = details.presentedFingerprint;
    this.knownFingerprints = details.knownFingerprints;
    this.knownHostsFiles = details.knownHostsFiles;
  }
}

export function formatHostPort(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${h}:${port}`;
}

export function describeTarget(target: SshErrorTarget): string {
  const hp = formatHostPort(target.host, target.port);
  return target.via.length === 0 ? `ssh ${hp}` : `ssh ${hp} (via ${target.via.join(' -> ')})`;
}
