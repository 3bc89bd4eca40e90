import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withSession } from './with-session';

/** A loopback port where nothing listens (bound, then released). */
function closedPort(): number {
  return Number(execFileSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"], { encoding: 'utf8' }).trim());
}

describe('withSession', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tcpmem-session-'));
  const key = path.join(dir, 'id');
  beforeAll(() => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key], { stdio: 'ignore' }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a port where nothing listens', () => ({ privateKeyPath: key, port: closedPort() }), 'CONNECT_REFUSED'],
    ['a key file that does not exist', () => ({ privateKeyPath: path.join(dir, 'missing'), port: closedPort() }), 'KEY_UNREADABLE'],
  ])('gives back the transport\'s error for %s, never throwing and never running the work', async (_what, options, code) => {
    let ran = false;
    const outcome = await withSession({ host: '127.0.0.1', username: 'nobody', connectTimeoutMs: 5000, ...options() }, () => {
      ran = true;
      return Promise.resolve(1);
    });
    expect(outcome).toMatchObject({ ok: false, code, message: expect.stringContaining('127.0.0.1') });
    expect(ran).toBe(false);
  });
});
