import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TcpmemError } from '../errors/errors';
import { writeFileAtomic, writeFileAtomicAsync } from './write-file-atomic';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-write-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = {
  // What it throws, as a rejected promise (the executor's throw), like the async one.
  sync: (file: string, text: string): Promise<void> =>
    new Promise<void>((resolve) => {
      writeFileAtomic(file, text);
      resolve();
    }),
  async: writeFileAtomicAsync,
};

describe.each(Object.entries(write))('writeFileAtomic (%s)', (_how, writeFile) => {
  it('writes a new file and replaces an old one whole, with mode 0644 and no temporary file left', async () => {
    const file = path.join(dir, 'h1.json');
    await writeFile(file, 'first\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('first\n');
    fs.chmodSync(file, 0o600);
    await writeFile(file, 'second\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('second\n');
    const reference = path.join(dir, 'reference');
    fs.closeSync(fs.openSync(reference, 'w', 0o644));
    expect(fs.statSync(file).mode & 0o777).toBe(fs.statSync(reference).mode & 0o777);
    fs.rmSync(reference);
    expect(fs.readdirSync(dir)).toEqual(['h1.json']);
  });

  it('refuses a folder that does not exist with TCPMEM_WRITE naming the file, and leaves nothing behind', async () => {
    const file = path.join(dir, 'missing', 'h1.json');
    const failure = await writeFile(file, 'x').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TcpmemError);
    expect(failure).toMatchObject({ code: 'TCPMEM_WRITE', message: `cannot write ${file}: ENOENT` });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('leaves the old file as it was when the new one cannot take its place (a folder in the way)', async () => {
    const file = path.join(dir, 'h1.json');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'inside'), 'kept');
    await expect(writeFile(file, 'new')).rejects.toMatchObject({ code: 'TCPMEM_WRITE' });
    expect(fs.readFileSync(path.join(file, 'inside'), 'utf8')).toBe('kept');
    expect(fs.readdirSync(dir)).toEqual(['h1.json']);
  });
});

describe('writeFileAtomicAsync', () => {
  it('returns before the file is there (the work runs off the event loop), which is complete once awaited', async () => {
    const file = path.join(dir, 'h1.json');
    const text = `${JSON.stringify({ kind: 'facts', zoneinfo: 'Node 0, zone DMA\n'.repeat(2000) })}\n`;
    const written = writeFileAtomicAsync(file, text);
    expect(fs.existsSync(file)).toBe(false);
    await written;
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('writes many files at once, two of them to the same name, each through a temporary file of its own', async () => {
    const files = Array.from({ length: 40 }, (_, i) => path.join(dir, `h${i % 39}.json`));
    await Promise.all(files.map((file, i) => writeFileAtomicAsync(file, `${i}\n`)));
    expect(fs.readdirSync(dir).sort()).toEqual(Array.from({ length: 39 }, (_, i) => `h${i}.json`).sort());
    for (let i = 1; i < 39; i += 1) expect(fs.readFileSync(path.join(dir, `h${i}.json`), 'utf8')).toBe(`${i}\n`);
    // h0.json was written twice at once: whole, by one of the two writes.
    expect(['0\n', '39\n']).toContain(fs.readFileSync(path.join(dir, 'h0.json'), 'utf8'));
  });
});
