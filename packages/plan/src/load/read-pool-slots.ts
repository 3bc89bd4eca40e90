import type { MessagePort } from 'node:worker_threads';
import type { PlainRead } from './read-plain';
import type { ReplyRead } from './read-pool-reply';

/**
 * What a read pool's threads share (load/read-pool.ts, load/read-worker.ts): an Int32Array over one
 * SharedArrayBuffer, these slots, then two per worker (`currentSlot`, `stateSlot`).
 */
export const slots = {
  /** The next task to claim (a thread claims it by compare-and-exchange to the one after). */
  next: 0,
  /** How many tasks were submitted (a task's message reached every worker before this counts it). */
  total: 1,
  /** One past the latest task the loading thread asked for: workers claim no further than `window` past it. */
  wanted: 2,
  /** 1 when the pool is closed: workers return. */
  closed: 3,
  /** Counts results posted and workers gone: the loading thread waits on it. */
  done: 4,
  /** Bumped when there is more to claim or the pool closes: idle workers wait on it. */
  wake: 5,
} as const;

const fixedSlots = 6;

/** The slot holding 1 + the task a worker is reading (0 when none). */
export const currentSlot = (worker: number): number => fixedSlots + 2 * worker;
/** The slot holding a worker's state: 0 running, `exited` once its thread ended (however it ended). */
export const stateSlot = (worker: number): number => fixedSlots + 2 * worker + 1;
export const exited = 1;
export const slotCount = (workers: number): number => fixedSlots + 2 * workers;

/** One file to read, as `readFiles` would (see its `walked`). */
export interface ReadTask {
  readonly file: string;
  readonly walked: boolean;
}

/** What the loading thread sends a worker: tasks appended to the list it claims from. */
export interface TasksMessage {
  readonly tasks: readonly ReadTask[];
}

/**
 * What a worker sends back for a task: the plain read as a reply (its kernel facts sent once: load/read-pool-reply.ts),
 * or what was thrown reading it (a bug: it is not a problem).
 */
export type ResultMessage = { readonly index: number; readonly read: ReplyRead } | { readonly index: number; readonly thrown: string };

/** A task's result as the loading thread keeps it until taken: the plain read, or what was thrown reading it. */
export type TaskResult = { readonly index: number; readonly read: PlainRead } | { readonly index: number; readonly thrown: string };

/** What a worker is started with. */
export interface ReadWorkerData {
  readonly shared: SharedArrayBuffer;
  readonly worker: number;
  readonly window: number;
  readonly port: MessagePort;
}
