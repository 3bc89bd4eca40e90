import type { Problem } from '@tcpmem/schema';
import { selectHostsByPattern, shardOfHost, type FleetLoad, type FleetModel, type Shard } from '@tcpmem/plan';
import { TcpmemError, usageError, userError } from '../errors/errors';
import { loadFleetConfig } from './load-fleet-config';

/** A loaded fleet, the hosts --target/--exclude select, and the load's (warning) problems. */
export interface LoadedSelection {
  readonly fleet: FleetModel;
  readonly indexes: number[];
  readonly loadProblems: Problem[];
  readonly documents: FleetLoad['documents'];
}

/** How far a command reaches beyond --target/--exclude: one shard of the fleet, files outside the config repo. */
export interface SelectionScope {
  /** `--shard I/N`: only the hosts whose name hashes to shard I of N (see plan's shardOfHost). */
  readonly shard?: Shard | undefined;
  /** `--allow-outside-root`: read includes, facts and symlinks that lead out of the config repo. */
  readonly allowOutsideRoot?: boolean | undefined;
}

/** What a load reads besides the config: see loadFleet's options of the same names (both default true). */
export interface SelectionReads {
  /** Make the config digest from the load's reads (a plan that is only shown needs none). */
  readonly digest?: boolean;
  /** Read facts files (`tcpmem discover`, which writes them, reads none). */
  readonly facts?: boolean;
}

/**
 * Loads a config and selects hosts, as every command that works on a fleet does: a missing path is a
 * TCPMEM_PATH error, a config with errors an InvalidConfigError carrying the located problems, and a
 * --target/--exclude that names nothing, or that leaves no host of the fleet, a usage error. With a shard, only its
 * hosts are kept, after the selection, so N controllers with the same flags split exactly the hosts one controller
 * would take; a shard may hold none (a fleet of 3 hosts in a matrix of 4 shards): that is no error.
 */
export function loadSelection(configPath: string, targets: readonly string[], excludes: readonly string[], scope: SelectionScope = {}, reads: SelectionReads = {}): LoadedSelection {
  const load = loadFleetConfig(configPath, { allowOutsideRoot: scope.allowOutsideRoot === true, digest: reads.digest !== false, facts: reads.facts !== false });
  if (!load.ok) {
    if (load.pathError !== undefined) throw userError('TCPMEM_PATH', load.pathError.message, load.pathError.hint);
    throw new InvalidConfigError(configPath, load.problems);
  }
  const selection = selectHostsByPattern(load.fleet, targets, excludes);
  if (selection.unmatched.length > 0) {
    throw usageError(`no host or group is named ${selection.unmatched.map((n) => `"${n}"`).join(', ')}`, "Check --target/--exclude against the fleet's host and group names (globs such as 'web-*' match both).");
  }
  if (selection.indexes.length === 0 && load.fleet.hosts.length > 0) {
    // A run that selects nothing must not read as one that found nothing to change (`No changes.`, exit 0).
    const flags = [...targets.map((t) => `--target "${t}"`), ...excludes.map((e) => `--exclude "${e}"`)].join(' ');
    const all = load.fleet.hosts.length;
    throw usageError(`no host is left after ${flags}: none of the fleet's ${all} host${all === 1 ? ' is' : 's are'} selected`, "Check --target/--exclude against the fleet's host and group names: a host is selected when a --target names it or one of its groups (no --target: every host) and no --exclude does.");
  }
  const shard = scope.shard;
  const indexes = shard === undefined ? selection.indexes : selection.indexes.filter((i) => shardOfHost(load.fleet.hosts[i]!.name, shard.count) === shard.index);
  return { fleet: load.fleet, indexes, loadProblems: [...load.warnings], documents: load.documents };
}

/** A config with errors: nothing was planned. */
export class InvalidConfigError extends TcpmemError {
  constructor(configPath: string, problems: readonly Problem[]) {
    super('TCPMEM_INVALID_CONFIG', `${configPath} has errors; nothing was planned`, 'Fix the problems listed (`tcpmem validate` lists them too), then plan again.', 1, problems);
  }
}
