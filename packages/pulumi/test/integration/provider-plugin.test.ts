/**
 * The provider as Pulumi runs it, short of the engine (whose CLI cannot be installed from npm here): the plugin
 * `pulumi-resource-pulumi-nodejs` that @pulumi/pulumi ships, started from the example project's folder, is sent
 * the gRPC calls the engine sends (Configure, Check, Diff, Create, Update, Delete) with the serialized provider
 * in `__provider`, exactly as a `pulumi up` would; the host is one of the SSH test hosts. This proves that the
 * serialized provider runs alone in another process, finds @tcpmem/pulumi by name from the program's folder,
 * and that results cross the wire (check failures with paths, diff verdicts, outputs).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import type { HostTcpMemoryInputs } from '../../src';
import { hostTcpMemoryProvider } from '../../src/host-tcp-memory';
import { TestHosts } from './test-hosts';

const fromPulumi = createRequire(require.resolve('@pulumi/pulumi'));
const grpc = fromPulumi('@grpc/grpc-js');
const providerRpc = fromPulumi('./proto/provider_grpc_pb');
const providerPb = fromPulumi('./proto/provider_pb');
const { Struct } = fromPulumi('google-protobuf/google/protobuf/struct_pb');

const packageDir = path.resolve(__dirname, '../..');
const exampleDir = path.resolve(packageDir, '../../examples/pulumi');
const urn = 'urn:pulumi:it::tcpmem-example::pulumi-nodejs:dynamic/tcpmem:HostTcpMemory::h1';

let hosts: TestHosts;
let plugin: ChildProcess | undefined;
let client: any;
let serialized: string;

/** Calls one RPC of the plugin and resolves with its response. */
function call(method: string, request: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    client[method](request, (error: Error | null, response: unknown) => (error === null ? resolve(response) : reject(error)));
  });
}

beforeAll(async () => {
  // The plugin loads @tcpmem/pulumi from node_modules, which is this package's build.
  execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: packageDir, stdio: ['ignore', 'ignore', 'pipe'] });
  hosts = TestHosts.up(1);
  serialized = (await pulumi.runtime.serializeFunction(() => hostTcpMemoryProvider, { allowSecrets: false })).text;
  const started = spawn('sh', [path.join(path.dirname(require.resolve('@pulumi/pulumi')), 'pulumi-resource-pulumi-nodejs'), '127.0.0.1:1'], {
    cwd: exampleDir,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group: the script's node child is stopped with it
  });
  const port = await new Promise<string>((resolve, reject) => {
    started.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    started.once('exit', (code) => reject(new Error(`the plugin exited with ${String(code)}`)));
  });
  plugin = started;
  client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const configure = new providerPb.ConfigureRequest();
  configure.setArgs(Struct.fromJavaScript({}));
  await call('configure', configure);
}, 180_000);

afterAll(async () => {
  client?.close();
  const running = plugin;
  if (running?.pid !== undefined && running.exitCode === null) {
    const exited = new Promise((resolve) => running.once('exit', resolve));
    process.kill(-running.pid, 'SIGTERM');
    await exited;
  }
  hosts.down();
}, 120_000);

function inputs(sysctls: HostTcpMemoryInputs['sysctls']): Record<string, unknown> {
  const h1 = hosts.host('h1');
  return {
    hostName: 'h1',
    address: h1.address,
    ssh: { user: hosts.state.user, port: h1.port },
    // secrets reach a dynamic provider as plain values: it does not accept secrets, so the engine unwraps them
    privateKey: readFileSync(hosts.state.identityFile, 'utf8'),
    hostKey: hosts.hostKey('h1'),
    sysctls,
    __provider: serialized,
  };
}

const struct = (value: Record<string, unknown>) => Struct.fromJavaScript(value);

