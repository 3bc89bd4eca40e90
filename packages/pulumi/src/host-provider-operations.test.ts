import * as pulumi from '@pulumi/pulumi';
import { containsUnknown, hostProviderOperations, sameCanonical } from './host-provider-operations';

const unknown = pulumi.runtime.unknownValue;
const state = {
  hostName: 'web-1',
  address: '198.51.100.10',
  ssh: { user: 'deploy', port: 22 },
  sysctls: { 'net.core.somaxconn': 8192 },
  __provider: 'exports.handler = …',
  applied: { 'net.core.somaxconn': [8192] },
};

describe('hostProviderOperations.check', () => {
  it('returns the inputs without Pulumi\'s __provider, and no failures for valid inputs', async () => {
    const result = await hostProviderOperations.check({}, { hostName: 'web-1', address: 'web-1.example', __provider: 'x' });
    expect(result).toEqual({ inputs: { hostName: 'web-1', address: 'web-1.example' } });
  });

  it('returns every error as a failure at its property path', async () => {
    const result = await hostProviderOperations.check({}, { hostName: 'web-1', address: 'a', ssh: { port: 70000 }, sysctls: { 'net.ipv4.tcp_rmem': { top: 1 } } });
    expect(result.failures?.map((f) => f.property).sort()).toEqual(['ssh.port', 'sysctls["net.ipv4.tcp_rmem"].top']);
  });

  it('leaves inputs that are not known yet (a preview) for the check that runs once they are', async () => {
    const result = await hostProviderOperations.check({}, { hostName: 'web-1', address: unknown, ssh: { port: 0 } });
    expect(result.failures).toBeUndefined();
  });
});

describe('hostProviderOperations.diff, before any host is read', () => {
  it.each([
    ['a new address', { address: '198.51.100.11' }, ['address']],
    ['a new SSH port', { ssh: { user: 'deploy', port: 2222 } }, ['ssh']],
    ['an address not known yet', { address: unknown }, ['address']],
    ['a port not known yet', { ssh: { user: 'deploy', port: unknown } }, ['ssh']],
  ])('replaces the resource for %s, releasing the old host first', async (_what, change, replaces) => {
    await expect(hostProviderOperations.diff('id', state, { ...state, ...change })).resolves.toEqual({ changes: true, replaces, deleteBeforeReplace: true });
  });

  it('treats port 22 and no port as the same', async () => {
    // the address differs, so the diff ends before the live read; only the replacement of `address` shows
    await expect(hostProviderOperations.diff('id', state, { ...state, address: 'x', ssh: { user: 'deploy' } })).resolves.toMatchObject({ replaces: ['address'] });
  });

  it('reports an update, without reading the host, when other inputs are not known yet', async () => {
    await expect(hostProviderOperations.diff('id', state, { ...state, sysctls: unknown })).resolves.toEqual({ changes: true, deleteBeforeReplace: true });
  });
});

describe('canonical comparison', () => {
  it.each([
    [{ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: '8MiB' }, { a: 8388608 }, false],
  ])('%j and %j are the same: %s', (a, b, same) => {
    expect(sameCanonical(a, b)).toBe(same);
  });

  it('finds Pulumi\'s unknown marker at any depth', () => {
    expect(containsUnknown({ a: [{ b: unknown }] })).toBe(true);
    expect(containsUnknown({ a: [{ b: 'known' }] })).toBe(false);
  });
});
