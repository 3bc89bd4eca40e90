import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSmallFileProblem, readSmallFile } from './read-small-file';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tcpmem-small-file-'));
  writeFileSync(join(dir, 'key'), 'abc\n');
  writeFileSync(join(dir, 'big'), Buffer.alloc(5000, 0x41));
  writeFileSync(join(dir, 'empty'), '');
  execFileSync('mkfifo', [join(dir, 'fifo')]);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readSmallFile', () => {
  it('reads a small regular file whole', async () => {
    const read = await readSmallFile(join(dir, 'key'), 100);
    expect(read.ok && read.data.toString()).toBe('abc\n');
    const empty = await readSmallFile(join(dir, 'empty'), 100);
    expect(empty.ok && empty.data.length).toBe(0);
  });

  it.each([
    ['a FIFO (without waiting for a writer)', 'fifo', 100, 'is a FIFO, not a regular file'],
    ['/dev/zero (without reading forever)', '/dev/zero', 100, 'is a character device, not a regular file'],
    ['/dev/null', '/dev/null', 100, 'is a character device, not a regular file'],
    ['a folder', '.', 100, 'is a folder, not a regular file'],
    ['a file over the limit', 'big', 4999, 'is larger than 4999 bytes'],
    ['a missing file', 'nope', 100, 'does not exist'],
  ])('refuses %s', async (_what, name, max, says) => {
    const read = await readSmallFile(name.startsWith('/') ? name : join(dir, name), max);
    expect(read.ok ? 'read' : describeSmallFileProblem(read.problem)).toBe(says);
  });

  it('reads a file exactly at the limit', async () => {
    const read = await readSmallFile(join(dir, 'big'), 5000);
    expect(read.ok && read.data.length).toBe(5000);
  });
});
