import { readHost } from '@tcpmem/apply';
import { listSysctls } from '@tcpmem/kernel-model';
import { layerHost, type FleetModel, type HostObservation } from '@tcpmem/plan';

/** Options of a live read. */
export interface LiveReadOptions {
  readonly parallelism: number;
  /** Where to draw progress (a TTY only); undefined for none. */
  readonly progress: NodeJS.WriteStream | undefined;
}

/**
 * Reads the selected hosts live over SSH, `parallelism` at a time, with a one-line progress display on a
 * terminal. Unreachable hosts come back as such; the plan goes on without them.
 */
export async function readLiveHosts(fleet: FleetModel, indexes: readonly number[], options: LiveReadOptions): Promise<Map<string, HostObservation>> {
  const names = listSysctls().map((s) => s.name);
  const results = new Map<string, HostObservation>();
  const tty = options.progress?.isTTY === true ? options.progress : undefined;
  const started = Date.now();
  let done = 0;
  let failed = 0;
  const draw = () => {
    tty?.write(`\r\u001b[Kreading hosts: ${done}/${indexes.length} done, ${failed} unreachable, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  let next = 0;
  const worker = async () => {
    while (next < indexes.length) {
      const index = indexes[next++]!;
      const host = fleet.hosts[index]!;
      const observation = await readHost(host.value.address!, layerHost(fleet, index, []).ssh, names);
      results.set(host.name, observation);
      done += 1;
      if ('unreachable' in observation) failed += 1;
      draw();
    }
  };
  draw();
  await Promise.all(Array.from({ length: Math.min(options.parallelism, indexes.length) }, worker));
  tty?.write('\r\u001b[K');
  return results;
}
