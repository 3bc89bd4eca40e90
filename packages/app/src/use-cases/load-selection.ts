import type { Problem } from '@tcpmem/schema';
import { selectHostsByPattern, type FleetLoad, type FleetModel } from '@tcpmem/plan';
import { TcpmemError, usageError, userError } from '../errors/errors';
import { loadFleetConfig } from './load-fleet-config';

/** A loaded fleet, the hosts --target/--exclude select, and the load's (warning) problems. */
export interface LoadedSelection {
  readonly fleet: FleetModel;
  readonly indexes: number[];
  readonly loadProblems: Problem[];
  readonly documents: FleetLoad['documents'];
}

/**
 * Loads a config and selects hosts, as every command that works on a fleet does: a missing path is a
 * TCPMEM_PATH error, a config with errors an InvalidConfigError carrying the located problems, and a
 * --target/--exclude that names nothing a usage error.
 */
export function loadSelection(configPath: string, targets: readonly string[], excludes: readonly string[]): LoadedSelection {
  const load = loadFleetConfig(configPath);
  if (!load.ok) {
    if (load.pathError !== undefined) throw userError('TCPMEM_PATH', load.pathError.message, load.pathError.hint);
    throw new InvalidConfigError(configPath, load.problems);
  }
  const selection = selectHostsByPattern(load.fleet, targets, excludes);
  if (selection.unmatched.length > 0) {
    throw usageError(`no host or group is named ${selection.unmatched.map((n) => `"${n}"`).join(', ')}`, "Check --target/--exclude against the fleet's host and group names (globs such as 'web-*' match both).");
  }
  return { fleet: load.fleet, indexes: selection.indexes, loadProblems: [...load.warnings], documents: load.documents };
}

/** A config with errors: nothing was planned. */
export class InvalidConfigError extends TcpmemError {
  constructor(configPath: string, problems: readonly Problem[]) {
    super('TCPMEM_INVALID_CONFIG', `${configPath} has errors; nothing was planned`, 'Fix the problems listed (`tcpmem validate` lists them too), then plan again.', 1, problems);
  }
}
