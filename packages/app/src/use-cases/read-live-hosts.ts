import { readHost, readHostKeeping, readHostWith, readNames, runPool, type AcceptedHostKeyReport, type SessionPool, type SshTransportOptions } from '@tcpmem/apply';
import { layerHost, type FleetModel, type HostObservation } from '@tcpmem/plan';

/** How far a live read of many hosts has come; `finished` once, at the end. */
export interface LiveReadProgress {
  readonly done: number;
  readonly unreachable: number;
  readonly total: number;
  readonly finished: boolean;
}

/** Options of a live read. */
export interface LiveReadOptions {
  readonly parallelism: number;
  /** Told before the first host, after each host, and once at the end (for a progress display). */
  readonly onProgress?: ((progress: LiveReadProgress) => void) | undefined;
  /** Told of every host key `hostKeyPolicy: accept-new` trusts on first use (and adds to known_hosts). */
  readonly onHostKeyAccepted?: ((key: AcceptedHostKeyReport) => void) | undefined;
  /**
   * `apply CONFIG`: each host's connection is left open here once it was read, for its transaction (one connection
   * per host). The caller closes what is left. Without it, every connection is closed after its read.
   */
  readonly keepSessions?: SessionPool | undefined;
}

/**
 * Reads the selected hosts (each must have an address) live over SSH, read-only, `parallelism` at a time.
 * Unreachable hosts come back as such; the plan goes on without them.
 */
export async function readLiveHosts(fleet: FleetModel, indexes: readonly number[], options: LiveReadOptions): Promise<Map<string, HostObservation>> {
  const names = readNames();
  const results = new Map<string, HostObservation>();
  let done = 0;
  let unreachable = 0;
  const tell = (finished: boolean) => options.onProgress?.({ done, unreachable, total: indexes.length, finished });
  tell(false);
  await runPool(indexes, options.parallelism, async (index) => {
    const host = fleet.hosts[index]!;
    const onKey = (key: Parameters<NonNullable<Parameters<typeof readHost>[3]>>[0]): void => {
      options.onHostKeyAccepted?.({ host: host.name, address: key.host, port: key.port, keyType: key.keyType, fingerprint: key.fingerprint, file: key.file });
    };
    const ssh = layerHost(fleet, index, []).ssh;
    const observation = options.keepSessions === undefined ? await readHost(host.value.address!, ssh, names, onKey) : await readHostKeeping(options.keepSessions, host.name, host.value.address!, ssh, names, onKey);
    results.set(host.name, observation);
    done += 1;
    if ('unreachable' in observation) unreachable += 1;
    tell(false);
  });
  tell(true);
  return results;
}

/**
 * Reads one host live, read-only, with transport options made by the caller (the Pulumi provider's: a key in
 * memory, a pinned host key): the same read as `tcpmem plan`. Unreachable is a value, never an exception.
 */
export function readLiveHost(options: SshTransportOptions): Promise<HostObservation> {
  return readHostWith(options, readNames());
}
