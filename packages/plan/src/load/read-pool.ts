import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { readPlain, type PlainRead } from './read-plain';
import { newTakenKernels, takeReply, type TakenKernels } from './read-pool-reply';
import { currentSlot, exited, slotCount, slots, stateSlot, type ReadTask, type ReadWorkerData, type ResultMessage, type TaskResult, type TasksMessage } from './read-pool-slots';

export interface ReadPoolOptions {
  /** How far past the latest task asked for workers read ahead: bounds the results held (default 512, ~20 MB of facts). */
  readonly window?: number;
  /** How long a task a live worker claimed may give no result before it is an error (default 120 s). */
  readonly stallMs?: number;
  /** The worker's entry file (default: read-worker.js, found by `readWorkerFile`). */
  readonly workerFile?: string;
}

/**
 * The read worker's entry: read-worker.js beside this module — in packages/plan/dist/load, or beside the bundled
 * CLI's dist/tcpmem.js (tools/pack bundles it there) — or, run from sources (jest), the built one in dist.
 * Undefined when there is none: then files are read on this thread.
 */
export function readWorkerFile(): string | undefined {
  const candidates = [path.join(__dirname, 'read-worker.js'), path.join(__dirname, '..', '..', 'dist', 'load', 'read-worker.js')];
  return candidates.find((file) => fs.existsSync(file));
}

/**
 * Reads files on worker threads and on this one, collected synchronously: tasks are claimed in order from shared
 * memory, by workers and by this thread whenever the result it takes next is not there yet (so this thread never
 * idles while there is a file to read, and a worker still starting costs it nothing). Every wait is bounded: a
 * worker that ends while reading a file, or gives nothing for `stallMs`, is an error naming the file.
 */
export class ReadPool {
  private readonly state: Int32Array;
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private readonly tasks: ReadTask[] = [];
  private readonly results = new Map<number, TaskResult>();
  /** By worker: the kernel facts it sent, which its later replies name by number. */
  private readonly taken: TakenKernels[] = [];
  private readonly window: number;
  private readonly stallMs: number;

  constructor(workers: number, options: ReadPoolOptions = {}) {
    const workerFile = options.workerFile ?? readWorkerFile();
    if (workerFile === undefined) throw new Error('read-worker.js is missing beside the plan module; build it (npm run build) or read with TCPMEM_READ_WORKERS=0');
    this.window = options.window ?? 512;
    this.stallMs = options.stallMs ?? 120_000;
    const shared = new SharedArrayBuffer(slotCount(workers) * Int32Array.BYTES_PER_ELEMENT);
    this.state = new Int32Array(shared);
    for (let worker = 0; worker < workers; worker += 1) {
      const { port1, port2 } = new MessageChannel();
      const data: ReadWorkerData = { shared, worker, window: this.window, port: port2 };
      const thread = new Worker(workerFile, { workerData: data, transferList: [port2] });
      // Errors are seen through shared memory (the thread's end is marked there); this only keeps them off stderr.
      thread.on('error', () => undefined);
      thread.unref();
      this.workers.push(thread);
      this.ports.push(port1);
      this.taken.push(newTakenKernels());
    }
  }

  /** Adds tasks at the end of the list; returns the index of the first. */
  submit(tasks: readonly ReadTask[]): number {
    const first = this.tasks.length;
    this.tasks.push(...tasks);
    const message: TasksMessage = { tasks };
    for (const port of this.ports) port.postMessage(message);
    Atomics.store(this.state, slots.total, this.tasks.length);
    this.wake();
    return first;
  }

  /** The result of task `index`, waiting for it (reading tasks meanwhile) at most `stallMs` without progress. */
  take(index: number): PlainRead {
    const task = this.tasks[index];
    if (task === undefined) throw new Error(`read pool: no task ${index}`);
    if (Atomics.load(this.state, slots.wanted) < index + 1) {
      Atomics.store(this.state, slots.wanted, index + 1);
      this.wake();
    }
    let progress = Atomics.load(this.state, slots.done);
    let since = Date.now();
    for (;;) {
      const done = Atomics.load(this.state, slots.done);
      // Read before the ports are drained: a worker posts its result before it can be marked as ended.
      const ended = this.workers.map((_, worker) => Atomics.load(this.state, stateSlot(worker)) === exited && Atomics.load(this.state, currentSlot(worker)) === index + 1);
      this.drain();
      const result = this.results.get(index);
      if (result !== undefined) {
        this.results.delete(index);
        if ('thrown' in result) throw new Error(`tcpmem failed reading ${task.file}: ${result.thrown}`);
        return result.read;
      }
      if (ended.some(Boolean)) throw new Error(`the read worker reading ${task.file} stopped before it was read; plan again (TCPMEM_READ_WORKERS=0 reads every file on one thread)`);
      // Nothing to wait for while there is a file to read: task `index` if unclaimed, else the next within the window.
      const next = Atomics.load(this.state, slots.next);
      if (next <= index || (next < this.tasks.length && next < index + 1 + this.window)) {
        if (Atomics.compareExchange(this.state, slots.next, next, next + 1) === next) this.readHere(next);
        continue;
      }
      if (done !== progress) {
        progress = done;
        since = Date.now();
      } else if (Date.now() - since > this.stallMs) {
        throw new Error(`the read worker reading ${task.file} gave no result in ${Math.round(this.stallMs / 1000)} s; plan again (TCPMEM_READ_WORKERS=0 reads every file on one thread)`);
      }
      Atomics.wait(this.state, slots.done, done, 100);
    }
  }

  /** Ends the workers (they return at their next claim; a file being read is dropped) and frees the ports. */
  close(): void {
    Atomics.store(this.state, slots.closed, 1);
    this.wake();
    for (const worker of this.workers) void worker.terminate().catch(() => undefined);
    for (const port of this.ports) port.close();
    this.results.clear();
  }

  private readHere(index: number): void {
    const task = this.tasks[index] as ReadTask;
    try {
      this.results.set(index, { index, read: readPlain(task.file, task.walked) });
    } catch (error) {
      this.results.set(index, { index, thrown: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }

  /** Takes every reply posted so far, each port's in the order posted (which `takeReply` needs). */
  private drain(): void {
    this.ports.forEach((port, worker) => {
      const taken = this.taken[worker] as TakenKernels;
      for (let received = receiveMessageOnPort(port); received !== undefined; received = receiveMessageOnPort(port)) {
        const message = received.message as ResultMessage;
        this.results.set(message.index, 'read' in message ? { index: message.index, read: takeReply(message.read, taken) } : message);
      }
    });
  }

  private wake(): void {
    Atomics.add(this.state, slots.wake, 1);
    Atomics.notify(this.state, slots.wake);
  }
}