describe('the pulumi-nodejs dynamic provider plugin running HostTcpMemory', () => {
  let state: Record<string, unknown>;
  let id: string;
  let somaxconnDefault: string;

  it('returns check failures with property paths', async () => {
    const request = new providerPb.CheckRequest();
    request.setUrn(urn);
    request.setOlds(struct({}));
    request.setNews(struct({ ...inputs({ 'net.core.somaxconn': 'many' as unknown as number }), ssh: { port: 0 } }));
    const response = await call('check', request);
    const failures = response.getFailuresList().map((f: any) => f.getProperty()).sort();
    expect(failures).toEqual(['ssh.port', 'sysctls["net.core.somaxconn"]']);
  }, 60_000);

  it('checks, creates and reports outputs', async () => {
    somaxconnDefault = hosts.live('h1', 'net.core.somaxconn');
    const check = new providerPb.CheckRequest();
    check.setUrn(urn);
    check.setOlds(struct({}));
    check.setNews(struct(inputs({ 'net.core.somaxconn': 8192 })));
    const checked = await call('check', check);
    expect(checked.getFailuresList()).toEqual([]);

    const create = new providerPb.CreateRequest();
    create.setUrn(urn);
    create.setProperties(checked.getInputs());
    const created = await call('create', create);
    id = created.getId();
    state = created.getProperties().toJavaScript();
    expect(id).toBe(`${hosts.host('h1').address}:22`);
    expect(state).toMatchObject({ applied: { 'net.core.somaxconn': [8192] }, persistedFile: '/etc/sysctl.d/99-tcpmem.conf', __provider: serialized });
    expect(hosts.live('h1', 'net.core.somaxconn')).toBe('8192');
  }, 60_000);

  it('diffs: none right after, some after an out-of-band change, a replacement for a new port', async () => {
    const diff = async (news: Record<string, unknown>) => {
      const request = new providerPb.DiffRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setOlds(struct(state));
      request.setNews(struct(news));
      const response = await call('diff', request);
      return { changes: response.getChanges(), replaces: response.getReplacesList(), deleteBeforeReplace: response.getDeletebeforereplace() };
    };
    expect(await diff(inputs({ 'net.core.somaxconn': 8192 }))).toEqual({ changes: providerPb.DiffResponse.DiffChanges.DIFF_NONE, replaces: [], deleteBeforeReplace: true });
    hosts.setLive('h1', 'net.core.somaxconn', '1000');
    expect((await diff(inputs({ 'net.core.somaxconn': 8192 }))).changes).toBe(providerPb.DiffResponse.DiffChanges.DIFF_SOME);
    expect(await diff({ ...inputs({ 'net.core.somaxconn': 8192 }), ssh: { user: hosts.state.user, port: 2200 } })).toEqual({ changes: providerPb.DiffResponse.DiffChanges.DIFF_SOME, replaces: ['ssh'], deleteBeforeReplace: true });
  }, 60_000);

  it('updates, then deletes: the kernel default is back and tcpmem\'s file is gone', async () => {
    const update = new providerPb.UpdateRequest();
    update.setId(id);
    update.setUrn(urn);
    update.setOlds(struct(state));
    update.setNews(struct(inputs({ 'net.core.somaxconn': 12000 })));
    state = (await call('update', update)).getProperties().toJavaScript();
    expect(hosts.live('h1', 'net.core.somaxconn')).toBe('12000');

    const del = new providerPb.DeleteRequest();
    del.setId(id);
    del.setUrn(urn);
    del.setProperties(struct(state));
    await call('delete', del);
    expect(hosts.live('h1', 'net.core.somaxconn')).toBe(somaxconnDefault);
    expect(hosts.tcpmemFile('h1')).toBeUndefined();
  }, 60_000);

  it('carries a failed apply back as an error that says what happened and holds no secret', async () => {
    const create = new providerPb.CreateRequest();
    create.setUrn(urn);
    create.setProperties(struct({ ...inputs({ 'net.core.somaxconn': 8192 }), hostKey: hosts.hostKey('h1').replace(/AAAA[A-Za-z0-9+/]{8}/, 'AAAAC3NzaC1lZDI1') }));
    const error = await call('create', create).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/TCPMEM_PULUMI_UNREACHABLE/);
    expect(error?.message).not.toContain('PRIVATE KEY');
  }, 60_000);
});
