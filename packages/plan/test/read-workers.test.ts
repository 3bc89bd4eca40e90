import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { HostPlan } from '@tcpmem/schema';
import { calibrationsFromFacts, configDigestOf, createKernelLookup, loadFleet, locateProblems, planFleet, type FleetModel } from '../src';
import type { FleetLoad } from '../src/load';
import { ReadPool } from '../src/load/read-pool';
import { preparedFactsOf } from '../src/resolve/prepared-facts';

// The benchmark's own generators: real captures varied per host (discovered), every config form (synthetic).
const requireJs = createRequire(__filename);
interface Generated {
  readonly fleet?: string;
  readonly dir: string;
}
const discovered = requireJs('../../../bench/plan/generate-discovered-fleet.js') as { generate: (o: { hosts: number; out: string; seed: number; perFile: number }) => Generated };
const synthetic = requireJs('../../../bench/plan/generate-fleet.js') as { generate: (o: { hosts: number; out: string; seed: number; perFile: number; format: string }) => Generated };
const examples = path.join(__dirname, '..', '..', '..', 'examples');

function plan(fleet: FleetModel): HostPlan[] {
  const inputs = { mode: 'offline' as const, createdAt: 'now', tcpmemVersion: 'test', configPath: 'fleet.yaml', digest: undefined, observations: new Map(), problems: [] };
  return planFleet(fleet, { ...inputs, kernelFor: createKernelLookup(undefined, calibrationsFromFacts(fleet.facts)), hostIndexes: fleet.hosts.map((_, i) => i) }).hosts;
}

/** Everything a load gives that a caller reads, as plain data (documents by where they locate what). */
function observable(load: FleetLoad): unknown {
  const fleet = load.fleet;
  return {
    problems: load.problems,
    located: locateProblems(load.problems, load.documents),
    files: load.files,
    documents: [...load.documents.keys()],
    fleet: fleet && {
      name: fleet.name,
      files: fleet.files,
      defaults: fleet.defaults,
      presets: [...fleet.presets.values()],
      groups: [...fleet.groups.values()],
      hosts: fleet.hosts,
      facts: [...fleet.facts.values()].map(({ name, origin, value }) => ({ name, origin, kind: value.kind, host: value.host, capturedAt: value.capturedAt, prepared: preparedFactsOf(value) })),
      digest: configDigestOf(fleet),
      plan: plan(fleet),
    },
  };
}

describe('read workers', () => {
  const dirs: string[] = [];
  const temp = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-read-workers-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('load a discovered fleet exactly as one thread does: documents, problems, prepared facts, digest and plans', () => {
    const { fleet } = discovered.generate({ hosts: 120, out: temp(), seed: 7, perFile: 25 });
    const serial = loadFleet(fleet!, { readWorkers: 0 });
    const pooled = loadFleet(fleet!, { readWorkers: 2 });
    expect(serial.problems).toEqual([]);
    expect(serial.fleet?.facts.size).toBe(120);
    expect(configDigestOf(serial.fleet!)).toMatch(/^sha256:/);
    expect(observable(pooled)).toEqual(observable(serial));
  });

  it.each(['yaml', 'json'])('load a synthetic fleet (many %s files, every config form, no facts) exactly as one thread does', (format) => {
    const { dir } = synthetic.generate({ hosts: 300, out: temp(), seed: 3, perFile: 40, format });
    expect(observable(loadFleet(dir, { readWorkers: 1 }))).toEqual(observable(loadFleet(dir, { readWorkers: 0 })));
  });

  it.each(fs.readdirSync(examples).filter((name) => fs.statSync(path.join(examples, name)).isDirectory()))('load examples/%s exactly as one thread does', (name) => {
    const dir = path.join(examples, name);
    expect(observable(loadFleet(dir, { readWorkers: 1 }))).toEqual(observable(loadFleet(dir, { readWorkers: 0 })));
  });

  it('name the facts file and line of a syntax error among many, and the other problems, as one thread does', () => {
    const { fleet, dir } = discovered.generate({ hosts: 60, out: temp(), seed: 1, perFile: 30 });
    const broken = path.join(dir, 'facts', 'host-000031.json');
    fs.writeFileSync(broken, fs.readFileSync(broken, 'utf8').replace('"capturedAt"', '"capturedAt" "'));
    fs.writeFileSync(path.join(dir, 'hosts', 'hosts-00002.yaml'), fs.readFileSync(path.join(dir, 'hosts', 'hosts-00002.yaml'), 'utf8').replace('host-000040:', 'host-000001:'));
    const pooled = loadFleet(fleet!, { readWorkers: 1 });
    expect(observable(pooled)).toEqual(observable(loadFleet(fleet!, { readWorkers: 0 })));
    const located = locateProblems(pooled.problems, pooled.documents);
    expect(located).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'TCPMEM_SYNTAX', file: broken, line: 5, column: 16 }),
        expect.objectContaining({ code: 'TCPMEM_DUPLICATE_HOST', file: path.join(dir, 'hosts', 'hosts-00002.yaml'), line: 21, column: 3 }),
      ]),
    );
  });

  it('locate a problem in a document a worker read from the positions it sent, without reading the file again', () => {
    const { fleet, dir } = discovered.generate({ hosts: 20, out: temp(), seed: 2, perFile: 10 });
    const stray = path.join(dir, 'facts', 'stray.yaml');
    fs.writeFileSync(stray, '# not facts\nkind: fleet\nhosts: {}\n');
    const pooled = loadFleet(fleet!, { readWorkers: 1 });
    expect(observable(pooled)).toEqual(observable(loadFleet(fleet!, { readWorkers: 0 })));
    fs.rmSync(stray);
    expect(locateProblems(pooled.problems, pooled.documents)).toEqual([expect.objectContaining({ code: 'TCPMEM_FACTS_KIND', file: stray, line: 2, column: 1 })]);
  });
});

