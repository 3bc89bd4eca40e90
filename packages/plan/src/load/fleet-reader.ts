import fs from 'node:fs';
import os from 'node:os';
import type { FactsInterner } from '../resolve/prepared-facts';
import { loadedFromPlain, readLoaded, type LoadedFile } from './loaded-file';
import { ReadPool, readWorkerFile, type ReadPoolOptions } from './read-pool';
import type { ReadTask } from './read-pool-slots';

/**
 * How much to read, in bytes of JSON, from which a load starts read workers (unless told how many). A worker's
 * start and module load take ~0.15 s; JSON facts are read, parsed and prepared at ~100 MB/s on a quiet core, so
 * below ~0.3 s of reading the worker would barely be up before the load ends (bench/plan/profile.md, 2026-12-04).
 */
export const readWorkersFromBytes = 32 * 1024 * 1024;

/** What a byte of YAML weighs against one of JSON: YAML parses ~50–100 times slower here (~0.5 MB/s). */
export const yamlByteWeight = 64;

/**
 * Read workers a load starts by default: one per core besides this thread's, at most 7 — and none while the
 * machine has no core to spare (load average at or above the cores, as `make -l` reads it): then a worker only
 * adds its start and the clones to the CPU time (bench/plan/profile.md, 2026-12-04).
 */
export function defaultReadWorkers(): number {
  const cores = os.availableParallelism();
  const [load = 0] = os.loadavg();
  return load >= cores ? 0 : Math.min(cores - 1, 7);
}

/** `TCPMEM_READ_WORKERS`, when it is a count (0: read on this thread only): the number of read workers to start. */
export function readWorkersFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env['TCPMEM_READ_WORKERS'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Reads a fleet's files, each once, in the order the load asks for them, with the same results whichever thread
 * read them. Told ahead what comes (`expect`), it reads those on worker threads (load/read-pool.ts) once the
 * files expected so far weigh `readWorkersFromBytes` (YAML by `yamlByteWeight`), or always when given a number of workers.
 */
export class FleetReader {
  private pool: ReadPool | undefined;
  private readonly submitted = new Map<string, number>();
  private expectedBytes = 0;

  /** `workers`: how many read workers to start (0: none), or undefined to decide by size. */
  constructor(
    private readonly interner: FactsInterner,
    private readonly workers: number | undefined,
    private readonly poolOptions: ReadPoolOptions = {},
  ) {}

  /** Files the load will read next, in order: read ahead on workers when it pays. */
  expect(tasks: readonly ReadTask[]): void {
    if (tasks.length === 0 || this.workers === 0) return;
    if (this.pool === undefined) {
      if (this.workers === undefined) {
        for (const task of tasks) {
          if (this.expectedBytes >= readWorkersFromBytes) break;
          this.expectedBytes += sizeOf(task.file) * (task.file.endsWith('.json') ? 1 : yamlByteWeight);
        }
        if (this.expectedBytes < readWorkersFromBytes || readWorkerFile() === undefined) return;
      }
      const workers = this.workers ?? defaultReadWorkers();
      if (workers < 1) return;
      this.pool = new ReadPool(workers, this.poolOptions);
    }
    const fresh = tasks.filter((task) => !this.submitted.has(taskKey(task)));
    const first = this.pool.submit(fresh);
    fresh.forEach((task, index) => this.submitted.set(taskKey(task), first + index));
  }

  /** Reads a file (as `readFiles` does, `walked` as there), or takes it from the worker that read it. */
  read(file: string, walked: boolean): LoadedFile {
    const key = taskKey({ file, walked });
    const index = this.submitted.get(key);
    if (this.pool === undefined || index === undefined) return readLoaded(file, walked, this.interner);
    this.submitted.delete(key);
    return loadedFromPlain(this.pool.take(index), this.interner);
  }

  /** Ends the workers, if any. */
  close(): void {
    this.pool?.close();
    this.pool = undefined;
  }
}

const taskKey = (task: ReadTask): string => `${task.walked ? 'walked' : 'named'}\0${task.file}`;

/** The size of a regular file; 0 for anything else (that is read, and refused, by `readFiles` as usual). */
function sizeOf(file: string): number {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat.size : 0;
  } catch {
    return 0;
  }
}
