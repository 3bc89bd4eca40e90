import { factTextsKey, listSysctls, modelFacts, modelFactsKey, parseFactTexts, type FactTexts } from '@tcpmem/kernel-model';
import type { FactsDocument, HostFacts } from '@tcpmem/schema';

/** What kernel-model reads of a host's facts: the fields besides the texts, the parsed texts, and a key naming both. */
export interface KernelFacts {
  /** `modelFacts` of the facts (release, version, cmdline, CPUs, …): what a kernel's hardware carries as `facts`. */
  readonly facts: HostFacts;
  readonly texts: FactTexts;
  /** Equal for two hosts whose facts give the same kernel (the texts' `factTextsKey` and these fields' `modelFactsKey`). */
  readonly key: string;
}

/**
 * A facts file's body as an offline plan needs it, prepared from the one read of the file: the facts without their
 * texts (sysctls, release, …; what the plan records of them) and, shared between hosts whose kernels are the same,
 * what the kernel model reads. A discovered host's texts are tens of kilobytes; this is a few hundred bytes.
 */
export interface PreparedFacts {
  /**
   * The facts without zoneinfo, meminfo, nodeMeminfo, dmesg and hashTablesLine, and of their `sysctls` only those
   * tcpmem manages (`managedSysctlsOf`): a discovery records ~90, a plan reads a dozen.
   */
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
  const texts = parseFactTexts(facts);
  const fields = modelFacts(facts);
  const key = `${modelFactsKey(fields)}\n${factTextsKey(texts)}`;
  return { facts: plannedFacts(facts), kernel: { facts: fields, texts, key }, hasBootLog: facts.dmesg !== undefined };
}

/** The fields of facts the model reads as texts (parsed into `KernelFacts.texts`): an offline plan keeps none of them. */
const textFields: ReadonlySet<string> = new Set(['zoneinfo', 'meminfo', 'nodeMeminfo', 'dmesg', 'hashTablesLine']);

/**
 * The facts an offline plan reads besides the kernel's: every field but the texts, in their order, `sysctls` cut to
 * those tcpmem manages. Built member by member: a copy with members deleted would be a slow (dictionary) object, and
 * a host's ~80 sysctls tcpmem does not manage would stay in memory until the plan ends, unread (plan-host.ts skips a
 * sysctl its kernel has no shape for, and a kernel's shapes are of managed, writable sysctls only).
 */
function plannedFacts(facts: HostFacts): HostFacts {
  const kept: { -readonly [K in keyof HostFacts]: HostFacts[K] } = {};
  for (const name of Object.keys(facts) as (keyof HostFacts)[]) {
    if (textFields.has(name)) continue;
    if (name === 'sysctls') kept.sysctls = managedSysctlsOf(facts.sysctls ?? {});
    else (kept as Record<string, unknown>)[name] = facts[name];
  }
  return kept;
}

/** Of discovered sysctls, those tcpmem manages (managed and writable: what a kernel model has shapes for), in their order. */
export function managedSysctlsOf(sysctls: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const managed = managedNames();
  const kept: Record<string, string | undefined> = {};
  for (const name of Object.keys(sysctls)) if (managed.has(name)) kept[name] = sysctls[name];
  return kept;
}

let managedNamesOnce: ReadonlySet<string> | undefined;
const managedNames = (): ReadonlySet<string> => (managedNamesOnce ??= new Set(listSysctls().filter((d) => d.managed && d.writable).map((d) => d.name)));

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
