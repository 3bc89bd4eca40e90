/**
 * SshTransport against real OpenSSH servers: the test-hosts harness (test-hosts/netns-hosts.sh) brings up
 * network namespaces with their own sshd. Needs root (namespaces, useradd), like every integration test here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { transportOptions } from '../../src/remote/connect';
import { HostKeyVerificationError, SshTransport, SshTransportError, type SshErrorCode, type SshTransportOptions } from '../../src/transport';
import { netnsHostsScript, readNetnsHostsState, type NetnsHost, type NetnsHostsState } from '../../../../test-hosts/netns-hosts-state';

type Fleet = NetnsHostsState;
type FleetHost = NetnsHost;

const HARNESS = netnsHostsScript;
let work: string | undefined;
let stateDir: string | undefined;
let fleet: Fleet;
const open: SshTransport[] = [];

function harness(...args: string[]): void {
  execFileSync(HARNESS, [...args, stateDir!], { stdio: ['ignore', 'ignore', 'pipe'] });
}
function reloadFleet(): void {
  fleet = readNetnsHostsState(stateDir!);
}
function scratch(name: string): string {
  return join(work!, name);
}
/** Options with the agent as the only credential. */
function agentOnly(name: string, agent: string): SshTransportOptions {
  const h = host(name);
  return { host: h.address, port: h.port, username: fleet.user, knownHostsFiles: fleet.knownHosts, agent };
}
function hostKeyError(e: SshTransportError): HostKeyVerificationError {
  if (!(e instanceof HostKeyVerificationError)) throw new Error(`expected a HostKeyVerificationError, got ${String(e)}`);
  return e;
}
function host(name: string): FleetHost {
  const h = fleet.hosts.find((x) => x.name === name);
  if (h === undefined) throw new Error(`no host ${name}`);
  return h;
}
function base(name: string, extra: Partial<SshTransportOptions> = {}): SshTransportOptions {
  const h = host(name);
  return {
    host: h.address,
    port: h.port,
    username: fleet.user,
    privateKeyPath: fleet.identityFile,
    knownHostsFiles: fleet.knownHosts,
    connectTimeoutMs: 5_000,
    ...extra,
  };
}
async function connect(opts: SshTransportOptions): Promise<SshTransport> {
  const t = await SshTransport.connect(opts);
  open.push(t);
  return t;
}
async function connectError(opts: SshTransportOptions): Promise<SshTransportError> {
  try {
    const t = await SshTransport.connect(opts);
    open.push(t);
  } catch (e) {
    expect(e).toBeInstanceOf(SshTransportError);
    return e as SshTransportError;
  }
  throw new Error('expected the connection to fail');
}
function expectCode(err: SshTransportError, code: SshErrorCode): void {
  expect({ code: err.code, message: err.message }).toEqual({ code, message: expect.any(String) as string });
}
/** Nothing secret in anything an error shows: message, inspect (stack, cause, own fields), JSON. */
function expectNoSecret(err: unknown, secrets: string[]): void {
  const shown = [String(err), inspect(err, { depth: 8 }), JSON.stringify(err)].join('\n');
  for (const s of secrets) expect(shown).not.toContain(s);
}

