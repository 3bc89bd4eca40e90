import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { Client } from 'ssh2';
import { SshLink } from './ssh-link';

/**
 * A peer on loopback that takes the connection and reads what comes; `dark`: it never answers the close (nor
 * closes its side), as a host behind a network partition never does; else it closes when the client does.
 */
let server: Server;
let dark = true;
const peers: Socket[] = [];

beforeAll(async () => {
  server = createServer({ allowHalfOpen: true }, (s) => {
    peers.push(s);
    s.on('error', () => undefined);
    s.on('end', () => {
      if (!dark) s.end();
    });
    s.resume();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});

afterAll(async () => {
  for (const p of peers) p.destroy();
  server.close();
  await once(server, 'close');
});

/** A real ssh2 client over a socket the test opened (as SshTransport opens it), in its handshake. */
async function linked(): Promise<{ link: SshLink; sock: Socket }> {
  const sock = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const client = new Client();
  client.on('error', () => undefined);
  const link = new SshLink(client, sock);
  client.connect({ sock, username: 'tcpmem', readyTimeout: 0 });
  await once(sock, 'connect');
  return { link, sock };
}

describe('SshLink.end', () => {
  it('destroys the socket when the peer does not close within waitMs (ssh2 alone leaves it half-closed)', async () => {
    dark = true;
    const { link, sock } = await linked();
    const started = Date.now();
    await link.end(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sock.destroyed).toBe(true);
    await once(sock, 'close');
  });

  it('drops the connection at once with waitMs 0', async () => {
    dark = true;
    const { link, sock } = await linked();
    await link.end(0);
    expect(sock.destroyed).toBe(true);
  });

  it('resolves as soon as the peer closes, well before waitMs', async () => {
    dark = false;
    const { link, sock } = await linked();
    const started = Date.now();
    await link.end(5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sock.destroyed).toBe(true);
  });

  it('resolves at once for a connection already closed', async () => {
    dark = true;
    const { link, sock } = await linked();
    sock.destroy();
    await once(sock, 'close');
    const started = Date.now();
    await link.end(5_000);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
