import { portOf, type HostTcpMemoryInputs } from './host-inputs';

/**
 * The codes of errors the provider throws (docs/pulumi.md lists them):
 * - `TCPMEM_PULUMI_INPUTS`: the inputs have errors (create/update/delete re-run the gate);
 * - `TCPMEM_PULUMI_INVALID`: the desired settings do not fit the host read live;
 * - `TCPMEM_PULUMI_UNREACHABLE`: the host could not be reached or read over SSH;
 * - `TCPMEM_PULUMI_APPLY_FAILED`: the apply failed; the message says where the host was left (rolled back, …).
 */
export type PulumiErrorCode = 'TCPMEM_PULUMI_INPUTS' | 'TCPMEM_PULUMI_INVALID' | 'TCPMEM_PULUMI_UNREACHABLE' | 'TCPMEM_PULUMI_APPLY_FAILED';

/**
 * An error the provider reports to Pulumi: what is wrong, where, and what to do. Its message is built only from
 * host names, addresses, sysctl names and values, and the transport's and engine's messages, none of which
 * holds a secret: never from a private key or a passphrase.
 */
export class TcpmemPulumiError extends Error {
  override readonly name = 'TcpmemPulumiError';

  constructor(
    readonly code: PulumiErrorCode,
    message: string,
    readonly hint: string,
  ) {
    super(`${code}: ${message}\n  hint: ${hint}`);
  }
}

/** `web-1 (198.51.100.10:22)`: how messages name a host. */
export function where(inputs: Pick<HostTcpMemoryInputs, 'hostName' | 'address' | 'ssh'>): string {
  const host = inputs.address.includes(':') ? `[${inputs.address}]` : inputs.address;
  return `${inputs.hostName} (${host}:${portOf(inputs)})`;
}
