/**
 * The HostTcpMemory provider's lifecycle, called directly (as Pulumi's engine calls a dynamic provider) against
 * real OpenSSH servers in network namespaces (test-hosts/netns-hosts.sh), checking each step on the host itself
 * with `ip netns exec`, not through tcpmem. Needs root, like every integration test of this repo.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type * as pulumi from '@pulumi/pulumi';
import type { Sysctls } from '@tcpmem/schema';
import { hostProviderOperations as provider, type HostTcpMemoryInputs, type HostTcpMemoryOutputs } from '../../src';
import { TestHosts } from './test-hosts';

let hosts: TestHosts;
let key: string;

beforeAll(() => {
  hosts = TestHosts.up(2);
  key = readFileSync(hosts.state.identityFile, 'utf8');
}, 180_000);

afterAll(() => {
  hosts.down();
}, 120_000);

const release = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();

/** h1 reached with the key in memory and its host key pinned: what a Pulumi program passes. */
function h1Inputs(sysctls: HostTcpMemoryInputs['sysctls']): HostTcpMemoryInputs {
  const h1 = hosts.host('h1');
  return {
    hostName: 'h1',
    address: h1.address,
    ssh: { user: hosts.state.user, port: h1.port, connectTimeout: '5s' },
    privateKey: key,
    hostKey: hosts.hostKey('h1'),
    ...(sysctls === undefined ? {} : { sysctls }),
  };
}

/** What Pulumi passes as `olds` after a create or update: the outputs, with its `__provider` key. */
const state = (outs: HostTcpMemoryOutputs): Record<string, unknown> => ({ ...outs, __provider: 'serialized provider' });

