import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../run-cli';
import { CliTestHosts } from './cli-test-hosts';

/**
 * `tcpmem discover` writing facts files while it reads hosts (real sshd in network namespaces,
 * test-hosts/netns-hosts.sh): files are written off the event loop, several at once, and a file that cannot be
 * written ends the run cleanly.
 */
let hosts: CliTestHosts;

beforeAll(() => {
  hosts = new CliTestHosts(4, '/tmp/tcpmem-discover-live-');
}, 120_000);

afterAll(() => hosts.down(), 120_000);

const factsDir = (): string => path.join(hosts.configDir, 'facts');
const listing = (): string[] => fs.readdirSync(factsDir()).sort();

beforeEach(() => fs.rmSync(factsDir(), { recursive: true, force: true }));

it('writes every host\'s facts file whole, four at once, and leaves no temporary file', () => {
  const fleet = hosts.writeFleet({ sysctls: ['net.core.somaxconn: 4096'] });
  const run = runCli(['discover', fleet, '--parallelism', '4']);
  expect(run.stderr).not.toContain('cannot write');
  expect(run.status).toBe(0);
  expect(listing()).toEqual(['h1.json', 'h2.json', 'h3.json', 'h4.json']);
  for (const name of ['h1', 'h2', 'h3', 'h4']) {
    const document = JSON.parse(fs.readFileSync(path.join(factsDir(), `${name}.json`), 'utf8')) as { kind: string; host: string; facts: { zoneinfo?: string } };
    expect(document).toMatchObject({ kind: 'facts', host: name });
    expect(document.facts.zoneinfo).toContain('Node 0, zone');
  }
  // and an offline plan reads them all
  expect(runCli(['plan', fleet, '--offline']).status).toBe(0);
}, 120_000);

it('writes again a facts file cut short, which plan refuses saying how, and reads no facts file to do it', () => {
  const fleet = hosts.writeFleet({ sysctls: ['net.core.somaxconn: 4096'] });
  expect(runCli(['discover', fleet, '--parallelism', '4']).status).toBe(0);
  const cut = path.join(factsDir(), 'h2.json');
  fs.writeFileSync(cut, fs.readFileSync(cut).subarray(0, 3000));
  // a stale facts file of a host removed from the fleet, left in conflict by a merge: not read either
  fs.writeFileSync(path.join(factsDir(), 'gone.json'), '<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n');

  const refused = runCli(['plan', fleet, '--offline']);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain(`${cut}:`);
  expect(refused.stderr).toContain(`write it again with \`tcpmem discover ${fleet} --target h2\``);

  const again = runCli(['discover', fleet, '--target', 'h2']);
  expect(again.stderr).not.toContain('error');
  expect(again.status).toBe(0);
  expect(JSON.parse(fs.readFileSync(cut, 'utf8'))).toMatchObject({ kind: 'facts', host: 'h2' });
  fs.rmSync(path.join(factsDir(), 'gone.json'));
  expect(runCli(['plan', fleet, '--offline']).status).toBe(0);
}, 120_000);

it('stops at a facts file that cannot be written: exit 69 naming the file, the hosts after it not read, no temporary file left', () => {
  const fleet = hosts.writeFleet({ sysctls: ['net.core.somaxconn: 4096'] });
  // A folder where h2's facts file goes: the rename onto it fails (EISDIR), after h2 was read.
  fs.mkdirSync(path.join(factsDir(), 'h2.json'), { recursive: true });
  const run = runCli(['discover', fleet, '--parallelism', '1']);
  expect(run.status).toBe(69);
  expect(run.stderr).toContain(`cannot write ${path.join(factsDir(), 'h2.json')}: EISDIR`);
  // h1 came before and is written whole; h3 and h4 come after and were not read.
  expect(listing()).toEqual(['h1.json', 'h2.json']);
  expect(JSON.parse(fs.readFileSync(path.join(factsDir(), 'h1.json'), 'utf8'))).toMatchObject({ kind: 'facts', host: 'h1' });
  expect(fs.readdirSync(path.join(factsDir(), 'h2.json'))).toEqual([]);
  const discovered = run.stderr.split('\n').filter((line) => /^\[\d+\/4\]/.test(line));
  expect(discovered).toEqual([expect.stringContaining('h1: ')]);
}, 120_000);
