/**
 * A read worker's thread (started by load/read-pool.ts): claims tasks in order and reads each (`readPlain`), until
 * the pool closes. Its one file is also an entry of the bundled CLI (tools/pack), beside dist/tcpmem.js.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { readPlain } from './read-plain';
import { newSentKernels, replyOf } from './read-pool-reply';
import { currentSlot, exited, slots, stateSlot, type ReadTask, type ReadWorkerData, type ResultMessage, type TasksMessage } from './read-pool-slots';

const { shared, worker, window, port } = workerData as ReadWorkerData;
const state = new Int32Array(shared);

// However the thread ends (returned, thrown, process.exit), the loading thread learns it at once: it may be waiting.
process.on('exit', () => {
  Atomics.store(state, stateSlot(worker), exited);
  Atomics.add(state, slots.done, 1);
  Atomics.notify(state, slots.done);
});

const tasks: ReadTask[] = [];
/** The kernel facts this worker sent: each is posted whole once, then by number (load/read-pool-reply.ts). */
const sent = newSentKernels();

/** Task `index`: its message was posted before it was counted in `total`, so it is there (waited for 5 s at most). */
function task(index: number): ReadTask {
  for (let tries = 0; tasks.length <= index; tries += 1) {
    const received = receiveMessageOnPort(port);
    if (received !== undefined) tasks.push(...(received.message as TasksMessage).tasks);
    else if (tries < 5000) Atomics.wait(state, slots.closed, 0, 1);
    else throw new Error(`read worker ${worker}: task ${index} was counted but never received`);
  }
  return tasks[index] as ReadTask;
}

function read(index: number): { message: ResultMessage; transfer: ArrayBuffer[] } {
  try {
    const result = readPlain(task(index).file, task(index).walked);
    // The reply is made last: once `sent` notes kernel facts as sent, this message must be what is posted.
    if (result.bytes === undefined) return { message: { index, read: replyOf(result, sent) }, transfer: [] };
    // The bytes move without a copy when they own their buffer (a small file's may be a slice of a shared pool).
    const owned = result.bytes.byteOffset === 0 && result.bytes.byteLength === result.bytes.buffer.byteLength ? result.bytes : new Uint8Array(result.bytes);
    return { message: { index, read: replyOf({ ...result, bytes: owned }, sent) }, transfer: [owned.buffer as ArrayBuffer] };
  } catch (error) {
    return { message: { index, thrown: error instanceof Error ? (error.stack ?? error.message) : String(error) }, transfer: [] };
  }
}

while (Atomics.load(state, slots.closed) === 0) {
  const wake = Atomics.load(state, slots.wake);
  const next = Atomics.load(state, slots.next);
  if (next >= Atomics.load(state, slots.total) || next >= Atomics.load(state, slots.wanted) + window) {
    Atomics.wait(state, slots.wake, wake, 1000);
    continue;
  }
  // Said before claiming, so that a thread ending with a claim always says which.
  Atomics.store(state, currentSlot(worker), next + 1);
  if (Atomics.compareExchange(state, slots.next, next, next + 1) !== next) {
    Atomics.store(state, currentSlot(worker), 0);
    continue;
  }
  const { message, transfer } = read(next);
  port.postMessage(message, transfer);
  Atomics.store(state, currentSlot(worker), 0);
  Atomics.add(state, slots.done, 1);
  Atomics.notify(state, slots.done);
}
port.close();