beforeAll(() => {
  if (process.getuid?.() !== 0) throw new Error('the SSH integration tests need root (network namespaces, useradd): run them as root');
  const dir = mkdtempSync(join(tmpdir(), 'tcpmem-transport-'));
  work = dir;
  chmodSync(dir, 0o755); // the deploy user (sshd reads authorized_keys as that user) must reach the state dir
  stateDir = join(dir, 'hosts');
  // h1: plain + jump host, h2: host key rotation, h3: killed sshd, h4: port 2222
  execFileSync(HARNESS, ['up', '4', stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  reloadFleet();
}, 120_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

afterAll(() => {
  if (stateDir !== undefined) execFileSync(HARNESS, ['down', stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('SshTransport (real sshd in network namespaces)', () => {
  it('connects with a key file and runs commands as the deploy user with sudo -n', async () => {
    const t = await connect(base('h1'));
    const r = await t.exec('id -un; sudo -n cat /proc/sys/net/ipv4/tcp_rmem; hostname');
    expect(r.code).toBe(0);
    const [user, rmem, hostname] = r.stdout.trim().split('\n');
    expect(user).toBe(fleet.user);
    expect(rmem).toMatch(/^\d+\t\d+\t\d+$/);
    expect(hostname).toBe(host('h1').namespace);
    expect(r.stderr).toBe('');
  });

  it('returns non-zero exit codes, stderr, and feeds stdin', async () => {
    const t = await connect(base('h1'));
    const failing = await t.exec('echo oops >&2; exit 3');
    expect(failing).toEqual({ stdout: '', stderr: 'oops\n', code: 3, signal: undefined });
    const file = 'zz-transport-test.conf';
    const written = await t.exec(`sudo -n tee /etc/sysctl.d/${file} >/dev/null && cat /etc/sysctl.d/${file}`, {
      stdin: 'net.ipv4.tcp_rmem = 4096 131072 7000000\n',
    });
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('net.ipv4.tcp_rmem = 4096 131072 7000000\n');
    expect(readFileSync(join(host('h1').sysctlDir, file), 'utf8')).toBe('net.ipv4.tcp_rmem = 4096 131072 7000000\n');
    expect(existsSync(join(host('h2').sysctlDir, file))).toBe(false);
    const killed = await t.exec('kill -TERM $$');
    expect(killed.code).toBeNull();
    expect(killed.signal).toBe('SIGTERM');
  });

  it('runs several commands at once on one connection', async () => {
    const t = await connect(base('h1'));
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => t.exec(`sleep 0.2; echo ${i}`)));
    expect(results.map((r) => r.stdout.trim())).toEqual(['1', '2', '3', '4', '5']);
  });

  it('connects to a custom port with a hashed known_hosts file', async () => {
    expect(host('h4').port).toBe(2222);
    const t = await connect(base('h4', { knownHostsFiles: fleet.knownHostsHashed }));
    expect((await t.exec('hostname')).stdout.trim()).toBe(host('h4').namespace);
  });

  it('uses an encrypted key with its passphrase, and refuses a wrong or missing one without revealing it', async () => {
    const passphrase = readFileSync(fleet.passphraseFile, 'utf8').trim();
    const keyText = readFileSync(fleet.encryptedIdentityFile, 'utf8');
    const t = await connect(base('h1', { privateKeyPath: fleet.encryptedIdentityFile, passphrase }));
    expect((await t.exec('id -un')).stdout.trim()).toBe(fleet.user);

    const wrong = `${passphrase}-wrong`;
    const e1 = await connectError(base('h1', { privateKeyPath: fleet.encryptedIdentityFile, passphrase: wrong }));
    expectCode(e1, 'KEY_PASSPHRASE');
    expectNoSecret(e1, [wrong, passphrase, keyText.split('\n')[1]!]);
    const e2 = await connectError(base('h1', { privateKeyPath: fleet.encryptedIdentityFile }));
    expectCode(e2, 'KEY_PASSPHRASE');
    expect(e2.message).toContain('no passphrase');
  });

  it('authenticates through an ssh-agent', async () => {
    const sock = scratch('agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      execFileSync('ssh-add', [fleet.identityFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const t = await connect(agentOnly('h1', sock));
      expect((await t.exec('id -un')).stdout.trim()).toBe(fleet.user);
    } finally {
      agent.kill();
    }
  });

  it('refuses a key that is not authorized', async () => {
    const keyText = readFileSync(fleet.wrongIdentityFile, 'utf8');
    const e = await connectError(base('h1', { privateKeyPath: fleet.wrongIdentityFile }));
    expectCode(e, 'AUTH_FAILED');
    expect(e.host).toBe(host('h1').address);
    expectNoSecret(e, [keyText.split('\n')[1]!]);
  });

  it('reports a missing key file and missing credentials', async () => {
    expectCode(await connectError(base('h1', { privateKeyPath: scratch('nope') })), 'KEY_UNREADABLE');
    const h1 = host('h1');
    expectCode(await connectError({ host: h1.address, port: h1.port, username: fleet.user, knownHostsFiles: fleet.knownHosts }), 'NO_CREDENTIALS');
  });

  it('goes through a jump host (ProxyJump) and verifies both host keys', async () => {
    const jump = { host: host('h1').address, port: host('h1').port, username: fleet.user, privateKeyPath: fleet.identityFile };
    const t = await connect(base('h4', { jump }));
    expect((await t.exec('hostname')).stdout.trim()).toBe(host('h4').namespace);
    expect(t.target.via).toEqual([`${host('h1').address}:22`]);
    // the session really comes from the jump host
    const from = (await t.exec('echo $SSH_CLIENT')).stdout.trim().split(' ')[0];
    expect(from).toBe(host('h1').address);

    // the target's key is checked too: unknown target behind a known jump host
    const onlyJump = scratch('known_hosts.jump-only');
    writeFileSync(onlyJump, readFileSync(fleet.knownHosts, 'utf8').split('\n').filter((l) => l.startsWith(`${host('h1').address} `)).join('\n') + '\n');
    const e = await connectError(base('h4', { jump, knownHostsFiles: onlyJump }));
    expectCode(e, 'HOST_KEY_UNKNOWN');
    expect(e.via).toEqual([`${host('h1').address}:22`]);
    // a jump host that cannot reach the target
    const started = Date.now();
    const bad = await connectError(base('h4', { jump, host: fleet.unreachableAddress, port: 22, connectTimeoutMs: 1_000 }));
    expect(['JUMP_FAILED', 'CONNECT_TIMEOUT']).toContain(bad.code);
    expect(bad.message).toContain(`jump host ${host('h1').address}:22`);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('refuses an unknown host by default and accepts it with accept-new', async () => {
    const kh = scratch('known_hosts.empty');
    writeFileSync(kh, '');
    const e = await connectError(base('h1', { knownHostsFiles: kh }));
    expectCode(e, 'HOST_KEY_UNKNOWN');
    expect(hostKeyError(e).presentedFingerprint).toBe(host('h1').hostKeyFingerprint);
    expect(e.message).toContain(host('h1').address);

    const t = await connect(base('h4', { knownHostsFiles: kh, hostKeyPolicy: 'accept-new' }));
    expect((await t.exec('true')).code).toBe(0);
    expect(readFileSync(kh, 'utf8')).toMatch(new RegExp(`^\\[${host('h4').address.replace(/\./g, '\\.')}\\]:2222 ssh-ed25519 `));
    // now known: strict works, with OpenSSH agreeing on the line
    const again = await connect(base('h4', { knownHostsFiles: kh }));
    expect((await again.exec('true')).code).toBe(0);
    execFileSync('ssh', ['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none', '-F', '/dev/null',
      '-o', `UserKnownHostsFile=${kh}`, '-o', 'StrictHostKeyChecking=yes', '-i', fleet.identityFile, '-p', '2222',
      `${fleet.user}@${host('h4').address}`, 'true'], { stdio: 'pipe' });
  });

  it('reports every key accept-new adds, and refuses when known_hosts cannot keep it (/dev/null, a FIFO)', async () => {
    const kh = scratch('known_hosts.accept-report');
    writeFileSync(kh, '');
    const t = await connect(base('h1', { knownHostsFiles: kh, hostKeyPolicy: 'accept-new' }));
    expect(t.acceptedHostKeys).toEqual([{ host: host('h1').address, port: 22, keyType: 'ssh-ed25519', fingerprint: host('h1').hostKeyFingerprint, file: kh }]);
    // known now: nothing is accepted a second time
    const again = await connect(base('h1', { knownHostsFiles: kh, hostKeyPolicy: 'accept-new' }));
    expect(again.acceptedHostKeys).toEqual([]);

    const devNull = await connectError(base('h1', { knownHostsFiles: '/dev/null', hostKeyPolicy: 'accept-new' }));
    expectCode(devNull, 'HOST_KEY_UNKNOWN');
    expect(devNull.message).toContain('/dev/null');
    expect(devNull.message).toContain(host('h1').hostKeyFingerprint);
  });

  it('refuses key and known_hosts files that are devices, FIFOs or too large, within the connect timeout', async () => {
    const fifo = scratch('fifo');
    execFileSync('mkfifo', [fifo]);
    const big = scratch('big-key');
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 0x41));
    const cases: [string, Partial<SshTransportOptions>, string][] = [
      ['/dev/zero as the key', { privateKeyPath: '/dev/zero' }, 'character device'],
      ['a FIFO as the key', { privateKeyPath: fifo }, 'FIFO'],
      ['a 2 MiB key file', { privateKeyPath: big }, 'larger than'],
      ['a FIFO as known_hosts', { knownHostsFiles: fifo }, 'FIFO'],
      ['/dev/zero as known_hosts', { knownHostsFiles: '/dev/zero' }, 'character device'],
    ];
    for (const [what, extra, says] of cases) {
      const started = Date.now();
      const e = await connectError(base('h1', { connectTimeoutMs: 2_000, ...extra }));
      expect({ what, code: e.code, says: e.message.includes(says) }).toEqual({ what, code: extra.privateKeyPath === undefined ? 'HOST_KEY_UNKNOWN' : 'KEY_UNREADABLE', says: true });
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('authenticates at the jump host with the encrypted key and the passphrase a config names (ssh.jumpHost)', async () => {
    const passphrase = readFileSync(fleet.passphraseFile, 'utf8').trim();
    const options = transportOptions(
      host('h4').address,
      { user: fleet.user, port: 2222, identityFile: fleet.encryptedIdentityFile, passphraseEnv: 'TCPMEM_TEST_PASSPHRASE', knownHostsFile: fleet.knownHosts, jumpHost: host('h1').address },
      { TCPMEM_TEST_PASSPHRASE: passphrase },
    );
    const t = await connect(options);
    expect((await t.exec('hostname')).stdout.trim()).toBe(host('h4').namespace);
    expect(t.target.via).toEqual([`${host('h1').address}:22`]);
  });

  it('refuses a changed host key, naming the host and both fingerprints', async () => {
    const before = host('h2').hostKeyFingerprint;
    harness('rotate-host-key', 'h2');
    reloadFleet();
    const after = host('h2').hostKeyFingerprint;
    expect(after).not.toBe(before);
    for (const policy of ['strict', 'accept-new'] as const) {
      const e = await connectError(base('h2', { hostKeyPolicy: policy }));
      expectCode(e, 'HOST_KEY_CHANGED');
      const hk = hostKeyError(e);
      expect(hk.knownFingerprints).toEqual([before]);
      expect(hk.presentedFingerprint).toBe(after);
      expect(e.message).toContain(host('h2').address);
      expect(e.message).toContain(before);
      expect(e.message).toContain(after);
    }
    harness('refresh-known-hosts');
    const t = await connect(base('h2'));
    expect((await t.exec('true')).code).toBe(0);
  });

  it('times out connecting to an address where packets vanish', async () => {
    const started = Date.now();
    const e = await connectError({ ...base('h1'), host: fleet.unreachableAddress, port: 22, connectTimeoutMs: 1_000 });
    expectCode(e, 'CONNECT_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(e.host).toBe(fleet.unreachableAddress);
  });

  it('times out a command and keeps the connection usable', async () => {
    const t = await connect(base('h1'));
    const started = Date.now();
    await expect(t.exec('sleep 10', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'COMMAND_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await t.exec('echo still here')).stdout).toBe('still here\n');
  });

  it('gives CONNECTION_LOST when the server is killed mid-command, then CONNECT_REFUSED', async () => {
    const t = await connect(base('h3'));
    const running = t.exec('sleep 30; echo finished');
    await new Promise((r) => setTimeout(r, 500));
    harness('kill-sshd', 'h3');
    const e = (await running.then(
      () => undefined,
      (err: unknown) => err,
    )) as SshTransportError;
    expect(e).toBeInstanceOf(SshTransportError);
    expect(e.code).toBe('CONNECTION_LOST');
    expect(e.host).toBe(host('h3').address);
    expect(t.connected).toBe(false);
    await expect(t.exec('true')).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    expectCode(await connectError(base('h3')), 'CONNECT_REFUSED');
    harness('start-sshd', 'h3');
    const again = await connect(base('h3'));
    expect((await again.exec('true')).code).toBe(0);
  }, 30_000);

  it('notices a silent network partition through keepalives', async () => {
    const t = await connect(base('h3', { keepaliveIntervalMs: 300, keepaliveCountMax: 2 }));
    const running = t.exec('sleep 30');
    await new Promise((r) => setTimeout(r, 300));
    harness('partition', 'h3', 'on');
    try {
      const started = Date.now();
      await expect(running).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      harness('partition', 'h3', 'off');
    }
  }, 30_000);

  it.each([
    ['a host', 'h3', undefined],
    ['the jump host of a connection', 'h1', 'h1'],
  ])('drops the connection once close() passes its bound when %s went dark, leaving no socket open', async (_what, dark, jumpVia) => {
    // a socket left half-closed towards a dark host keeps the process alive until TCP gives up (~15 min)
    const sockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const before = sockets();
    const jump = jumpVia === undefined ? undefined : { host: host(jumpVia).address, port: host(jumpVia).port, username: fleet.user, privateKeyPath: fleet.identityFile };
    const t = await SshTransport.connect(base(jumpVia === undefined ? dark : 'h4', jump === undefined ? {} : { jump }));
    expect((await t.exec('true')).code).toBe(0);
    expect(sockets()).toBe(before + 1);
    harness('partition', dark, 'on');
    try {
      const started = Date.now();
      await t.close(500);
      expect(Date.now() - started).toBeLessThan(1_500);
      await new Promise((r) => setTimeout(r, 50));
      expect(sockets()).toBe(before);
    } finally {
      harness('partition', dark, 'off');
    }
  }, 30_000);

  it('rejects running commands with CLOSED on close()', async () => {
    const t = await SshTransport.connect(base('h1'));
    const running = t.exec('sleep 30');
    await new Promise((r) => setTimeout(r, 200));
    const rejected = expect(running).rejects.toMatchObject({ code: 'CLOSED' });
    await t.close();
    await rejected;
    await expect(t.exec('true')).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
