import { tcpmemSchema, type HostTcpMemoryInputs } from '@tcpmem/schema';

/**
 * What the host resource's provider receives: one host's connection and its desired settings, every settings
 * field in exactly the schema's form. The type is generated from `$defs/HostTcpMemoryInputs` of
 * schemas/tcpmem.schema.json, which documents each input and against which gateInputs checks them.
 */
export type { HostTcpMemoryInputs };

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

/** The names of the inputs, in the schema's order (`$defs/HostTcpMemoryInputs`); `check` reports any other key as unknown. */
export const inputNames = Object.keys(tcpmemSchema.$defs.HostTcpMemoryInputs.properties) as (keyof typeof tcpmemSchema.$defs.HostTcpMemoryInputs.properties)[] satisfies readonly (keyof HostTcpMemoryInputs)[];

/** The outputs a create or update computes (everything in the state that is not an input). */
export const computedNames = ['applied', 'kernelDefaults', 'persistedFile', 'kernelRelease', 'unavailable', 'warnings'] as const satisfies readonly Exclude<
  keyof HostTcpMemoryOutputs,
  keyof HostTcpMemoryInputs
>[];

/** Inputs that are secrets: wrapped with `pulumi.secret` and listed in `additionalSecretOutputs`. */
export const secretInputNames = ['privateKey', 'privateKeyPassphrase'] as const satisfies readonly (keyof HostTcpMemoryInputs)[];

/** The SSH port the host is reached at (the transport's default is 22). */
export const portOf = (inputs: Pick<HostTcpMemoryInputs, 'ssh'>): number => inputs.ssh?.port ?? 22;
