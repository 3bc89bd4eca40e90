import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostPlan } from '@tcpmem/schema';
import { calibrationsFromFacts, configDigestOf, createKernelLookup, loadFleet, planFleet, type FleetModel } from '../src';
import { preparedFactsOf } from '../src/resolve/prepared-facts';

// Discovered facts as `tcpmem discover` writes them, from real boots (kernel-model's QEMU captures).
const fixture = path.join(__dirname, '..', '..', 'kernel-model', 'fixtures', 'qemu');
const read = (id: string, file: string): string => fs.readFileSync(path.join(fixture, id, file), 'utf8');
const release = (id: string): string => (JSON.parse(read(id, 'case.json')) as { kernel: { release: string } }).kernel.release;

function factsFile(host: string, id: string, options: { bootLog?: boolean; freePages?: number; capturedAt?: string } = {}): string {
  const zoneinfo = options.freePages === undefined ? read(id, 'zoneinfo') : read(id, 'zoneinfo').replace(/^(\s+pages free\s+)\d+/gm, `$1${options.freePages}`);
  const facts = {
    release: release(id),
    version: read(id, 'version').trim(),
    meminfo: read(id, 'meminfo'),
    zoneinfo,
    cpus: 2,
    pageSize: 4096,
    sysctls: JSON.parse(read(id, 'sysctls.json')) as Record<string, string>,
    ...(options.bootLog === false ? {} : { dmesg: read(id, 'dmesg.txt') }),
  };
  return `${JSON.stringify({ kind: 'facts', version: 1, host, capturedAt: options.capturedAt ?? '2026-12-01T00:00:00Z', facts }, null, 2)}\n`;
}

const fleetYaml = (hosts: string): string => `kind: fleet\nname: discovered\ndefaults:\n  sysctls:\n    net.ipv4.tcp_rmem: { max: 16MiB }\n    net.core.somaxconn: 8192\nhosts:\n${hosts}`;

/** Three discovered hosts: two of one machine (their free pages differ), one of another without a boot log. */
const discovered = (named: boolean): Record<string, string> => ({
  'fleet.yaml': fleetYaml(['web-1', 'web-2', 'db-1'].map((h) => `  ${h}: ${named ? `{ facts: facts/${h}.json }` : '{}'}\n`).join('')),
  'facts/web-1.json': factsFile('web-1', 'v612-cloud-2g', { freePages: 1000 }),
  'facts/web-2.json': factsFile('web-2', 'v612-cloud-2g', { freePages: 2000 }),
  'facts/db-1.json': factsFile('db-1', 'v61-cloud-1g', { bootLog: false }),
});

function plan(fleet: FleetModel): HostPlan[] {
  const inputs = { mode: 'offline' as const, createdAt: 'now', tcpmemVersion: 'test', configPath: 'fleet.yaml', digest: undefined, observations: new Map(), problems: [] };
  return planFleet(fleet, { ...inputs, kernelFor: createKernelLookup(undefined, calibrationsFromFacts(fleet.facts)), hostIndexes: fleet.hosts.map((_, i) => i) }).hosts;
}

