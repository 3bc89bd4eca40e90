import { createHash } from 'node:crypto';

/** One of N equal parts of a fleet: `--shard 2/4` is `{ index: 2, count: 4 }` (1-based, as a CI matrix counts). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export type ShardParse = { readonly ok: true; readonly shard: Shard } | { readonly ok: false; readonly message: string };

/** Reads `I/N` (1 ≤ I ≤ N ≤ 65536). */
export function parseShard(text: string): ShardParse {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || count > 65536 || index < 1 || index > count) {
    return { ok: false, message: `--shard takes I/N with 1 ≤ I ≤ N ≤ 65536 (e.g. 2/4), not "${text}"` };
  }
  return { ok: true, shard: { index, count } };
}

/**
 * The shard (1…count) a host belongs to: the first 48 bits of the SHA-256 of its name, modulo count. It depends
 * on the name alone, so every controller computes the same split with no coordination, and a host added to the
 * fleet moves no other host.
 */
export function shardOfHost(name: string, count: number): number {
  const digest = createHash('sha256').update(name, 'utf8').digest();
  return (digest.readUIntBE(0, 6) % count) + 1;
}

/** The hosts of one shard, in their given order. */
export function hostsInShard<T extends { readonly name: string }>(hosts: readonly T[], shard: Shard): T[] {
  return hosts.filter((h) => shardOfHost(h.name, shard.count) === shard.index);
}