describe('ReadPool', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-read-pool-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const slotsModule = JSON.stringify(path.join(__dirname, '..', 'dist', 'load', 'read-pool-slots.js'));
  /** A worker that claims the first task, says so by writing `claimed`, then does `then` (JavaScript). */
  const claimingWorker = (name: string, then: string): string => {
    const file = path.join(dir, `${name}.js`);
    const claimed = JSON.stringify(path.join(dir, `${name}.claimed`));
    fs.writeFileSync(
      file,
      `const { workerData } = require('node:worker_threads');
const { slots, currentSlot, stateSlot, exited } = require(${slotsModule});
const state = new Int32Array(workerData.shared);
const port = workerData.port;
process.on('exit', () => { Atomics.store(state, stateSlot(workerData.worker), exited); Atomics.add(state, slots.done, 1); Atomics.notify(state, slots.done); });
while (Atomics.load(state, slots.total) === 0) Atomics.wait(state, slots.wake, Atomics.load(state, slots.wake), 10);
Atomics.store(state, currentSlot(workerData.worker), 1);
if (Atomics.compareExchange(state, slots.next, 0, 1) !== 0) throw new Error('the loading thread claimed it first');
require('node:fs').writeFileSync(${claimed}, '');
${then}
`,
    );
    return file;
  };
  /** Submits one task and waits (10 s at most) until the worker claimed it. */
  const claimed = (pool: ReadPool, name: string): void => {
    pool.submit([{ file: path.join(dir, 'a.json'), walked: false }]);
    // The loading thread would read the task itself: it may only ask once the worker holds it.
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(path.join(dir, `${name}.claimed`)) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  };

  it('make a worker that ends while reading a file an error naming the file, not a hang', () => {
    const pool = new ReadPool(1, { workerFile: claimingWorker('exits', 'process.exit(1);') });
    claimed(pool, 'exits');
    expect(() => pool.take(0)).toThrow(/the read worker reading .*a\.json stopped before it was read; plan again/);
    pool.close();
  });

  it('make a worker silent for longer than the stall bound an error naming the file', () => {
    const pool = new ReadPool(1, { workerFile: claimingWorker('hangs', 'for (;;) Atomics.wait(state, slots.closed, 0, 1000);'), stallMs: 300 });
    claimed(pool, 'hangs');
    expect(() => pool.take(0)).toThrow(/the read worker reading .*a\.json gave no result in 0 s; plan again/);
    pool.close();
  });

  it('make what a worker throws reading a file an error naming the file', () => {
    const pool = new ReadPool(1, { workerFile: claimingWorker('throws', "port.postMessage({ index: 0, thrown: 'Error: boom' }); Atomics.add(state, slots.done, 1); Atomics.notify(state, slots.done);") });
    claimed(pool, 'throws');
    expect(() => pool.take(0)).toThrow(/tcpmem failed reading .*a\.json: Error: boom/);
    pool.close();
  });

  it('report a file gone before a worker read it as unreadable, naming it, as one thread does', () => {
    const pool = new ReadPool(1);
    const gone = path.join(dir, 'gone.json');
    pool.submit([{ file: gone, walked: false }]);
    expect(pool.take(0).problems).toEqual([expect.objectContaining({ code: 'TCPMEM_FILE_UNREADABLE', file: gone, message: `${gone} cannot be read (ENOENT)` })]);
    pool.close();
  });
});