describe('discovered facts read once', () => {
  const dirs: string[] = [];
  const make = (files: Record<string, string>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-facts-once-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('plans hosts from facts prepared at load exactly as from their whole bodies (and from the files hosts name)', () => {
    const folder = loadFleet(path.join(make(discovered(false)), 'fleet.yaml'));
    const named = loadFleet(path.join(make(discovered(true)), 'fleet.yaml'));
    expect(folder.problems).toEqual([]);
    expect(named.problems).toEqual([]);
    const strip = (hosts: HostPlan[]): unknown => JSON.parse(JSON.stringify(hosts).replaceAll(/"file":"[^"]*\/facts\//g, '"file":"facts/'));
    const fromFolder = plan(folder.fleet!);
    expect(fromFolder.map((h) => h.status)).toEqual(['ok', 'ok', 'ok']);
    expect(strip(fromFolder)).toEqual(strip(plan(named.fleet!)));
  });

  it('reads no facts file again for an offline plan but the first host of a release with a boot log (calibration)', () => {
    const dir = make(discovered(false));
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    const before = plan(load.fleet!);
    // Neither web-2 (web-1 teaches its release) nor db-1 (no boot log) is read again: their files may be gone.
    fs.rmSync(path.join(dir, 'facts', 'web-2.json'));
    fs.rmSync(path.join(dir, 'facts', 'db-1.json'));
    expect(plan(load.fleet!)).toEqual(before);
  });

  it('keeps the facts a host names prepared, as a facts folder\'s, and plans them the same (files outside a facts/ folder)', () => {
    const files = discovered(true);
    const elsewhere = Object.fromEntries(Object.entries(files).map(([name, text]) => [name.replace(/^facts\//, 'discovered/'), name === 'fleet.yaml' ? text.replaceAll('facts/', 'discovered/') : text]));
    const dir = make(elsewhere);
    const named = loadFleet(path.join(dir, 'fleet.yaml'));
    expect(named.problems).toEqual([]);
    for (const host of ['web-1', 'web-2', 'db-1']) {
      const prepared = preparedFactsOf(named.fleet!.facts.get(host)!.value);
      expect(prepared?.kernel.texts.zones?.length).toBeGreaterThan(0);
      expect(prepared?.facts.zoneinfo).toBeUndefined();
    }
    const before = plan(named.fleet!);
    expect(before.map((h) => h.status)).toEqual(['ok', 'ok', 'ok']);
    const strip = (hosts: HostPlan[]): unknown => JSON.parse(JSON.stringify(hosts).replaceAll(/"file":"[^"]*\/(facts|discovered)\//g, '"file":"facts/'));
    expect(strip(before)).toEqual(strip(plan(loadFleet(path.join(make(discovered(false)), 'fleet.yaml')).fleet!)));
    // Read once: neither web-2 (web-1 teaches its release) nor db-1 (no boot log) is read again.
    fs.rmSync(path.join(dir, 'discovered', 'web-2.json'));
    fs.rmSync(path.join(dir, 'discovered', 'db-1.json'));
    expect(plan(named.fleet!)).toEqual(before);
  });

  it('a facts file changed between the load and its second read is an error asking to plan again', () => {
    const dir = make(discovered(false));
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    fs.writeFileSync(path.join(dir, 'facts', 'web-1.json'), factsFile('web-1', 'v612-cloud-2g', { capturedAt: '2026-12-02T00:00:00Z' }));
    expect(() => calibrationsFromFacts(load.fleet!.facts)).toThrow(/web-1\.json changed while tcpmem was planning .*; plan again/);
  });

  it.each([
    ['facts beside config files', discovered(false)],
    ['an included file named before the facts, and a walked file that is no tcpmem document', { ...discovered(false), 'fleet.yaml': `include: [a/]\n${discovered(false)['fleet.yaml']!}`, 'a/hosts.yaml': 'kind: fleet\nhosts:\n  x: {}\n', 'a/notes.yaml': 'title: not tcpmem\n' }],
    ['config files only', { 'fleet.yaml': `include: [more/hosts.yaml]\n${fleetYaml('  a: { hardware: { kernel: "6.1", memory: 4GiB } }\n')}`, 'more/hosts.yaml': 'kind: fleet\nhosts:\n  b: {}\n' }],
  ])('the digest made from the load\'s reads is the digest of the files read again: %s', (_what, files) => {
    const dir = make(files);
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    const hash = createHash('sha256');
    for (const file of [...load.fleet!.files].sort()) hash.update(path.resolve(file)).update('\0').update(fs.readFileSync(file)).update('\0');
    expect(configDigestOf(load.fleet!)).toBe(`sha256:${hash.digest('hex')}`);
  });

  it('makes no digest when asked not to, and loads the same fleet', () => {
    const dir = make(discovered(false));
    const withDigest = loadFleet(path.join(dir, 'fleet.yaml'));
    const without = loadFleet(path.join(dir, 'fleet.yaml'), { digest: false });
    expect(configDigestOf(withDigest.fleet!)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(configDigestOf(without.fleet!)).toBeUndefined();
    expect(without.problems).toEqual(withDigest.problems);
    expect(without.files).toEqual(withDigest.files);
    expect(plan(without.fleet!)).toEqual(plan(withDigest.fleet!));
  });
});
