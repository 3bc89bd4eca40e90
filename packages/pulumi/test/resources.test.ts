/**
 * Resource wiring under Pulumi's mocks (pulumi.runtime.setMocks): what the HostTcpMemory resource and the
 * TcpMemFleet component register, and what Pulumi would serialize as the dynamic provider. No engine, no host.
 */
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import * as pulumi from '@pulumi/pulumi';

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const registered: Registered[] = [];
const transformed: { name: string; opts: pulumi.CustomResourceOptions }[] = [];
const project = 'tcpmem-example';

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: { ...args.inputs, applied: { 'net.core.somaxconn': [8192] } } };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    project,
    'test',
    true,
  );
});

/** A transformation that records the options a resource is registered with. */
const record: pulumi.ResourceTransformation = (args) => {
  transformed.push({ name: args.name, opts: args.opts });
  return undefined;
};

// after setMocks: the SDK reads its settings when a resource is first made
import { HostTcpMemory, hostProviderOperations, TcpMemFleet } from '../src';

const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n';
const examples = path.resolve(__dirname, '../../../examples');

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}
async function settled(resource: pulumi.Resource): Promise<void> {
  await value(resource.urn);
}
const byName = (name: string): Registered => {
  const found = registered.findLast((r) => r.name === name);
  if (found === undefined) throw new Error(`${name} was not registered; registered: ${registered.map((r) => r.name).join(', ')}`);
  return found;
};
/** A secret as the mock monitor passes it: `{<sig>: <secret sig>, value}`. */
const isSecretValue = (v: unknown): boolean => typeof v === 'object' && v !== null && (v as Record<string, unknown>)['4dabf18193072939515e22adb298388d'] === '1b47061264138c4ac30d75fd1eb44270';

describe('HostTcpMemory', () => {
  it('registers a dynamic resource of type tcpmem:HostTcpMemory with the inputs as given and the host name defaulting to its name', async () => {
    const host = new HostTcpMemory('web-1', { address: '198.51.100.10', ssh: { user: 'deploy', port: 2222 }, sysctls: { 'net.core.somaxconn': 8192, 'net.ipv4.tcp_rmem': { max: '16MiB' } } });
    await settled(host);
    expect(await value(host.urn)).toBe(`urn:pulumi:test::${project}::pulumi-nodejs:dynamic/tcpmem:HostTcpMemory::web-1`);
    const r = byName('web-1');
    expect(r.type).toBe('pulumi-nodejs:dynamic/tcpmem:HostTcpMemory');
    expect(r.inputs).toMatchObject({ hostName: 'web-1', address: '198.51.100.10', ssh: { user: 'deploy', port: 2222 }, sysctls: { 'net.core.somaxconn': 8192, 'net.ipv4.tcp_rmem': { max: '16MiB' } } });
    expect(await value(host.hostName)).toBe('web-1');
    expect(await value(host.applied)).toEqual({ 'net.core.somaxconn': [8192] });
  });

  it('takes Pulumi inputs (outputs of other resources) for any argument', async () => {
    const host = new HostTcpMemory('from-outputs', { hostName: pulumi.output('db-7'), address: pulumi.output('198.51.100.17'), sysctls: pulumi.output({ 'net.core.somaxconn': 1024 }) });
    await settled(host);
    expect(byName('from-outputs').inputs).toMatchObject({ hostName: 'db-7', address: '198.51.100.17', sysctls: { 'net.core.somaxconn': 1024 } });
  });

  it('makes the private key and its passphrase secrets, and asks Pulumi to keep them secret among the outputs', async () => {
    const host = new HostTcpMemory('secret-1', { address: '198.51.100.11', privateKey: key, privateKeyPassphrase: 'hunter2' }, { transformations: [record] });
    await settled(host);
    const r = byName('secret-1');
    expect(isSecretValue(r.inputs['privateKey'])).toBe(true);
    expect(isSecretValue(r.inputs['privateKeyPassphrase'])).toBe(true);
    expect(await pulumi.isSecret((host as unknown as { privateKey: pulumi.Output<string> }).privateKey)).toBe(true);
    expect(transformed.find((t) => t.name === 'secret-1')?.opts.additionalSecretOutputs).toEqual(['privateKey', 'privateKeyPassphrase']);
  });

  it('keeps the caller\'s options next to its own', async () => {
    const host = new HostTcpMemory('protected-1', { address: '198.51.100.12' }, { protect: true, additionalSecretOutputs: ['hostKey'], transformations: [record] });
    await settled(host);
    expect(transformed.find((t) => t.name === 'protected-1')?.opts).toMatchObject({ protect: true, additionalSecretOutputs: ['hostKey', 'privateKey', 'privateKeyPassphrase'] });
  });
});

