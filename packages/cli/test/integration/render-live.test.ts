import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../run-cli';
import { CliTestHosts } from './cli-test-hosts';

/**
 * `tcpmem render` against what `tcpmem apply` really writes: a host of real sshd in a network namespace
 * (test-hosts/netns-hosts.sh) is discovered, rendered from its facts, then the same config is applied to it over
 * SSH, and the file on the host is compared with the rendered text byte for byte.
 */
let hosts: CliTestHosts;

beforeAll(() => {
  hosts = new CliTestHosts(2, '/tmp/tcpmem-render-live-');
}, 120_000);

afterAll(() => hosts.down(), 120_000);

/**
 * A fleet of the harness's hosts with per-netns settings only: a whole-host one (tcp_mem) is not in a network
 * namespace, which apply reports as unavailable and leaves out of the file, while facts (which fill in the model's
 * defaults) do not say it is missing — see docs/scale.md.
 */
const writeFleet = (sysctls: readonly string[]): string => hosts.writeFleet({ connectTimeout: '2s', sysctls });

it.each([
  ['relative and absolute per-netns settings', ['net.ipv4.tcp_rmem: { max: 8MiB }', 'net.ipv4.tcp_wmem: { default: 2x }', 'net.core.somaxconn: 6000']],
  ['scalars only, one of them lowered below the default', ['net.ipv4.tcp_max_syn_backlog: 4096', 'net.ipv4.tcp_limit_output_bytes: 524288']],
])('renders, from discovered facts, exactly the file apply then writes on the host: %s', (_what, sysctls) => {
  const fleet = writeFleet(sysctls);
  const host = hosts.host('h1');
  fs.rmSync(path.join(hosts.configDir, 'facts'), { recursive: true, force: true });
  expect(runCli(['discover', fleet]).status).toBe(0);

  const rendered = runCli(['render', fleet, '--host', host.name]);
  expect(rendered.stderr).toBe('');
  expect(rendered.status).toBe(0);
  const out = path.join(hosts.work, `${host.name}.conf`);
  expect(runCli(['render', fleet, '--host', host.name, '--out', out]).status).toBe(0);
  expect(fs.readFileSync(out, 'utf8')).toBe(rendered.stdout);

  const applied = runCli(['apply', fleet, '--auto-approve', '--json']);
  expect(applied.status).toBe(0);
  expect(JSON.parse(applied.stdout)).toMatchObject({ summary: { applied: 2, failed: 0 } });
  const onHost = fs.readFileSync(path.join(host.sysctlDir, '99-tcpmem.conf'));
  expect(onHost.equals(Buffer.from(rendered.stdout, 'utf8'))).toBe(true);
  expect(onHost.toString('utf8')).toBe(rendered.stdout);

  // the file on the host is what the rendered lines say, and a fresh render (facts of the applied host) is the same
  expect(runCli(['discover', fleet]).status).toBe(0);
  expect(runCli(['render', fleet, '--host', host.name]).stdout).toBe(rendered.stdout);
}, 120_000);
