import { layerHost, selectHosts, type FleetModel } from '@tcpmem/plan';
import type { HardwareFields, Problem, SshConnection, Sysctls, Workload } from '@tcpmem/schema';

/** One selected host's settings, layered and flattened into the schema's forms: a fleet of one host says as much. */
export interface FlatHost {
  readonly name: string;
  readonly address: string;
  readonly ssh: SshConnection;
  readonly hardware: HardwareFields;
  /** The merged expression of every sysctl the levels set (defaults < groups in the host's order < host). */
  readonly sysctls: Sysctls;
  readonly workload: Workload | undefined;
}

/** A selected host: its flattened settings, or why it has none (it has no address). */
export type FleetHost = FlatHost | { readonly name: string; readonly skipped: string };

/** The selected hosts, the targets that name nothing, and the problems of layering (unknown groups, presets). */
export interface FleetHosts {
  readonly hosts: readonly FleetHost[];
  readonly unmatched: readonly string[];
  readonly problems: readonly Problem[];
}

/**
 * The hosts `targets` select (host or group names, as `--target`; empty: all), each with its settings layered
 * exactly as `tcpmem plan` layers them (defaults < groups in the host's order < host; presets before a level's
 * own sysctls) and flattened: the merged `ssh`, `hardware`, `workload` and the merged expression of every sysctl.
 * Planning a one-host fleet of them (`oneHostFleet`) gives what planning the fleet gives. Hosts without an
 * address are skipped: they can only be planned offline.
 */
export function fleetHosts(fleet: FleetModel, targets: readonly string[] = []): FleetHosts {
  const selection = selectHosts(fleet, targets, []);
  const problems: Problem[] = [];
  const hosts: FleetHost[] = [];
  for (const index of selection.indexes) {
    const layered = layerHost(fleet, index, problems);
    if (layered.address === undefined) {
      hosts.push({ name: layered.name, skipped: 'it has no address, so it can only be planned offline (`tcpmem plan`)' });
      continue;
    }
    hosts.push({
      name: layered.name,
      address: layered.address,
      ssh: layered.ssh,
      hardware: layered.hardware,
      sysctls: Object.fromEntries([...layered.sysctls].map(([name, sysctl]) => [name, sysctl.expr])),
      workload: layered.workload?.value,
    });
  }
  return { hosts, unmatched: selection.unmatched, problems };
}
