/**
 * A dry run (Pulumi's preview) never writes to a host: with the runtime in preview mode, create and update plan
 * the host from a live, read-only read and apply the plan to the kernel model (the engine's model executor).
 */
import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { hostProviderOperations as provider, type HostTcpMemoryInputs } from '../../src';
import { TestHosts } from './test-hosts';

let hosts: TestHosts;

beforeAll(async () => {
  hosts = TestHosts.up(1);
  // preview = true: pulumi.runtime.isDryRun() is true from here on, as in a program's preview
  await pulumi.runtime.setMocks({ newResource: (args) => ({ id: args.name, state: args.inputs as Record<string, unknown> }), call: (args) => args.inputs as Record<string, unknown> }, 'tcpmem-preview', 'it', true);
}, 180_000);

afterAll(() => {
  hosts.down();
}, 120_000);

it('create in a preview predicts the outputs from the kernel model and leaves the host as it was', async () => {
  expect(pulumi.runtime.isDryRun()).toBe(true);
  const h1 = hosts.host('h1');
  const inputs: HostTcpMemoryInputs = {
    hostName: 'h1',
    address: h1.address,
    ssh: { user: hosts.state.user, port: h1.port },
    privateKey: readFileSync(hosts.state.identityFile, 'utf8'),
    hostKey: hosts.hostKey('h1'),
    sysctls: { 'net.core.somaxconn': 8192, 'net.ipv4.tcp_wmem': { max: '2x' } },
  };
  const before = { somaxconn: hosts.live('h1', 'net.core.somaxconn'), wmem: hosts.live('h1', 'net.ipv4.tcp_wmem') };
  const created = await provider.create(inputs);
  const wmem = before.wmem.split(' ').map(Number);
  expect(created.outs?.applied).toEqual({ 'net.core.somaxconn': [8192], 'net.ipv4.tcp_wmem': [wmem[0], wmem[1], wmem[2]! * 2] });
  expect(hosts.live('h1', 'net.core.somaxconn')).toBe(before.somaxconn);
  expect(hosts.live('h1', 'net.ipv4.tcp_wmem')).toBe(before.wmem);
  expect(hosts.tcpmemFile('h1')).toBeUndefined();
}, 60_000);
