import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFleet, readFiles } from '../src';
import { maxConfigFileBytes } from '../src/load/read-sources';

/** A discovered fleet of `hosts` facts files in a fresh temp folder. */
function discoveredFleet(hosts: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-stat-once-'));
  fs.mkdirSync(path.join(dir, 'facts'));
  const names = Array.from({ length: hosts }, (_, i) => `h${i}`);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), `kind: fleet\nhosts:\n${names.map((n) => `  ${n}: {}\n`).join('')}`);
  for (const name of names) {
    const facts = { kind: 'facts', host: name, capturedAt: '2026-11-01T00:00:00Z', facts: { sysctls: { 'net.core.somaxconn': '4096' } } };
    fs.writeFileSync(path.join(dir, 'facts', `${name}.json`), JSON.stringify(facts));
  }
  return dir;
}

/** How many times each `fs` function was called with a path in `folder`, while `run` ran (the real calls made). */
function pathCalls(folder: string, names: readonly ('statSync' | 'lstatSync' | 'realpathSync' | 'openSync' | 'readFileSync')[], run: () => void): Record<string, number> {
  const counts: Record<string, number> = {};
  const spies = names.map((name) => {
    counts[name] = 0;
    const real = fs[name] as (...args: unknown[]) => unknown;
    return jest.spyOn(fs, name).mockImplementation(((...args: unknown[]) => {
      if (typeof args[0] === 'string' && path.resolve(args[0]).startsWith(folder + path.sep)) counts[name] = (counts[name] ?? 0) + 1;
      return real(...args);
    }) as never);
  });
  try {
    run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return counts;
}

describe('reading a folder of facts files', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const made = (dir: string): string => {
    dirs.push(dir);
    return dir;
  };

  it('opens each facts file once and neither stats nor resolves it by its path', () => {
    const dir = made(discoveredFleet(40));
    const facts = path.join(fs.realpathSync(dir), 'facts');
    let load: ReturnType<typeof loadFleet> | undefined;
    const counts = pathCalls(facts, ['statSync', 'lstatSync', 'realpathSync', 'openSync', 'readFileSync'], () => {
      load = loadFleet(path.join(dir, 'fleet.yaml'), { readWorkers: 0 });
    });
    expect(load?.problems).toEqual([]);
    expect(load?.fleet?.facts.size).toBe(40);
    // The facts folder itself is stat'ed and resolved (a few calls); its 40 files are not, one by one.
    expect(counts).toEqual({ statSync: expect.any(Number), lstatSync: 0, realpathSync: expect.any(Number), openSync: 40, readFileSync: 0 });
    expect((counts['statSync'] ?? 0) + (counts['realpathSync'] ?? 0)).toBeLessThan(5);
  });

  it('still finds a facts file twice under two names (a link) once, by its real path', () => {
    const dir = made(discoveredFleet(2));
    fs.symlinkSync('h0.json', path.join(dir, 'facts', 'h0-again.json'));
    const load = loadFleet(path.join(dir, 'fleet.yaml'), { readWorkers: 0 });
    expect(load.problems).toEqual([]);
    expect(load.files.filter((file) => file.includes(`${path.sep}facts${path.sep}`)).map((file) => path.basename(file))).toEqual(['h0-again.json', 'h1.json']);
  });

  it.each([true, false])('gives the same problems for a file read after a walk (walked: %s) as for one named', (walked) => {
    const dir = made(fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-stat-once-')));
    const gone = path.join(dir, 'gone.json');
    const large = path.join(dir, 'large.json');
    fs.writeFileSync(large, '');
    fs.truncateSync(large, maxConfigFileBytes + 1); // sparse: nothing is written
    const folder = path.join(dir, 'folder.json');
    fs.mkdirSync(folder);
    const fifo = path.join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const { problems } = readFiles([gone, large, folder, fifo], { walked });
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ['TCPMEM_FILE_UNREADABLE', `${gone} cannot be read (ENOENT)`],
      ['TCPMEM_FILE_TOO_LARGE', `${large} is ${maxConfigFileBytes + 1} bytes, over the ${maxConfigFileBytes}-byte limit`],
      ['TCPMEM_FILE_UNREADABLE', `${folder} is not a regular file`],
      ['TCPMEM_FILE_UNREADABLE', `${fifo} is not a regular file`],
    ]);
  });

  it('reads a walked file whole, whatever its size, as readFileSync does', () => {
    const dir = made(fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-stat-once-')));
    const big = path.join(dir, 'big.json');
    const value = { kind: 'facts', host: 'h', capturedAt: '2026-11-01T00:00:00Z', facts: { dmesg: 'x'.repeat(3 * 1024 * 1024) } };
    fs.writeFileSync(big, JSON.stringify(value));
    let bytes: Uint8Array | undefined;
    const read = readFiles([big], { walked: true, onBytes: (_file, b) => (bytes = b) });
    expect(read.problems).toEqual([]);
    expect(read.sources[0]?.value).toEqual(value);
    expect(Buffer.from(bytes ?? []).equals(fs.readFileSync(big))).toBe(true);
  });
});
