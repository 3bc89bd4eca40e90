import type { HardwareFields, Preset, SshConnection, Sysctls, Workload } from '@tcpmem/schema';

/**
 * What the host resource's provider receives: one host's connection and its desired settings, every settings
 * field in exactly the schema's form (schemas/tcpmem.schema.json: `Ssh`, `HardwareFields`, `Sysctls`,
 * `Workload`, `Preset`). Plain data; the `HostTcpMemory` resource builds it from Pulumi inputs.
 */
export interface HostTcpMemoryInputs {
  /** The host's name in plans, problems and tcpmem's file header (a fleet host name: letters, digits, `._-`). */
  readonly hostName: string;
  /** DNS name or IP address the host is reached at over SSH. Changing it replaces the resource. */
  readonly address: string;
  /** How to reach the host, as a fleet's `ssh` block (port, user, identityFile, agent, sudo, knownHostsFile, …). */
  readonly ssh?: SshConnection;
  /** An OpenSSH or PEM private key, as text. Always a secret in state; never logged nor put in a message. */
  readonly privateKey?: string;
  /** The passphrase of `privateKey`, when it is encrypted. Always a secret. */
  readonly privateKeyPassphrase?: string;
  /**
   * The host's public host key as in its `.pub` file (`ssh-ed25519 AAAA… [comment]`): pins it, instead of a
   * known_hosts file. Mutually exclusive with `ssh.knownHostsFile`.
   */
  readonly hostKey?: string;
  /** What tcpmem knows of the host without reading it; with `kernel` and `memory`, `check` can plan it offline. */
  readonly hardware?: HardwareFields;
  /** Desired values: absolute, relative to the kernel default (`2x`), shares of RAM (`6%`), `{atLeast: …}`. */
  readonly sysctls?: Sysctls;
  /** Targets tcpmem turns into buffer sizes (flow rate, RTT, flows). */
  readonly workload?: Workload;
  /** Presets applied before `sysctls`, in order: built-in (`tcpmem:…`) or defined in `presetDefinitions`. */
  readonly presets?: string[];
  /** Presets of the program's own (a fleet's `presets`), by name. */
  readonly presetDefinitions?: Record<string, Preset>;
}

/** A sysctl's values as integers, as plans hold them: one, or three for a triple. */
export type SysctlValueList = number[];

/**
 * The host resource's state: its inputs, and what the last create or update did on the host. Pulumi passes it
 * back as `olds` to `diff`, `update` and `delete`.
 */
export interface HostTcpMemoryOutputs extends HostTcpMemoryInputs {
  /** Every managed sysctl's value on the host after the apply (read back live), by sysctl name. */
  readonly applied: Record<string, SysctlValueList>;
  /** The host kernel's boot-time default of every sysctl tcpmem manages that the host has, by sysctl name. */
  readonly kernelDefaults: Record<string, SysctlValueList>;
  /** tcpmem's own sysctl file on the host (`/etc/sysctl.d/99-tcpmem.conf`); removed when it would be empty. */
  readonly persistedFile: string;
  /** `uname -r` of the host when it was applied. */
  readonly kernelRelease: string;
  /** Desired settings the host does not have (whole-host sysctls in a network namespace or container). */
  readonly unavailable: string[];
  /** Warnings of the last plan and apply (shadowing sysctl files, settings left alone), as sentences. */
  readonly warnings: string[];
}

/** The names of the inputs, in the order they are documented; `check` reports any other key as unknown. */
export const inputNames = [
  'hostName',
  'address',
  'ssh',
  'privateKey',
  'privateKeyPassphrase',
  'hostKey',
  'hardware',
  'sysctls',
  'workload',
  'presets',
  'presetDefinitions',
] as const satisfies readonly (keyof HostTcpMemoryInputs)[];

/** The outputs a create or update computes (everything in the state that is not an input). */
export const computedNames = ['applied', 'kernelDefaults', 'persistedFile', 'kernelRelease', 'unavailable', 'warnings'] as const satisfies readonly Exclude<
  keyof HostTcpMemoryOutputs,
  keyof HostTcpMemoryInputs
>[];

/** Inputs that are secrets: wrapped with `pulumi.secret` and listed in `additionalSecretOutputs`. */
export const secretInputNames = ['privateKey', 'privateKeyPassphrase'] as const satisfies readonly (keyof HostTcpMemoryInputs)[];

/** The SSH port the host is reached at (the transport's default is 22). */
export const portOf = (inputs: Pick<HostTcpMemoryInputs, 'ssh'>): number => inputs.ssh?.port ?? 22;
