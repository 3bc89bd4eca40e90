import { oneHostFleet as appOneHostFleet } from '@tcpmem/app';
import type { FleetModel } from '@tcpmem/plan';
import type { Host, SshConnection } from '@tcpmem/schema';
import type { HostTcpMemoryInputs } from './host-inputs';

/**
 * The name problems found in a resource's inputs are filed under. Pointers are relative to the inputs, so a
 * problem's `path` is the input property it is about.
 */
export const inputsFile = '(pulumi inputs)';

/** The part of the inputs that is a fleet `Host` (schema): what `validateDefinition('Host', …)` checks. */
export function hostPart(inputs: Pick<HostTcpMemoryInputs, 'address' | 'ssh' | 'hardware' | 'sysctls' | 'workload' | 'presets'>): Host {
  return {
    address: inputs.address,
    ...(inputs.ssh === undefined ? {} : { ssh: inputs.ssh }),
    ...(inputs.hardware === undefined ? {} : { hardware: inputs.hardware }),
    ...(inputs.sysctls === undefined ? {} : { sysctls: inputs.sysctls }),
    ...(inputs.workload === undefined ? {} : { workload: inputs.workload }),
    ...(inputs.presets === undefined ? {} : { presets: inputs.presets }),
  };
}

/** What to plan: the inputs' host, optionally with other SSH settings (the apply's materialized key files). */
export interface OneHostOptions {
  /** Replaces the host's `ssh` (for the apply: the same settings with the key and host key in private files). */
  readonly ssh?: SshConnection;
  /** Plan the host with no desired settings: every setting in tcpmem's file becomes a `delete`. */
  readonly release?: boolean;
}

/**
 * A fleet of one host made from a resource's inputs (the application layer's oneHostFleet), so that the very
 * planner of `tcpmem plan` (planHost: layering, resolution, semantic checks, diff) runs on it. The host sits at
 * the root of the inputs (its origin pointer is ""), presets of the program at `/presetDefinitions/NAME`: every
 * problem's path is an input path.
 */
export function oneHostFleet(inputs: HostTcpMemoryInputs, options: OneHostOptions = {}): FleetModel {
  const ssh = options.ssh ?? inputs.ssh;
  const host: Host =
    options.release === true
      ? { address: inputs.address, ...(ssh === undefined ? {} : { ssh }), ...(inputs.hardware === undefined ? {} : { hardware: inputs.hardware }) }
      : hostPart({ ...inputs, ...(ssh === undefined ? {} : { ssh }) });
  return appOneHostFleet({ name: inputs.hostName, host, presets: inputs.presetDefinitions, file: inputsFile });
}
