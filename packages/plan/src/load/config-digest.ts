import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import type { FleetModel } from '../fleet/fleet-model';

/** The digest of a loaded fleet's files, made from the load's own reads (see `DigestWhileReading`). */
const digests = new WeakMap<FleetModel, string>();

/**
 * The digest of the files a fleet was loaded from (`sha256:` of each file's absolute path and bytes, by file name),
 * made while loading it, or undefined when the load could not make it from its reads (then read the files again).
 */
export function configDigestOf(fleet: FleetModel): string | undefined {
  return digests.get(fleet);
}

/**
 * Digests a config's files in the order of their names while they are read, in whatever order that is, without
 * keeping the big ones: the files of a `facts/` folder (read in the order of their names, after the config files)
 * are hashed as they come; config files are held until every file named before them is hashed. Should the reads
 * come in an order that does not allow that, the digest is given up (`finish` returns undefined).
 */
export class DigestWhileReading {
  private readonly hash: Hash = createHash('sha256');
  private readonly held = new Map<string, Uint8Array>();
  private readonly hashed = new Set<string>();
  private last: string | undefined;
  private broken = false;
  /** The NUL that ends the last file hashed, not hashed yet (see `add`). */
  private pendingNul = false;

  /** A loaded config file: held until its turn. */
  hold(file: string, bytes: Uint8Array): void {
    if (this.last !== undefined && file < this.last) this.broken = true;
    else this.held.set(file, bytes);
  }

  /** A loaded file not to keep (a facts file): hashed now, after the held files named before it. */
  stream(file: string, bytes: Uint8Array): void {
    if (this.broken || (this.last !== undefined && file <= this.last)) {
      this.broken = true;
      return;
    }
    this.flush((held) => held < file);
    this.add(file, bytes);
  }

  /** The digest of exactly `files` (every file loaded), or undefined when the reads did not allow it. */
  finish(fleet: FleetModel): string | undefined {
    this.flush(() => true);
    if (this.broken || this.hashed.size !== fleet.files.length || !fleet.files.every((file) => this.hashed.has(file))) return undefined;
    if (this.pendingNul) this.hash.update('\0');
    this.pendingNul = false;
    const digest = `sha256:${this.hash.digest('hex')}`;
    digests.set(fleet, digest);
    return digest;
  }

  private flush(before: (file: string) => boolean): void {
    for (const file of [...this.held.keys()].sort()) {
      if (!before(file)) break;
      this.add(file, this.held.get(file) ?? new Uint8Array());
      this.held.delete(file);
    }
  }

  /**
   * Hashes `path\0bytes\0`: the closing NUL is held and hashed with the next file's path (or at the end), two
   * updates a file instead of four; the same bytes in the same order, so the same digest.
   */
  private add(file: string, bytes: Uint8Array): void {
    if (this.broken) return;
    this.hash.update(`${this.pendingNul ? '\0' : ''}${path.resolve(file)}\0`).update(bytes);
    this.pendingNul = true;
    this.hashed.add(file);
    this.last = file;
  }
}
