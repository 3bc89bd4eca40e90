import { ConfigPathError, fleetOfDocument, loadFleet, locateProblems, type FleetLoad, type FleetModel } from '@tcpmem/plan';
import { checkSource, hasErrors, problem, sortProblems, type Fleet, type Problem } from '@tcpmem/schema';

/** The name problems in a fleet given as an object are filed under. */
export const inlineFleetFile = '(fleet object).json';

/** A fleet ready to plan, or every problem that stops it (located by file, line and column). */
export type FleetConfigLoad =
  | { readonly ok: true; readonly fleet: FleetModel; readonly warnings: readonly Problem[]; readonly documents: FleetLoad['documents']; readonly files: readonly string[] }
  | { readonly ok: false; readonly problems: readonly Problem[]; readonly pathError?: ConfigPathError; readonly files?: readonly string[] };

/**
 * Loads a tcpmem config through the one gate: a path (a fleet file or a folder, with its includes and facts) goes
 * through loadFleet; an object must be one fleet document (`kind: fleet`, as the Pulumi component takes it) and
 * is validated against the schema like a file — its `include` is not followed (there is no file to resolve it
 * from): a caller that takes objects refuses it. A path that does not exist is a TCPMEM_PATH problem
 * (and `pathError`); a config with errors gives back its problems, sorted and located; warnings come with the fleet.
 */
export function loadFleetConfig(config: string | Fleet, options: { readonly allowOutsideRoot?: boolean; readonly digest?: boolean; readonly facts?: boolean } = {}): FleetConfigLoad {
  if (typeof config === 'string') {
    let load: FleetLoad;
    try {
      load = loadFleet(config, { allowOutsideRoot: options.allowOutsideRoot === true, ...(options.digest === false ? { digest: false } : {}), ...(options.facts === false ? { facts: false } : {}) });
    } catch (error) {
      if (error instanceof ConfigPathError) return { ok: false, problems: [problem('TCPMEM_PATH', error.message, { hint: error.hint })], pathError: error };
      throw error;
    }
    const problems = sortProblems(locateProblems(load.problems, load.documents));
    if (load.fleet === undefined || hasErrors(problems)) return { ok: false, problems, files: load.files };
    return { ok: true, fleet: load.fleet, warnings: problems, documents: load.documents, files: load.files };
  }
  const checked = checkSource(inlineFleetFile, JSON.stringify(config, null, 2));
  if (!checked.ok) return { ok: false, problems: checked.problems };
  if (checked.value.kind !== 'fleet') return { ok: false, problems: [problem('TCPMEM_NO_FLEET', 'the config object is not a fleet (`kind: fleet`)', { file: inlineFleetFile, path: '/kind', hint: 'Pass a fleet document, or the path of a fleet file.' })] };
  return { ok: true, fleet: fleetOfDocument(checked.value, inlineFleetFile), warnings: [], documents: new Map([[inlineFleetFile, checked.document]]), files: [inlineFleetFile] };
}
