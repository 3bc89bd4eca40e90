import * as pulumi from '@pulumi/pulumi';
import { computedNames, secretInputNames, type HostTcpMemoryInputs, type HostTcpMemoryOutputs, type SysctlValueList } from './host-inputs';
import type { hostProviderOperations } from './host-provider-operations';

type Operations = typeof hostProviderOperations;

/**
 * The implementation, loaded by package name when a method runs. Pulumi serializes the provider object with
 * everything its methods capture and runs that text in its own provider process; a `require` inside a function
 * is never captured, so the serialized provider is these few lines and the implementation is loaded from the
 * program's node_modules there (as a workspace symlink, a module would otherwise be serialized by value).
 */
function operations(): Operations {
  // A require by package name on purpose (see above), which is what both rules forbid elsewhere.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries
  return (require('@tcpmem/pulumi') as { hostProviderOperations: Operations }).hostProviderOperations;
}

/**
 * The dynamic provider of `HostTcpMemory`. It holds no state, no client and no secret: every method opens what
 * it needs (an SSH session, a kernel lookup) and closes it before returning. The contract of each method is
 * that of `hostProviderOperations` (host-provider-operations.ts), which it calls.
 */
export class HostTcpMemoryProvider implements pulumi.dynamic.ResourceProvider<HostTcpMemoryInputs, HostTcpMemoryOutputs> {
  /** Validates inputs (schema, then semantic rules, offline); every error is a failure at its property path. Never contacts the host. */
  check(olds: HostTcpMemoryInputs, news: HostTcpMemoryInputs): Promise<pulumi.dynamic.CheckResult<HostTcpMemoryInputs>> {
    return operations().check(olds, news);
  }

  /** Compares canonically and re-reads the live host (read-only) for drift; an address or port change replaces. */
  diff(id: string, olds: HostTcpMemoryOutputs, news: HostTcpMemoryInputs): Promise<pulumi.dynamic.DiffResult> {
    return operations().diff(id, olds, news);
  }

  /** Reads, plans and applies the host with the apply engine (live, verify, persist, roll back on failure). */
  create(inputs: HostTcpMemoryInputs): Promise<pulumi.dynamic.CreateResult<HostTcpMemoryOutputs>> {
    return operations().create(inputs);
  }

  /** Refreshes `applied` and `kernelRelease` from the live host (read-only). */
  read(id: string, props?: HostTcpMemoryOutputs): Promise<pulumi.dynamic.ReadResult<HostTcpMemoryOutputs>> {
    return operations().read(id, props);
  }

  /** Applies the new inputs as `create` does. */
  update(id: string, olds: HostTcpMemoryOutputs, news: HostTcpMemoryInputs): Promise<pulumi.dynamic.UpdateResult<HostTcpMemoryOutputs>> {
    return operations().update(id, olds, news);
  }

  /** Restores the kernel default of every setting in tcpmem's file and removes the file (rolled back on failure). */
  delete(id: string, props: HostTcpMemoryOutputs): Promise<void> {
    return operations().delete(id, props);
  }
}

/** The one provider object every `HostTcpMemory` shares (Pulumi serializes it once per program). */
export const hostTcpMemoryProvider = new HostTcpMemoryProvider();

/**
 * The arguments of a `HostTcpMemory`: the provider's inputs (host-inputs.ts, documented there), each of which
 * may be a Pulumi input; `hostName` defaults to the resource's name.
 */
export type HostTcpMemoryArgs = {
  readonly [K in Exclude<keyof HostTcpMemoryInputs, 'hostName'>]?: pulumi.Input<NonNullable<HostTcpMemoryInputs[K]>>;
} & {
  readonly address: pulumi.Input<string>;
  readonly hostName?: pulumi.Input<string>;
};

/**
 * The TCP memory settings of one Linux host, managed over SSH with tcpmem's planner and apply engine: the same
 * results as `tcpmem apply` for a fleet holding this one host. One resource per host: it owns tcpmem's file
 * on the host (`/etc/sysctl.d/99-tcpmem.conf`), and a setting in that file that the resource does not name is
 * restored to its kernel default. `privateKey` and `privateKeyPassphrase` are secrets in the state.
 */
export class HostTcpMemory extends pulumi.dynamic.Resource {
  /** The host's name in plans and tcpmem's file (the resource name unless given). */
  declare readonly hostName: pulumi.Output<string>;
  /** The address the host is reached at. */
  declare readonly address: pulumi.Output<string>;
  /** Every managed sysctl's value on the host after the last apply, by sysctl name (read back live). */
  declare readonly applied: pulumi.Output<Record<string, SysctlValueList>>;
  /** The host kernel's boot-time default of every sysctl tcpmem manages that the host has. */
  declare readonly kernelDefaults: pulumi.Output<Record<string, SysctlValueList>>;
  /** tcpmem's sysctl file on the host. */
  declare readonly persistedFile: pulumi.Output<string>;
  /** `uname -r` of the host at the last apply. */
  declare readonly kernelRelease: pulumi.Output<string>;
  /** Desired settings the host does not have (whole-host sysctls in a network namespace or container). */
  declare readonly unavailable: pulumi.Output<string[]>;
  /** Warnings of the last plan and apply. */
  declare readonly warnings: pulumi.Output<string[]>;

  /**
   * Declares the settings of one host. Secrets given as plain values are made secrets here; Pulumi stores them
   * encrypted and they are kept secret among the outputs too (`additionalSecretOutputs`).
   */
  constructor(name: string, args: HostTcpMemoryArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = { ...args, hostName: args.hostName ?? name };
    for (const secret of secretInputNames) {
      const value = args[secret];
      if (value !== undefined) props[secret] = pulumi.secret(value);
    }
    for (const computed of computedNames) props[computed] = undefined;
    super(hostTcpMemoryProvider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: [...secretInputNames] }), 'tcpmem', 'HostTcpMemory');
  }
}
