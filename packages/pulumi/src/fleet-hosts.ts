import { ConfigPathError, childPointer, layerHost, loadFleet, locateProblems, selectHosts, type Defined, type FleetModel } from '@tcpmem/plan';
import { checkSource, formatProblem, hasErrors, problem, sortProblems, type Fleet, type Group, type Host, type Preset, type Problem, type Settings, type Sysctls } from '@tcpmem/schema';
import type { HostTcpMemoryInputs } from './host-inputs';

/** The name problems in a fleet given as an object are filed under. */
export const inlineFleetFile = '(fleet object).json';

/** A fleet ready to be turned into host resources, or every problem that stops it. */
export type FleetLoadResult = { readonly ok: true; readonly fleet: FleetModel; readonly warnings: readonly Problem[] } | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * Loads a tcpmem config for Pulumi, through the same gate as `tcpmem plan`: a path (a fleet file or a folder,
 * with its includes) goes through loadFleet; an object must be one fleet document (`kind: fleet`, no
 * `include`) and is validated against the schema like a file. Problems carry file, line and column.
 */
export function loadFleetConfig(config: string | Fleet): FleetLoadResult {
  if (typeof config === 'string') {
    let load: ReturnType<typeof loadFleet>;
    try {
      load = loadFleet(config);
    } catch (error) {
      if (error instanceof ConfigPathError) return { ok: false, problems: [problem('TCPMEM_PATH', error.message, { hint: error.hint })] };
      throw error;
    }
    const problems = sortProblems(locateProblems(load.problems, load.documents));
    if (load.fleet === undefined || hasErrors(problems)) return { ok: false, problems };
    return { ok: true, fleet: load.fleet, warnings: problems };
  }
  const checked = checkSource(inlineFleetFile, JSON.stringify(config, null, 2));
  if (!checked.ok) return { ok: false, problems: checked.problems };
  if (checked.value.kind !== 'fleet') return { ok: false, problems: [problem('TCPMEM_NO_FLEET', 'the config object is not a fleet (`kind: fleet`)', { file: inlineFleetFile, path: '/kind', hint: 'Pass a fleet document, or the path of a fleet file.' })] };
  const doc = checked.value;
  if (doc.include !== undefined) {
    return { ok: false, problems: [problem('TCPMEM_PULUMI_INCLUDE', 'a fleet given as an object cannot `include` files', { file: inlineFleetFile, path: '/include', hint: 'Pass the fleet file\'s path instead, so includes resolve relative to it.' })] };
  }
  return { ok: true, fleet: fleetOfDocument(doc, inlineFleetFile), warnings: [] };
}

/** A fleet model of one fleet document (what loadFleet assembles from files), hosts, groups and presets sorted by name. */
function fleetOfDocument(doc: Fleet, file: string): FleetModel {
  const named = <T>(key: string, entries: Record<string, T | undefined> | undefined): Map<string, Defined<T>> =>
    new Map(
      Object.entries(entries ?? {})
        .filter((entry): entry is [string, T] => entry[1] !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => [name, { name, value, origin: { file, pointer: childPointer('', key, name) } }]),
    );
  return {
    name: doc.name,
    files: [file],
    defaults: doc.defaults === undefined ? undefined : ({ name: 'defaults', value: doc.defaults, origin: { file, pointer: '/defaults' } } satisfies Defined<Settings>),
    presets: named<Preset>('presets', doc.presets),
    groups: named<Group>('groups', doc.groups),
    hosts: [...named<Host>('hosts', doc.hosts).values()],
    facts: new Map(),
  };
}

/** One host of a fleet, as the inputs of its resource, or why it gets none. */
export type FleetHostInputs = { readonly name: string; readonly inputs: HostTcpMemoryInputs } | { readonly name: string; readonly skipped: string };

/**
 * The resource inputs of the selected hosts of a fleet (`targets`: host or group names, as `--target`; empty:
 * all). Each host's settings are layered exactly as `tcpmem plan` layers them (defaults < groups in the host's
 * order < host; presets before a level's own sysctls) and handed over flattened: the merged `ssh`, `hardware`,
 * `workload` and the merged expression of every sysctl, in the schema's forms, so the host resource plans what
 * the CLI would. Hosts without an address are skipped (they can only be planned offline). Throws a
 * `FleetConfigError` for an unknown target, group or preset.
 */
export function fleetHostInputs(fleet: FleetModel, targets: readonly string[] = []): FleetHostInputs[] {
  const selection = selectHosts(fleet, targets, []);
  const problems: Problem[] = [];
  if (selection.unmatched.length > 0) {
    problems.push(problem('TCPMEM_PULUMI_TARGET', `no host or group is named ${selection.unmatched.map((n) => `"${n}"`).join(', ')}`, { hint: 'Check `targets` against the fleet\'s host and group names.' }));
  }
  const out: FleetHostInputs[] = [];
  for (const index of selection.indexes) {
    const layered = layerHost(fleet, index, problems);
    if (layered.address === undefined) {
      out.push({ name: layered.name, skipped: 'it has no address, so it can only be planned offline (`tcpmem plan`)' });
      continue;
    }
    const sysctls = Object.fromEntries([...layered.sysctls].map(([name, sysctl]) => [name, sysctl.expr])) as Sysctls;
    out.push({
      name: layered.name,
      inputs: {
        hostName: layered.name,
        address: layered.address,
        ...(Object.keys(layered.ssh).length === 0 ? {} : { ssh: layered.ssh }),
        ...(Object.keys(layered.hardware).length === 0 ? {} : { hardware: layered.hardware }),
        ...(Object.keys(sysctls).length === 0 ? {} : { sysctls }),
        ...(layered.workload === undefined ? {} : { workload: layered.workload.value }),
      },
    });
  }
  if (hasErrors(problems)) throw new FleetConfigError(problems);
  return out;
}

/** A tcpmem config that cannot be turned into host resources; the message lists every problem, located. */
export class FleetConfigError extends Error {
  override readonly name = 'FleetConfigError';

  constructor(readonly problems: readonly Problem[]) {
    super(`the tcpmem config has errors; no host resource was declared:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
}
