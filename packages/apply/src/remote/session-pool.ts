import type { SshTransport } from '../transport';
import type { RemoteShell } from './remote-shell';

/** An SSH connection a live read left open for the transaction that follows it, and what the read cost. */
export interface PooledSession {
  readonly transport: SshTransport;
  /**
   * The root shell (`sudo -n sh -s`, or `sh -s` as root) the read ran on, waiting for the transaction's script;
   * absent when the read ran on a plain `sh -s` (the root shell could not start: sudo refused, say).
   */
  readonly shell?: RemoteShell;
  /** Connect + authenticate, on the client's clock. */
  readonly connectMs: number;
  /** The read script's round trip. */
  readonly readMs: number;
}

/** How long a polite close of a pooled connection may take before it is dropped. */
const CLOSE_WAIT_MS = 2_000;

/** Connections a pool keeps at most by default: beyond them, hosts connect again for their transaction. */
export const DEFAULT_POOL_CAPACITY = 1_024;

/**
 * The live plan's connections, kept open (by host name) for `apply CONFIG`'s transactions, so that each host is
 * connected to once: the plan's read and the transaction share the connection, and the shell the read ran on. A
 * connection holds no lock and runs nothing while it waits here (its shell waits for its next script; the
 * transaction, its lock and its locked read start only when the executor takes it). Whoever fills a pool closes
 * what is left in it (`closeAll`), also when nothing is applied. It keeps at most `capacity` connections (idle connections cost a socket and a little memory on both ends): a host read once
 * the pool is full has its connection closed, and its transaction connects again.
 */
export class SessionPool {
  private readonly sessions = new Map<string, PooledSession>();
  private readonly closing = new Set<Promise<void>>();

  constructor(readonly capacity: number = DEFAULT_POOL_CAPACITY) {}

  /** Keeps a host's open connection (one closed before is dropped at once); closes it when the pool is full. */
  keep(host: string, session: PooledSession): void {
    if (!this.sessions.has(host) && this.sessions.size >= this.capacity) {
      this.closeInBackground(session.transport);
      return;
    }
    const previous = this.sessions.get(host);
    this.sessions.set(host, session);
    if (previous !== undefined && previous.transport !== session.transport) this.closeInBackground(previous.transport);
  }

  /** Takes a host's connection out of the pool; undefined when there is none or it was lost meanwhile. */
  take(host: string): PooledSession | undefined {
    const session = this.sessions.get(host);
    if (session === undefined) return undefined;
    this.sessions.delete(host);
    if (!session.transport.connected) {
      this.closeInBackground(session.transport);
      return undefined;
    }
    return session;
  }

  /** The hosts whose connections are waiting here. */
  hosts(): string[] {
    return [...this.sessions.keys()];
  }

  /** Closes the named hosts' connections in the background (a host with nothing to apply, say). */
  release(hosts: Iterable<string>): void {
    for (const host of hosts) {
      const session = this.sessions.get(host);
      if (session === undefined) continue;
      this.sessions.delete(host);
      this.closeInBackground(session.transport);
    }
  }

  /** Closes every connection left, and waits (each at most two seconds) for those closing in the background. */
  async closeAll(): Promise<void> {
    this.release(this.hosts());
    await Promise.all([...this.closing]);
  }

  private closeInBackground(transport: SshTransport): void {
    const closing = transport.close(CLOSE_WAIT_MS).catch(() => undefined);
    this.closing.add(closing);
    void closing.then(() => this.closing.delete(closing));
  }
}
