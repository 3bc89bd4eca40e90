import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsedKeyFile } from './key-file-cache';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tcpmem-keys-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A key file written `agoSeconds` ago (its times set back), and a loader that counts its calls. */
function keyFile(name: string, text: string, agoSeconds = 60): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  const then = new Date(Date.now() - agoSeconds * 1000);
  utimesSync(path, then, then);
  return path;
}
function counting(result: (n: number) => { key: string } | { error: string }): { calls: number; load: () => Promise<{ key: string } | { error: string }> } {
  const counter = { calls: 0, load: () => Promise.resolve(result(++counter.calls)) };
  return counter;
}
const parsedOk = (value: { key: string } | { error: string }): boolean => 'key' in value;

describe('parsedKeyFile', () => {
  it('parses a key file once for every connection of a run while the file and the passphrase stay the same', async () => {
    const path = keyFile('id', 'key one');
    const loader = counting((n) => ({ key: `parse ${String(n)}` }));
    const first = await parsedKeyFile(path, 'secret', loader.load, parsedOk);
    const again = await Promise.all([1, 2, 3].map(() => parsedKeyFile(path, Buffer.from('secret'), loader.load, parsedOk)));
    expect(loader.calls).toBe(1);
    for (const value of again) expect(value).toBe(first);
  });

  it('parses it again when the file changed, when another passphrase is given, and when it was written less than 2 s ago', async () => {
    const path = keyFile('id', 'key one');
    const loader = counting((n) => ({ key: `parse ${String(n)}` }));
    await parsedKeyFile(path, undefined, loader.load, parsedOk);
    keyFile('id', 'key two, longer');
    expect(await parsedKeyFile(path, undefined, loader.load, parsedOk)).toEqual({ key: 'parse 2' });
    expect(await parsedKeyFile(path, 'a passphrase', loader.load, parsedOk)).toEqual({ key: 'parse 3' });
    const fresh = keyFile('fresh', 'key', 0);
    await parsedKeyFile(fresh, undefined, loader.load, parsedOk);
    await parsedKeyFile(fresh, undefined, loader.load, parsedOk);
    expect(loader.calls).toBe(5);
  });

  it('keeps no failure: a key that did not parse (a wrong passphrase) is parsed again next time', async () => {
    const path = keyFile('id', 'key');
    const loader = counting((n) => (n === 1 ? { error: 'wrong passphrase' } : { key: 'parsed' }));
    expect(await parsedKeyFile(path, 'wrong', loader.load, parsedOk)).toEqual({ error: 'wrong passphrase' });
    expect(await parsedKeyFile(path, 'wrong', loader.load, parsedOk)).toEqual({ key: 'parsed' });
    expect(loader.calls).toBe(2);
  });

  it('keeps nothing for a path that is no regular file (missing: the loader says why each time)', async () => {
    const loader = counting(() => ({ error: 'does not exist' }));
    await parsedKeyFile(join(dir, 'none'), undefined, loader.load, parsedOk);
    await parsedKeyFile(join(dir, 'none'), undefined, loader.load, parsedOk);
    expect(loader.calls).toBe(2);
  });
});
