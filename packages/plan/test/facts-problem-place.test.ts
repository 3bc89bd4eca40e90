import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { calibrationsFromFacts, createKernelLookup, loadFleet, locateProblems, planFleet } from '../src';

// A discovered host as `tcpmem discover` writes it, from a real boot (kernel-model's QEMU captures), with its
// meminfo edited by hand: the kernel model refuses it, and the place to fix is the facts file, not fleet.yaml.
const fixture = path.join(__dirname, '..', '..', 'kernel-model', 'fixtures', 'qemu', 'v61-cloud-1g');
const read = (file: string): string => fs.readFileSync(path.join(fixture, file), 'utf8');

function factsFile(host: string, meminfo: string, release = (JSON.parse(read('case.json')) as { kernel: { release: string } }).kernel.release): string {
  const facts = {
    release,
    version: read('version').trim(),
    meminfo,
    cpus: 2,
    pageSize: 4096,
    sysctls: JSON.parse(read('sysctls.json')) as Record<string, string>,
  };
  return `${JSON.stringify({ kind: 'facts', version: 1, host, capturedAt: '2026-12-01T00:00:00Z', facts }, null, 2)}\n`;
}

describe('a model error in discovered facts', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-facts-place-'));
    fs.mkdirSync(path.join(dir, 'facts'));
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), 'kind: fleet\nname: placed\ndefaults:\n  sysctls:\n    net.core.somaxconn: 8192\nhosts:\n  web-1: {}\n  web-3: { hardware: { kernel: 6.1.0-26-amd64, memory: 1GiB } }\n  web-2:\n    hardware: { kernel: "6.1", memory: 64 }\n');
    fs.writeFileSync(path.join(dir, 'facts', 'web-1.json'), factsFile('web-1', 'MemTotal:       99 kB\nMemFree:        10 kB\n'));
    fs.writeFileSync(path.join(dir, 'facts', 'web-3.json'), factsFile('web-3', read('meminfo'), 'banana'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is placed at the field of the host\'s facts file (file, pointer, line), with the hint to discover it again', () => {
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    const fleet = load.fleet!;
    const plan = planFleet(fleet, { mode: 'offline', createdAt: 'now', tcpmemVersion: 't', configPath: dir, digest: undefined, observations: new Map(), kernelFor: createKernelLookup(undefined, calibrationsFromFacts(fleet.facts)), hostIndexes: fleet.hosts.map((_h, i) => i), problems: [] });
    const web1 = plan.hosts.find((h) => h.name === 'web-1')!;
    expect(web1.status).toBe('invalid');
    const [located] = locateProblems(web1.problems.filter((p) => p.code === 'TCPMEM_MODEL'), load.documents);
    const factsPath = path.join(dir, 'facts', 'web-1.json');
    expect(located).toMatchObject({ code: 'TCPMEM_MODEL', file: factsPath, path: '/facts/meminfo', hint: expect.stringMatching(/tcpmem discover/) as unknown });
    const meminfoLine = fs.readFileSync(factsPath, 'utf8').split('\n').findIndex((line) => line.includes('"meminfo"')) + 1;
    expect(located?.line).toBe(meminfoLine);
  });

  it('places a release that is not one at the facts file that says it, not at the hardware block it overrides', () => {
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    const fleet = load.fleet!;
    const plan = planFleet(fleet, { mode: 'offline', createdAt: 'now', tcpmemVersion: 't', configPath: dir, digest: undefined, observations: new Map(), kernelFor: createKernelLookup(undefined, calibrationsFromFacts(fleet.facts)), hostIndexes: fleet.hosts.map((_h, i) => i), problems: [] });
    const web3 = plan.hosts.find((h) => h.name === 'web-3')!;
    const [located] = locateProblems(web3.problems, load.documents);
    expect(located).toMatchObject({ code: 'TCPMEM_KERNEL_RELEASE', file: path.join(dir, 'facts', 'web-3.json'), path: '/facts/release', hint: expect.stringMatching(/tcpmem discover/) as unknown });
  });

  it('stays at the hardware block when the hardware block is what the model refuses', () => {
    const load = loadFleet(path.join(dir, 'fleet.yaml'));
    const fleet = load.fleet!;
    const plan = planFleet(fleet, { mode: 'offline', createdAt: 'now', tcpmemVersion: 't', configPath: dir, digest: undefined, observations: new Map(), kernelFor: createKernelLookup(undefined, calibrationsFromFacts(fleet.facts)), hostIndexes: fleet.hosts.map((_h, i) => i), problems: [] });
    const web2 = plan.hosts.find((h) => h.name === 'web-2')!;
    expect(web2.problems.find((p) => p.code === 'TCPMEM_MODEL')).toMatchObject({ file: path.join(dir, 'fleet.yaml'), path: '/hosts/web-2/hardware', hint: expect.stringMatching(/Check the hardware block/) as unknown });
  });
});
