/**
 * A memo table that keeps the `capacity` entries used most recently. The model's memo tables use it so that a
 * long-running process (the Pulumi provider, a watch loop) that keeps meeting new machines and kernels holds a
 * bounded amount of memory; a plan of one fleet stays far below the capacities chosen.
 */
export class LruCache<K, V> {
  // A Map iterates in insertion order: re-inserting on every use keeps the least recently used entry first.
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LruCache capacity must be a positive integer, not ${String(capacity)}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether `key` is held, without counting as a use. */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value held for `key` (now the most recently used), or undefined. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Holds `value` for `key` as the most recently used entry, dropping the least recently used beyond capacity. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  /** The value held for `key`, or `compute(key)` stored and returned. */
  getOrCompute(key: K, compute: (key: K) => V): V {
    if (this.entries.has(key)) return this.get(key) as V;
    const value = compute(key);
    this.set(key, value);
    return value;
  }
}