describe('the provider lifecycle on a real host', () => {
  const first: Sysctls = { 'net.core.somaxconn': 8192, 'net.ipv4.tcp_rmem': { max: '8MiB' }, 'net.ipv4.tcp_mem': { pressure: '5%' } };
  let outs: HostTcpMemoryOutputs;
  let defaults: { somaxconn: string; rmem: string; wmem: string };

  beforeAll(() => {
    defaults = { somaxconn: hosts.live('h1', 'net.core.somaxconn'), rmem: hosts.live('h1', 'net.ipv4.tcp_rmem'), wmem: hosts.live('h1', 'net.ipv4.tcp_wmem') };
  });

  it('check accepts the inputs', async () => {
    await expect(provider.check({}, h1Inputs(first))).resolves.toEqual({ inputs: h1Inputs(first) });
  });

  it('create applies them: live values and tcpmem\'s file on the host, and the outputs say so', async () => {
    const created = await provider.create({ ...h1Inputs(first), __provider: 'serialized provider' });
    outs = created.outs!;
    expect(created.id).toBe(`${hosts.host('h1').address}:22`);
    expect(hosts.live('h1', 'net.core.somaxconn')).toBe('8192');
    expect(hosts.live('h1', 'net.ipv4.tcp_rmem')).toBe(`${defaults.rmem.split(' ').slice(0, 2).join(' ')} 8388608`);
    expect(hosts.tcpmemFile('h1')).toMatch(/^net\.core\.somaxconn = 8192$/m);
    expect(hosts.tcpmemFile('h1')).toMatch(/^net\.ipv4\.tcp_rmem = \d+ \d+ 8388608$/m);
    expect(outs).toMatchObject({
      applied: { 'net.core.somaxconn': [8192], 'net.ipv4.tcp_rmem': [expect.any(Number), expect.any(Number), 8388608] },
      kernelDefaults: { 'net.core.somaxconn': [Number(defaults.somaxconn)] },
      persistedFile: '/etc/sysctl.d/99-tcpmem.conf',
      kernelRelease: release,
      // tcp_mem exists only in the initial network namespace: left alone, and said so
      unavailable: ['net.ipv4.tcp_mem'],
      warnings: [expect.stringContaining('TCPMEM_SYSCTL_NOT_ON_HOST')],
    });
    expect(outs.kernelDefaults['net.ipv4.tcp_rmem']).toEqual(defaults.rmem.split(' ').map(Number));
    expect(outs).not.toHaveProperty('__provider');
  }, 60_000);

  it('diff then finds nothing to do: the inputs and the live host agree', async () => {
    await expect(provider.diff('id', state(outs), { ...h1Inputs(first), __provider: 'serialized provider' })).resolves.toEqual({ changes: false, deleteBeforeReplace: true });
  }, 30_000);

  it('diff sees a value written as another form of the same number as a change of inputs only, and update touches nothing', async () => {
    const same = { ...first, 'net.ipv4.tcp_rmem': { max: 8388608 } };
    await expect(provider.diff('id', state(outs), h1Inputs(same))).resolves.toMatchObject({ changes: true });
    const before = hosts.tcpmemFile('h1');
    outs = (await provider.update('id', state(outs), h1Inputs(same))).outs!;
    expect(hosts.tcpmemFile('h1')).toBe(before);
    await expect(provider.diff('id', state(outs), h1Inputs(same))).resolves.toMatchObject({ changes: false });
  }, 60_000);

  const second: Sysctls = { 'net.core.somaxconn': 16384, 'net.ipv4.tcp_wmem': ['4KiB', '32KiB', '2x'] };

  it('update applies new values, adds a setting and restores a setting left out to its kernel default', async () => {
    await expect(provider.diff('id', state(outs), h1Inputs(second))).resolves.toMatchObject({ changes: true });
    outs = (await provider.update('id', state(outs), h1Inputs(second))).outs!;
    expect(hosts.live('h1', 'net.core.somaxconn')).toBe('16384');
    const wmemMax = Number(defaults.wmem.split(' ')[2]) * 2;
    expect(hosts.live('h1', 'net.ipv4.tcp_wmem')).toBe(`4096 32768 ${wmemMax}`);
    expect(hosts.live('h1', 'net.ipv4.tcp_rmem')).toBe(defaults.rmem);
    expect(hosts.tcpmemFile('h1')).not.toContain('tcp_rmem');
    expect(outs.applied).toEqual({ 'net.core.somaxconn': [16384], 'net.ipv4.tcp_wmem': [4096, 32768, wmemMax] });
  }, 60_000);

  it('diff detects drift after an out-of-band change of a live value, and update repairs it', async () => {
    hosts.setLive('h1', 'net.core.somaxconn', '1024');
    await expect(provider.diff('id', state(outs), h1Inputs(second))).resolves.toEqual({ changes: true, deleteBeforeReplace: true });
    outs = (await provider.update('id', state(outs), h1Inputs(second))).outs!;
    expect(hosts.live('h1', 'net.core.somaxconn')).toBe('16384');
    await expect(provider.diff('id', state(outs), h1Inputs(second))).resolves.toMatchObject({ changes: false });
  }, 60_000);

  it('diff detects drift when tcpmem\'s file was removed (the values would be lost at boot)', async () => {
    hosts.removeTcpmemFile('h1');
    await expect(provider.diff('id', state(outs), h1Inputs(second))).resolves.toMatchObject({ changes: true });
    outs = (await provider.update('id', state(outs), h1Inputs(second))).outs!;
    expect(hosts.tcpmemFile('h1')).toMatch(/^net\.core\.somaxconn = 16384$/m);
  }, 60_000);

  it('read returns what the host holds now', async () => {
    hosts.setLive('h1', 'net.core.somaxconn', '2048');
    const read = await provider.read('id', state(outs));
    expect(read.props?.applied['net.core.somaxconn']).toEqual([2048]);
    expect(read.props?.kernelRelease).toBe(release);
    hosts.setLive('h1', 'net.core.somaxconn', '16384');
  }, 30_000);

  it('delete restores every managed setting\'s kernel default and removes tcpmem\'s file', async () => {
    await provider.delete('id', state(outs));
    expect(hosts.live('h1', 'net.core.somaxconn')).toBe(defaults.somaxconn);
    expect(hosts.live('h1', 'net.ipv4.tcp_wmem')).toBe(defaults.wmem);
    expect(hosts.live('h1', 'net.ipv4.tcp_rmem')).toBe(defaults.rmem);
    expect(hosts.tcpmemFile('h1')).toBeUndefined();
  }, 60_000);

  it('a second delete finds nothing to restore and succeeds', async () => {
    await expect(provider.delete('id', state(outs))).resolves.toBeUndefined();
  }, 30_000);
});

describe('connections', () => {
  it('reaches a host on port 2222 with a key file, a known_hosts file and no pinned key, as a fleet file would', async () => {
    const h2 = hosts.host('h2');
    const inputs: HostTcpMemoryInputs = {
      hostName: 'h2',
      address: h2.address,
      ssh: { user: hosts.state.user, port: h2.port, identityFile: hosts.state.identityFile, knownHostsFile: hosts.state.knownHosts },
      sysctls: { 'net.ipv4.tcp_max_syn_backlog': 2048 },
    };
    const before = hosts.live('h2', 'net.ipv4.tcp_max_syn_backlog');
    const created = await provider.create(inputs);
    expect(created.id).toBe(`${h2.address}:2222`);
    expect(hosts.live('h2', 'net.ipv4.tcp_max_syn_backlog')).toBe('2048');
    await provider.delete(created.id, created.outs);
    expect(hosts.live('h2', 'net.ipv4.tcp_max_syn_backlog')).toBe(before);
  }, 60_000);

  it('uses an encrypted private key with its passphrase, both given as secrets (in memory for reads, a private file for the apply)', async () => {
    const inputs = {
      ...h1Inputs({ 'net.core.somaxconn': 6000 }),
      privateKey: readFileSync(hosts.state.encryptedIdentityFile, 'utf8'),
      privateKeyPassphrase: readFileSync(hosts.state.passphraseFile, 'utf8').trim(),
    };
    const created = await provider.create(inputs);
    expect(hosts.live('h1', 'net.core.somaxconn')).toBe('6000');
    await expect(provider.diff(created.id, created.outs, inputs)).resolves.toMatchObject({ changes: false });
    await provider.delete(created.id, created.outs);
    expect(hosts.tcpmemFile('h1')).toBeUndefined();
  }, 60_000);

  it('leaves no key file behind: each call removes its private folder', () => {
    const sessions = readdirSync(tmpdir()).filter((name) => name.startsWith('tcpmem-pulumi-') && !name.startsWith('tcpmem-pulumi-it-'));
    expect(sessions).toEqual([]);
  });
});

