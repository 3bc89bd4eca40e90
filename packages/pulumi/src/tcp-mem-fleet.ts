import * as pulumi from '@pulumi/pulumi';
import type { Fleet, SshConnection } from '@tcpmem/schema';
import { FleetConfigError, fleetHostInputs, loadFleetConfig } from './fleet-hosts';
import { HostTcpMemory } from './host-tcp-memory';

/** The arguments of a `TcpMemFleet`. */
export interface TcpMemFleetArgs {
  /**
   * The tcpmem config: the path of a fleet file or folder, exactly as `tcpmem plan` takes it (includes resolve
   * relative to the file), or a fleet document (`kind: fleet`) as an object.
   */
  readonly config: string | Fleet;
  /** Only these hosts or groups (like `tcpmem plan --target`); default: every host with an address. */
  readonly targets?: readonly string[];
  /** A private key for every host (a secret), instead of the `ssh.identityFile` the config names. */
  readonly privateKey?: pulumi.Input<string>;
  /** The passphrase of `privateKey`, when it is encrypted. */
  readonly privateKeyPassphrase?: pulumi.Input<string>;
  /** Pinned host keys by host name (`ssh-ed25519 AAAA…`); a host's pin replaces the config's `ssh.knownHostsFile`. */
  readonly hostKeys?: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * A whole tcpmem config repo as Pulumi resources: one `HostTcpMemory` per host with an address, named
 * `<name>-<host>` and parented to this component, with its settings layered from the config exactly as
 * `tcpmem plan` layers them. The config repo and the Pulumi program share the same files; `tcpmem plan` on the
 * repo and `pulumi preview` see the same desired values.
 */
export class TcpMemFleet extends pulumi.ComponentResource {
  /** The host resources, by host name. */
  readonly hosts: Readonly<Record<string, HostTcpMemory>>;

  /**
   * Loads and validates the config (schema, layering, unknown groups, presets and targets) while the program
   * runs, and throws an error that lists every problem with its file, line and column when there are errors:
   * no resource is declared for a broken config.
   */
  constructor(name: string, args: TcpMemFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tcpmem:index:TcpMemFleet', name, {}, opts);
    const load = loadFleetConfig(args.config);
    if (!load.ok) throw new FleetConfigError(load.problems);
    const hosts: Record<string, HostTcpMemory> = {};
    for (const host of fleetHostInputs(load.fleet, args.targets ?? [])) {
      if ('skipped' in host) {
        void pulumi.log.info(`tcpmem: host ${host.name} is not managed: ${host.skipped}`, this);
        continue;
      }
      const hostKey = args.hostKeys?.[host.name];
      // A pinned host key stands in for the config's known_hosts file.
      const ssh = hostKey === undefined || host.inputs.ssh === undefined ? host.inputs.ssh : withoutKnownHostsFile(host.inputs.ssh);
      hosts[host.name] = new HostTcpMemory(
        `${name}-${host.name}`,
        {
          ...host.inputs,
          ...(ssh === undefined ? {} : { ssh }),
          ...(args.privateKey === undefined ? {} : { privateKey: args.privateKey }),
          ...(args.privateKeyPassphrase === undefined ? {} : { privateKeyPassphrase: args.privateKeyPassphrase }),
          ...(hostKey === undefined ? {} : { hostKey }),
        },
        { parent: this },
      );
    }
    this.hosts = hosts;
    this.registerOutputs({ hosts: Object.fromEntries(Object.entries(hosts).map(([hostName, resource]) => [hostName, resource.applied])) });
  }
}

function withoutKnownHostsFile(ssh: SshConnection): SshConnection {
  const copy = { ...ssh };
  delete copy.knownHostsFile;
  return copy;
}
