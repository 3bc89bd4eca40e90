import { SshTransportError } from './errors';
import { SshTransport, type SshTransportOptions } from './ssh-transport';

/** Why a session's work did not finish: the transport's error code (undefined for any other error) and message. */
export interface SessionFailure {
  /** The SSH transport's code (`CONNECT_REFUSED`, `AUTH_FAILED`, …); undefined when the work itself failed. */
  readonly code: SshTransportError['code'] | undefined;
  /** The transport's message (it names the host and never holds a secret), or the work's error message. */
  readonly message: string;
}

/** What `withSession` returns: the work's value, or why there is none. */
export type SessionOutcome<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & SessionFailure);

/**
 * Runs `work` on one SSH session to a host: connects, runs it, and always closes the connection. A host that
 * cannot be reached or read never throws: every error (the transport's, or one the work throws) comes back as a
 * `SessionFailure` for the caller to word. The one "connect, run, close, map the error" of every read-only use
 * of SSH (live reads, discovery, the apply engine's checks).
 */
export async function withSession<T>(options: SshTransportOptions, work: (transport: SshTransport) => Promise<T>): Promise<SessionOutcome<T>> {
  let transport: SshTransport | undefined;
  try {
    transport = await SshTransport.connect(options);
    return { ok: true, value: await work(transport) };
  } catch (error) {
    if (error instanceof SshTransportError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: undefined, message: error instanceof Error ? error.message : String(error) };
  } finally {
    await transport?.close();
  }
}
