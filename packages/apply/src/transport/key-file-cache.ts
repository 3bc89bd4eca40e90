import { stat } from 'node:fs/promises';

/**
 * Private key files parsed (and decrypted) in this process, by path: what each was parsed from (device, inode,
 * size, change and modification times), with which passphrase, and the parse. Every connection of a run loads the
 * same key file: reading and parsing it each time cost ~0.1 ms a host for a plain key and ~0.45 s a host for one
 * encrypted with OpenSSH's bcrypt KDF (16 rounds), which made `apply` to 100 hosts with such a key spend most of
 * its CPU deriving the same key a hundred times. A failed parse is never kept (it is tried again next time).
 */
type Passphrase = string | Buffer | undefined;

const parsedKeys = new Map<string, { readonly stamp: string; readonly passphrase: Passphrase; readonly parsed: Promise<unknown> }>();

/**
 * A file's mtime can lag a write by a clock tick, so a file written this recently may change again without its
 * stamp changing: it is not kept (as known_hosts files are not, and as git treats an index entry as "racily clean").
 */
const settledAfterMs = 2000;

/**
 * `load()` (which reads and parses the key file at `path` with `passphrase`), or what it returned for the same
 * path and passphrase while the file's stamp has not changed since. `isParsed` tells a usable parse (kept) from a
 * failure (returned, never kept); a `load` that throws is not kept either.
 */
export async function parsedKeyFile<T>(path: string, passphrase: Passphrase, load: () => Promise<T>, isParsed: (value: T) => boolean): Promise<T> {
  const st = await stat(path, { bigint: true }).catch(() => undefined);
  const stamp = st?.isFile() === true ? [st.dev, st.ino, st.size, st.ctimeNs, st.mtimeNs].join(':') : undefined;
  const cached = parsedKeys.get(path);
  if (stamp !== undefined && cached?.stamp === stamp && samePassphrase(cached.passphrase, passphrase)) return (await cached.parsed) as T;
  const readAt = Date.now();
  const parsed = load();
  if (stamp !== undefined && st !== undefined && Number(st.mtimeMs) < readAt - settledAfterMs) {
    const entry = { stamp, passphrase, parsed };
    parsedKeys.set(path, entry);
    const forget = (): void => {
      if (parsedKeys.get(path) === entry) parsedKeys.delete(path);
    };
    parsed.then((value) => {
      if (!isParsed(value)) forget();
    }, forget);
  }
  return await parsed;
}

function samePassphrase(a: Passphrase, b: Passphrase): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}
