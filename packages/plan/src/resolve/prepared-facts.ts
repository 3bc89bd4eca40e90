import { factTextsKey, modelFacts, parseFactTexts, type FactTexts } from '@tcpmem/kernel-model';
import type { FactsDocument, HostFacts } from '@tcpmem/schema';

/** What kernel-model reads of a host's facts: the fields besides the texts, the parsed texts, and a key naming both. */
export interface KernelFacts {
  /** `modelFacts` of the facts (release, version, cmdline, CPUs, …): what a kernel's hardware carries as `facts`. */
  readonly facts: HostFacts;
  readonly texts: FactTexts;
  /** Equal for two hosts whose facts give the same kernel (the texts' `factTextsKey` and these fields). */
  readonly key: string;
}

/**
 * A facts file's body as an offline plan needs it, prepared from the one read of the file: the facts without their
 * texts (sysctls, release, …; what the plan records of them) and, shared between hosts whose kernels are the same,
 * what the kernel model reads. A discovered host's texts are tens of kilobytes; this is a few hundred bytes.
 */
export interface PreparedFacts {
  /** The facts without zoneinfo, meminfo, nodeMeminfo, dmesg and hashTablesLine. */
  readonly facts: HostFacts;
  readonly kernel: KernelFacts;
  /** Whether the facts hold a boot log (what calibration learns a build profile from). */
  readonly hasBootLog: boolean;
}

/** Prepared facts by the facts document (the header a loaded fleet keeps) they were read with. */
const prepared = new WeakMap<FactsDocument, PreparedFacts>();

/** The prepared facts of a loaded facts document, or undefined when its body was kept whole (read it as `.facts`). */
export function preparedFactsOf(document: FactsDocument): PreparedFacts | undefined {
  return prepared.get(document);
}

/** Shares what hosts have in common between the facts one load prepares: kernel facts by key. */
export type FactsInterner = Map<string, KernelFacts>;

/**
 * Prepares the body `facts` read with `document` (its texts parsed once) and keeps it with the document for
 * `preparedFactsOf`. Kernel facts equal to ones `interner` has are shared, so a fleet of many hosts of few
 * machine types keeps one copy of each.
 */
export function prepareFacts(document: FactsDocument, facts: HostFacts, interner: FactsInterner): PreparedFacts {
  return keepPreparedFacts(document, prepareFactsBody(facts), interner);
}

/**
 * A facts body prepared on its own, without sharing (`keepPreparedFacts` shares and keeps it): plain data, so a
 * read worker (load/read-worker.ts) prepares it where it parsed the file and hands it over.
 */
export function prepareFactsBody(facts: HostFacts): PreparedFacts {
  const rest: HostFacts = { ...facts };
  delete rest.zoneinfo;
  delete rest.meminfo;
  delete rest.nodeMeminfo;
  delete rest.dmesg;
  delete rest.hashTablesLine;
  const texts = parseFactTexts(facts);
  const fields = modelFacts(facts);
  const key = `${JSON.stringify(fields)}\n${factTextsKey(texts)}`;
  return { facts: rest, kernel: { facts: fields, texts, key }, hasBootLog: facts.dmesg !== undefined };
}

/** Keeps prepared facts with `document` for `preparedFactsOf`, their kernel facts shared through `interner`. */
export function keepPreparedFacts(document: FactsDocument, body: PreparedFacts, interner: FactsInterner): PreparedFacts {
  let kernel = interner.get(body.kernel.key);
  if (kernel === undefined) {
    kernel = body.kernel;
    interner.set(kernel.key, kernel);
  }
  const result: PreparedFacts = { facts: body.facts, kernel, hasBootLog: body.hasBootLog };
  prepared.set(document, result);
  return result;
}
