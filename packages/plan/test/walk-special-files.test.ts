import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFleet } from '../src';

/**
 * A config file's name on something that is no regular file, met by a folder walk: reported where it is, as when
 * it is named, and never opened (a FIFO would block a reader that waited for a writer).
 */
describe('a folder walk meeting a FIFO named like a config file', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function fleetWithFacts(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-walk-special-'));
    made.push(dir);
    fs.mkdirSync(path.join(dir, 'facts'));
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), 'kind: fleet\nhosts:\n  a: {}\n  d: {}\n');
    fs.writeFileSync(path.join(dir, 'facts', 'a.json'), JSON.stringify({ kind: 'facts', host: 'a', capturedAt: '2026-11-01T00:00:00Z', facts: { sysctls: {} } }));
    return dir;
  }

  const unreadable = (problems: readonly { code: string; message: string; file?: string; line?: number }[]) =>
    problems.filter((p) => p.code === 'TCPMEM_FILE_UNREADABLE').map((p) => [p.message, p.file, p.line]);

  it.each([0, 1])('reports facts/d.json, a FIFO, at its place (read workers: %s)', (readWorkers) => {
    const dir = fleetWithFacts();
    const fifo = path.join(dir, 'facts', 'd.json');
    execFileSync('mkfifo', [fifo]);
    const load = loadFleet(path.join(dir, 'fleet.yaml'), { readWorkers });
    expect(unreadable(load.problems)).toEqual([[`${fifo} is not a regular file`, fifo, 1]]);
    expect(load.problems.find((p) => p.code === 'TCPMEM_FILE_UNREADABLE')?.severity).toBe('error');
    expect(load.files.map((file) => path.basename(file))).toEqual(['fleet.yaml', 'a.json']);
  });

  it('reports a symlink to a FIFO in a walked folder, and a FIFO met walking the config folder itself', () => {
    const dir = fleetWithFacts();
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    fs.symlinkSync(fifo, path.join(dir, 'facts', 'd.json'));
    const load = loadFleet(dir, { readWorkers: 0 });
    expect(unreadable(load.problems)).toEqual([
      [`${path.join(dir, 'facts', 'd.json')} is not a regular file`, path.join(dir, 'facts', 'd.json'), 1],
      [`${fifo} is not a regular file`, fifo, 1],
    ]);
  });

  it('still passes over a FIFO whose name is no config file, without a word', () => {
    const dir = fleetWithFacts();
    execFileSync('mkfifo', [path.join(dir, 'facts', 'notes.txt')]);
    expect(loadFleet(path.join(dir, 'fleet.yaml'), { readWorkers: 0 }).problems).toEqual([]);
  });
});
