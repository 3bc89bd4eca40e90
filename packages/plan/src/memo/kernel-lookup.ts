import { createModelMemo, type KernelBuild, type KernelModel } from '@tcpmem/kernel-model';
import type { Hardware } from '@tcpmem/schema';
import type { KernelLookup } from '../plan-host';
import type { WriteCheck } from '../resolve/host-kernel';
import { kernelForHardware } from '../resolve/kernel-for-hardware';
import type { KernelFacts } from '../resolve/prepared-facts';

/** How many kernels a lookup keeps: far more than the distinct machines of a described fleet, bounded for discovered ones. */
export const kernelLookupCapacity = 4096;

/**
 * The kernel lookup of one plan run: `kernelForHardware` once per distinct hardware description (by its JSON), on a
 * kernel model that shares its own steps between machines (kernel-model's `createModelMemo`). Identical hardware is
 * the common case in a described fleet; hosts of one kernel share one `HostKernel`, and kernels of one release and
 * stable sublevel share their write checks.
 * `calibrations` (release → build profile, from `calibrationsFromFacts`) give hosts without facts the profile
 * learned from another host. Discovered facts come prepared (`parsed`: their texts parsed when the file was read)
 * and are keyed by what the model reads of them, so hosts of one machine type share a kernel though their texts
 * differ; facts given whole (texts unparsed) are computed each time and not kept. The lookup keeps at most
 * `capacity` kernels (the oldest go first), so memory stays bounded however many hosts a fleet has.
 */
export function createKernelLookup(
  model: KernelModel = createModelMemo(),
  calibrations: ReadonlyMap<string, KernelBuild> = new Map(),
  capacity: number = kernelLookupCapacity,
): KernelLookup {
  const kernels = new Map<string, ReturnType<KernelLookup>>();
  const writeChecks: WriteChecks = { byText: new Map(), byList: new Map() };
  // Prepared kernel facts are shared between the hosts of one machine type (load interns them by key): each gets a
  // number the first time, so a host's key is that number and the little JSON of its hardware block, not ~1 KB of
  // text to join and hash per host. Numbers are never reused: two kernel facts never get one.
  const factsIds = new WeakMap<KernelFacts, number>();
  let nextFactsId = 0;
  const keyWithFacts = (hardware: Hardware, parsed: KernelFacts): string => {
    // `hardware.facts` is `parsed.facts` (the lookup's contract), which `parsed.key` names; anything else is keyed whole.
    if (hardware.facts !== parsed.facts) return `${JSON.stringify(hardware)}\n${parsed.key}`;
    let id = factsIds.get(parsed);
    if (id === undefined) {
      id = nextFactsId++;
      factsIds.set(parsed, id);
    }
    const block: Partial<Hardware> = { ...hardware };
    delete block.facts;
    return `#${id}\n${JSON.stringify(block)}`;
  };
  return (hardware, parsed) => {
    // Discovered facts whose texts are not parsed (tens of kilobytes, never alike between hosts): keying them would
    // cost their JSON per host for no hit, and keeping them would keep every host's texts. Parsed, they are keyed
    // by what the model reads of them, which hosts of one machine type share.
    if (hardware.facts !== undefined && parsed === undefined) return kernelForHardware(hardware, model, calibrations);
    const key = parsed === undefined ? JSON.stringify(hardware) : keyWithFacts(hardware, parsed);
    let kernel = kernels.get(key);
    if (kernel === undefined) {
      kernel = keepWriteChecks(kernelForHardware(hardware, model, calibrations, parsed?.texts), writeChecks);
      if (kernels.size >= capacity) kernels.delete(kernels.keys().next().value as string);
      kernels.set(key, kernel);
    }
    return kernel;
  };
}

/** How many write checks a lookup keeps: more than the distinct discovered values of 10,000 discovered hosts (~8,000). */
export const kernelWriteChecks = 16384;
/** How many releases and sublevels a lookup keeps lists of values asked about for (the oldest go first). */
export const writeRulesKept = 256;

/** A list's first answer, by identity (a list is asked about for one sysctl, as a rule: one small record each). */
type AnswersByList = WeakMap<readonly number[], { readonly name: string; readonly check: WriteCheck }>;

/** The write checks of one lookup: verdicts by write rules and write, and for each write rules by list identity. */
interface WriteChecks {
  readonly byText: Map<string, WriteCheck>;
  readonly byList: Map<string, AnswersByList>;
}

/**
 * A kept kernel whose write checks are shared with the other kept kernels of its release and stable sublevel
 * (`writeRules`: the verdicts depend on nothing else, not the hardware), so a discovered fleet, one kernel a host,
 * checks each value once per release rather than once per host. Bounded: with more than `kernelWriteChecks`
 * distinct writes the table starts afresh, and lists are looked up by identity for `writeRulesKept` write rules.
 * The answers are only read. A list of values asked about before (the planner reads each discovered text once:
 * hosts with the same text pass the same list) finds its answer by identity, without the text of the key.
 */
function keepWriteChecks(kernel: ReturnType<KernelLookup>, { byText, byList }: WriteChecks): ReturnType<KernelLookup> {
  if ('problem' in kernel) return kernel;
  const rules = kernel.writeRules;
  let lists = byList.get(rules);
  if (lists === undefined) {
    if (byList.size >= writeRulesKept) byList.delete(byList.keys().next().value as string);
    lists = new WeakMap();
    byList.set(rules, lists);
  }
  const answers = lists;
  return {
    ...kernel,
    checkWrite: (name, values) => {
      const known = answers.get(values);
      if (known?.name === name) return known.check;
      const key = `${rules}\n${name} ${values.join(' ')}`;
      let check = byText.get(key);
      if (check === undefined) {
        if (byText.size >= kernelWriteChecks) byText.clear();
        check = kernel.checkWrite(name, values);
        byText.set(key, check);
      }
      if (known === undefined) answers.set(values, { name, check });
      return check;
    },
  };
}
