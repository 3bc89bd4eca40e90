import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';

/**
 * One hop's SSH connection and the stream it runs over, which tcpmem holds itself: the TCP socket it opened and
 * handed to ssh2 (`connect({ sock })`), or the channel through the jump host before it. Holding the stream is what
 * lets a connection be dropped for sure: ssh2's own `Client.destroy()` does nothing once `end()` was called (it
 * only destroys a socket that is still writable), so a socket half-closed towards a host that went dark (a
 * network partition) would stay open, and keep the process alive, until TCP gives up (~15 min).
 */
export class SshLink {
  private closed = false;

  constructor(
    readonly client: Client,
    private readonly stream: Duplex,
  ) {
    client.on('close', () => {
      this.closed = true;
    });
  }

  /**
   * Ends the connection politely (SSH disconnect, then FIN) and resolves once it closed; when it has not closed
   * within `waitMs` (0: at once), destroys its stream and resolves. A connection already closed (lost) resolves
   * at once.
   */
  end(waitMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.client.removeListener('close', onClose);
        this.destroy();
        resolve();
      }, waitMs);
      const onClose = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('close', onClose);
      this.client.end();
    });
  }

  /** Drops the connection at once: the stream is destroyed whatever state ssh2 left it in. */
  destroy(): void {
    this.client.destroy();
    try {
      this.stream.destroy();
    } catch {
      /* a jump host's channel whose connection is already gone: nothing is left to drop */
    }
  }
}