describe('the serialized provider', () => {
  let text: string;
  beforeAll(async () => {
    await settled(new HostTcpMemory('serialized', { address: '198.51.100.13', privateKey: key }));
    text = String(byName('serialized').inputs['__provider']);
  });

  it('is a few kilobytes that load the implementation by package name, capturing no module, client or secret', () => {
    expect(text.length).toBeLessThan(8 * 1024);
    expect(text).toContain("require('@tcpmem/pulumi')");
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toMatch(/ssh2|SshTransport|Client|__awaiter|createKernelLookup/);
  });

  it('is the same for every resource (Pulumi serializes it once)', async () => {
    await settled(new HostTcpMemory('serialized-2', { address: '198.51.100.14' }));
    expect(byName('serialized-2').inputs['__provider']).toBe(text);
  });

  it('runs as Pulumi runs it: evaluated alone, its methods call this package\'s operations', async () => {
    // Pulumi's provider process evaluates the text with require-from-string; here `require` resolves the
    // package name to this package's sources.
    const module = new Module('serialized-provider');
    const requireHere = (name: string): unknown => (name === '@tcpmem/pulumi' ? { hostProviderOperations } : jest.requireActual(name));
    const load = new vm.Script(`(function (exports, require, module) {\n${text}\n})`).runInThisContext() as (e: unknown, r: unknown, m: unknown) => void;
    load(module.exports, requireHere, module);
    const provider = (module.exports as { handler: () => pulumi.dynamic.ResourceProvider }).handler();
    const result = await provider.check!({}, { hostName: 'web-1', address: 'a', ssh: { port: 0 } });
    expect(result.failures).toEqual([{ property: 'ssh.port', reason: expect.stringContaining('TCPMEM_SCHEMA: port must be >= 1') }]);
  });
});

describe('TcpMemFleet', () => {
  it('declares one host resource per host of a config repo, parented to the component, with the layered settings', async () => {
    const fleet = new TcpMemFleet('web', { config: path.join(examples, 'web-fleet'), privateKey: key });
    await Promise.all(Object.values(fleet.hosts).map(settled));
    expect(Object.keys(fleet.hosts).sort()).toEqual(['cache-1', 'cache-2', 'web-1', 'web-2', 'web-3', 'web-4']);
    expect(await value(fleet.hosts['web-2']!.urn)).toBe(`urn:pulumi:test::${project}::tcpmem:index:TcpMemFleet$pulumi-nodejs:dynamic/tcpmem:HostTcpMemory::web-web-2`);
    expect(byName('web-cache-2').inputs).toMatchObject({
      hostName: 'cache-2',
      address: '192.0.2.22',
      ssh: { user: 'deploy', identityFile: '~/.ssh/tcpmem_ed25519', sudo: true },
      hardware: { memory: '64GiB' },
      sysctls: { 'net.core.somaxconn': 8192, 'net.ipv4.tcp_mem': { low: '3%', pressure: '4%', high: '6%' } },
    });
    expect(isSecretValue(byName('web-cache-2').inputs['privateKey'])).toBe(true);
  });

  it('pins host keys by host name, in place of the config\'s known_hosts file', async () => {
    const fleet = new TcpMemFleet('pinned', {
      config: { kind: 'fleet', defaults: { ssh: { knownHostsFile: '/etc/ssh/ssh_known_hosts', user: 'ops' } }, hosts: { a: { address: 'a.example' }, b: { address: 'b.example' } } },
      hostKeys: { a: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' },
    });
    await Promise.all(Object.values(fleet.hosts).map(settled));
    expect(byName('pinned-a').inputs).toMatchObject({ hostKey: expect.stringMatching(/^ssh-ed25519 /), ssh: { user: 'ops' } });
    expect((byName('pinned-a').inputs['ssh'] as Record<string, unknown>)['knownHostsFile']).toBeUndefined();
    expect(byName('pinned-b').inputs).toMatchObject({ ssh: { knownHostsFile: '/etc/ssh/ssh_known_hosts' } });
  });

  it('declares nothing for a broken config and says what is wrong and where', () => {
    expect(() => new TcpMemFleet('broken', { config: path.join(__dirname, 'fixtures/broken-fleet/fleet.yaml') })).toThrow(/fleet\.yaml:6:\d+: error TCPMEM_SCHEMA: net\.core\.somaxconn has an invalid form \(at \/hosts\/web-1\/sysctls\/net\.core\.somaxconn\)/);
    expect(registered.some((r) => r.name.startsWith('broken-'))).toBe(false);
  });
});

describe('examples/pulumi', () => {
  it('declares its two hosts and the hosts of its fleet file, every one valid for check', async () => {
    for (const [k, v] of Object.entries({ sshPrivateKey: key, db1Address: '198.51.100.31', db1HostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', dtn1Address: '198.51.100.32', dtn1HostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' })) {
      pulumi.runtime.setConfig(`${project}:${k}`, v);
    }
    const program = jest.requireActual<Record<string, unknown>>(path.join(examples, 'pulumi/index.ts'));
    await value(pulumi.output(program['webApplied']));
    const names = ['db-1', 'dtn-1', 'web-web-1', 'web-web-2'];
    for (const name of names) {
      const inputs = byName(name).inputs;
      const plain = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, isSecretValue(v) ? (v as { value: unknown }).value : v]));
      const checked = await hostProviderOperations.check({}, plain);
      expect({ name, failures: checked.failures }).toEqual({ name, failures: undefined });
    }
    expect(byName('web-web-1').inputs).toMatchObject({ sysctls: { 'net.ipv4.tcp_max_syn_backlog': 8192, 'net.ipv4.tcp_rmem': { max: '8MiB' } } });
  });
});
