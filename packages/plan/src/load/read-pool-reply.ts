import type { HostFacts } from '@tcpmem/schema';
import type { KernelFacts } from '../resolve/prepared-facts';
import type { FactsHeader, PlainRead, PlainSource } from './read-plain';

/**
 * What a read worker posts for a file (load/read-worker.ts): its `PlainRead`, but with a facts file's kernel facts
 * (the parsed texts, the fields the model reads and their key: about 2 KB to clone, the same for every host of
 * one machine type — 360 kinds among the 10,000 hosts of bench/plan's discovered fleet) sent whole only the first
 * time that worker meets their key, and after that as the number the loading thread keeps them by (`takeReply`).
 * A host's reply then gives the kernel facts of the first host of its key, which differ from its own only in what the
 * key leaves out (each zone's free pages) and are what the load keeps for it anyway (`keepPreparedFacts`).
 */
export type ReplyRead = Omit<PlainRead, 'source'> & { readonly source?: ReplySource };

export type ReplySource = Exclude<PlainSource, { readonly kind: 'facts' }> | { readonly kind: 'facts'; readonly header: FactsHeader; readonly prepared: ReplyPrepared };

/** A facts body prepared (`PreparedFacts`), its kernel facts as their number and, the first time, themselves. */
export interface ReplyPrepared {
  readonly facts: HostFacts;
  readonly hasBootLog: boolean;
  /** The number of the kernel facts among those this worker sent, in the order it first sent them; -1 for none. */
  readonly kernelId: number;
  /** The kernel facts, when this worker sends them for the first time. */
  readonly kernel?: KernelFacts;
}

/** A worker's side: the number of each kernel facts' key it sent. */
export type SentKernels = Map<string, number>;

/**
 * How many kernel facts a worker numbers: past that, new ones are sent whole each time (numbered -1), so that a
 * fleet of hosts all unlike keeps no second copy of every key in the worker (4,096 keys: ~4 MB).
 */
export const maxSentKernels = 4096;

/** The loading thread's side, for one worker: the kernel facts it sent, by number. */
export type TakenKernels = Map<number, KernelFacts>;

export const newSentKernels = (): SentKernels => new Map();
export const newTakenKernels = (): TakenKernels => new Map();

/** The reply for `read` from a worker that sent `sent` so far (noted there when these kernel facts are new). */
export function replyOf(read: PlainRead, sent: SentKernels): ReplyRead {
  const { source } = read;
  if (source?.kind !== 'facts') return read as ReplyRead;
  const { facts, kernel, hasBootLog } = source.prepared;
  const known = sent.get(kernel.key);
  const kernelId = known ?? (sent.size < maxSentKernels ? sent.size : -1);
  if (known === undefined && kernelId >= 0) sent.set(kernel.key, kernelId);
  const prepared: ReplyPrepared = known === undefined ? { facts, hasBootLog, kernelId, kernel } : { facts, hasBootLog, kernelId };
  return { ...read, source: { kind: 'facts', header: source.header, prepared } };
}

/**
 * The `PlainRead` of a worker's reply, taken in the order that worker posted its replies (`taken` is what it sent
 * before): a facts file's kernel facts from the first reply that carried them.
 */
export function takeReply(reply: ReplyRead, taken: TakenKernels): PlainRead {
  const { source } = reply;
  if (source?.kind !== 'facts') return reply as PlainRead;
  const { facts, hasBootLog, kernelId } = source.prepared;
  if (source.prepared.kernel !== undefined && kernelId >= 0) taken.set(kernelId, source.prepared.kernel);
  const kernel = source.prepared.kernel ?? taken.get(kernelId);
  // A bug, not a problem of the file: replies are taken in the order they were posted.
  if (kernel === undefined) throw new Error(`read pool: ${reply.file}: kernel facts ${kernelId} were never sent`);
  return { ...reply, source: { kind: 'facts', header: source.header, prepared: { facts, kernel, hasBootLog } } };
}
