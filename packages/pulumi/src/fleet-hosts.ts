import { fleetHosts, inlineFleetFile, loadFleetConfig as loadConfig, type FleetConfigLoad } from '@tcpmem/app';
import type { FleetModel } from '@tcpmem/plan';
import { formatProblem, hasErrors, problem, type Fleet, type Problem } from '@tcpmem/schema';
import type { HostTcpMemoryInputs } from './host-inputs';

export { inlineFleetFile } from '@tcpmem/app';

/** A fleet ready to be turned into host resources, or every problem that stops it. */
export type FleetLoadResult = FleetConfigLoad;

/**
 * Loads a tcpmem config for Pulumi through the same gate as `tcpmem plan` (the application layer's
 * loadFleetConfig): a path (a fleet file or a folder, with its includes), or one fleet document as an object,
 * validated like a file, which may not `include` files. Problems carry file, line and column.
 */
export function loadFleetConfig(config: string | Fleet): FleetLoadResult {
  const load = loadConfig(config);
  if (load.ok && typeof config !== 'string' && config.include !== undefined) {
    return { ok: false, problems: [problem('TCPMEM_PULUMI_INCLUDE', 'a fleet given as an object cannot `include` files', { file: inlineFleetFile, path: '/include', hint: 'Pass the fleet file\'s path instead, so includes resolve relative to it.' })] };
  }
  return load;
}

/** One host of a fleet, as the inputs of its resource, or why it gets none. */
export type FleetHostInputs = { readonly name: string; readonly inputs: HostTcpMemoryInputs } | { readonly name: string; readonly skipped: string };

/**
 * The resource inputs of the selected hosts of a fleet (`targets`: host or group names, as `--target`; empty:
 * all): each host's settings layered exactly as `tcpmem plan` layers them (fleetHosts) and handed over
 * flattened, so the host resource plans what the CLI would. Hosts without an address are skipped (they can only
 * be planned offline). Throws a `FleetConfigError` for an unknown target, group or preset, and for targets that
 * select no host of a fleet that has some (a group emptied out): no resource would then be declared, and Pulumi
 * would delete every host resource the fleet declared before.
 */
export function fleetHostInputs(fleet: FleetModel, targets: readonly string[] = []): FleetHostInputs[] {
  const selected = fleetHosts(fleet, targets);
  const problems: Problem[] = [];
  if (selected.unmatched.length > 0) {
    problems.push(problem('TCPMEM_PULUMI_TARGET', `no host or group is named ${selected.unmatched.map((n) => `"${n}"`).join(', ')}`, { hint: 'Check `targets` against the fleet\'s host and group names.' }));
  }
  if (selected.unmatched.length === 0 && targets.length > 0 && selected.hosts.length === 0 && fleet.hosts.length > 0) {
    // Declaring no host resource would make `pulumi up` delete every one this fleet declared before: each of
    // those hosts restored to its boot values, because a group emptied out, as `--target` refuses (exit 64).
    problems.push(problem('TCPMEM_PULUMI_TARGET', `no host is selected by targets ${targets.map((t) => `"${t}"`).join(', ')}: none of the fleet's ${fleet.hosts.length} host${fleet.hosts.length === 1 ? ' is' : 's are'} in them`, { hint: 'Check `targets` against the fleet\'s host and group names; to stop managing these hosts, remove the TcpMemFleet resource (or its hosts) on purpose.' }));
  }
  problems.push(...selected.problems);
  if (hasErrors(problems)) throw new FleetConfigError(problems);
  return selected.hosts.map((host) =>
    'skipped' in host
      ? host
      : {
          name: host.name,
          inputs: {
            hostName: host.name,
            address: host.address,
            ...(Object.keys(host.ssh).length === 0 ? {} : { ssh: host.ssh }),
            ...(Object.keys(host.hardware).length === 0 ? {} : { hardware: host.hardware }),
            ...(Object.keys(host.sysctls).length === 0 ? {} : { sysctls: host.sysctls }),
            ...(host.workload === undefined ? {} : { workload: host.workload }),
          },
        },
  );
}

/** A tcpmem config that cannot be turned into host resources; the message lists every problem, located. */
export class FleetConfigError extends Error {
  override readonly name = 'FleetConfigError';

  constructor(readonly problems: readonly Problem[]) {
    super(`the tcpmem config has errors; no host resource was declared:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
}