describe('failures', () => {
  /** Runs an operation that must fail and returns its error, checking that no secret is in it. */
  async function failure(run: Promise<unknown>): Promise<Error> {
    const error = await run.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    if (error === undefined) throw new Error('expected the operation to fail');
    expect(error.message).not.toContain(key.split('\n')[1]);
    expect(error.message).not.toContain('PRIVATE KEY');
    return error;
  }

  it('check returns input errors as failures with property paths, and contacts nothing', async () => {
    const result = await provider.check({}, { ...h1Inputs({ 'net.core.somaxconn': 'many' as unknown as number }), ssh: { port: 0 }, hostKey: 'not a key' });
    expect(result.failures?.map((f: pulumi.dynamic.CheckFailure) => f.property).sort()).toEqual(['hostKey', 'ssh.port', 'sysctls["net.core.somaxconn"]']);
  });

  it('create refuses settings that do not fit the host read live, naming the input, and changes nothing', async () => {
    const error = await failure(provider.create(h1Inputs({ 'net.ipv4.tcp_rmem': ['16MiB', '1MiB', '4MiB'] })));
    expect(error.message).toMatch(/^TCPMEM_PULUMI_INVALID: h1 \(.*:22\): the desired settings do not fit this host:\n {2}- sysctls\["net\.ipv4\.tcp_rmem"\]: TCPMEM_TRIPLE_ORDER/);
    expect(hosts.tcpmemFile('h1')).toBeUndefined();
  }, 30_000);

  it('create fails before writing anything when tcpmem\'s file cannot be written, and says where the host was left', async () => {
    // (rollbacks after a failed write or persist are the engine's, tested in packages/apply/test/integration)
    const before = hosts.live('h1', 'net.core.somaxconn');
    hosts.run('readonly-sysctl-dir', 'h1', 'on');
    try {
      const error = await failure(provider.create(h1Inputs({ 'net.core.somaxconn': 9000 })));
      expect(error.message).toMatch(/^TCPMEM_PULUMI_APPLY_FAILED: applying h1 .* failed: TCPMEM_APPLY_UNWRITABLE/);
      expect(error.message).toContain('nothing was changed on the host');
    } finally {
      hosts.run('readonly-sysctl-dir', 'h1', 'off');
    }
    expect(hosts.live('h1', 'net.core.somaxconn')).toBe(before);
  }, 60_000);

  it('diff on an unreachable host fails with the transport\'s reason', async () => {
    const inputs: HostTcpMemoryInputs = { ...h1Inputs({ 'net.core.somaxconn': 8192 }), address: hosts.state.unreachableAddress, ssh: { user: hosts.state.user, connectTimeout: '1s', knownHostsFile: hosts.state.knownHosts } };
    delete (inputs as { hostKey?: string }).hostKey;
    const error = await failure(provider.diff('id', inputs, inputs));
    expect(error.message).toMatch(/^TCPMEM_PULUMI_UNREACHABLE: h1 \(198\.18\.\d+\.250:22\) could not be read: ssh 198\.18\.\d+\.250:22: .*(timed out|timeout)/i);
  }, 30_000);

  it('refuses a host whose key is not the pinned one', async () => {
    const inputs = { ...h1Inputs({}), hostKey: hosts.hostKey('h2') };
    const error = await failure(provider.create(inputs));
    expect(error.message).toMatch(/TCPMEM_PULUMI_UNREACHABLE: .*HOST KEY CHANGED/);
  }, 30_000);

  it('refuses a key the host does not authorize', async () => {
    const error = await failure(provider.create({ ...h1Inputs({}), privateKey: readFileSync(hosts.state.wrongIdentityFile, 'utf8') }));
    expect(error.message).toMatch(/TCPMEM_PULUMI_UNREACHABLE: .*authenticat/i);
  }, 30_000);
});
