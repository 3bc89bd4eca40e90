import fs from 'node:fs';
import path from 'node:path';
import { discoverHost, readNames, runPool, type AcceptedHostKeyReport, type DiscoverResult } from '@tcpmem/apply';
import { layerHost } from '@tcpmem/plan';
import { validateDefinition } from '@tcpmem/schema';
import { writeFileAtomicAsync } from '../io/write-file-atomic';
import { loadSelection, type SelectionScope } from './load-selection';

export interface DiscoverFlowOptions extends SelectionScope {
  readonly targets: readonly string[];
  readonly excludes: readonly string[];
  readonly parallelism: number;
  readonly connectTimeoutMs: number | undefined;
  /** Told of every host key `hostKeyPolicy: accept-new` trusts on first use (and adds to known_hosts). */
  readonly onHostKeyAccepted?: ((key: AcceptedHostKeyReport) => void) | undefined;
  /** Called as each host finishes. */
  readonly onHost: (result: DiscoveredHost, done: number, total: number) => void;
}

/** One host's discovery: the facts file written, or why not. */
export type DiscoveredHost = (DiscoverResult & { readonly file?: string }) | { readonly host: string; readonly ok: false; readonly code: 'TCPMEM_NO_ADDRESS'; readonly message: string };

export interface DiscoverReport {
  readonly factsDir: string;
  readonly hosts: readonly { host: string; ok: boolean; file?: string; code?: string; message?: string }[];
}

/** The folder facts go to: `facts/` beside a fleet file, or inside a config folder (where the loader looks). */
export function factsDirFor(configPath: string): string {
  return fs.statSync(configPath).isFile() ? path.join(path.dirname(configPath), 'facts') : path.join(configPath, 'facts');
}

/**
 * `tcpmem discover`: reads every selected host with an address over SSH (read-only, `parallelism` at once) and
 * writes one facts document per host, `facts/<host>.json`, atomically, after checking it against the schema.
 */
export async function discoverFleet(configPath: string, options: DiscoverFlowOptions): Promise<DiscoverReport> {
  // No facts file is read: they are what this writes, and one cut short or left in conflict must not stop it.
  const { fleet, indexes } = loadSelection(configPath, options.targets, options.excludes, options, { digest: false, facts: false });
  const dir = factsDirFor(configPath);
  const names = readNames();
  // In the order of the selection; what the report says of each host, not its facts (tens of kilobytes a host,
  // which a fleet of 100,000 must not hold until the last host is read: each is written, then let go).
  const results: DiscoverReport['hosts'][number][] = [];
  let done = 0;
  // A file that cannot be written (a full disk, a folder made read-only) ends the run: no host is read after it,
  // the hosts being read finish (their files written or not), and then it is thrown, no write left running.
  let failedWrite: Error | undefined;
  await runPool(indexes, options.parallelism, async (index, n) => {
    if (failedWrite !== undefined) return;
    const host = fleet.hosts[index]!;
    let result: DiscoveredHost;
    if (host.value.address === undefined) {
      result = { host: host.name, ok: false, code: 'TCPMEM_NO_ADDRESS', message: `${host.name} has no address to read it from` };
    } else {
      const discovered = await discoverHost(host.name, host.value.address, layerHost(fleet, index, []).ssh, names, {
        ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
        onHostKeyAccepted: (key) => options.onHostKeyAccepted?.({ host: host.name, address: key.host, port: key.port, keyType: key.keyType, fingerprint: key.fingerprint, file: key.file }),
      });
      if (discovered.ok) {
        try {
          result = { ...discovered, file: await write(dir, discovered) };
        } catch (error) {
          failedWrite ??= error instanceof Error ? error : new Error(String(error));
          return;
        }
      } else result = discovered;
    }
    results[n] = reportOf(result);
    done += 1;
    options.onHost(result, done, indexes.length);
  });
  if (failedWrite !== undefined) throw failedWrite;
  return { factsDir: dir, hosts: results };
}

/** What the report says of one host's discovery. */
function reportOf(r: DiscoveredHost): DiscoverReport['hosts'][number] {
  return r.ok ? { host: r.host, ok: true, ...(r.file === undefined ? {} : { file: r.file }) } : { host: r.host, ok: false, code: r.code, message: r.message };
}

/**
 * Writes a host's facts, `DIR/HOST.json`, atomically and off the event loop (`writeFileAtomicAsync`): the other
 * hosts' SSH traffic goes on during its fsync.
 */
async function write(dir: string, result: Extract<DiscoverResult, { ok: true }>): Promise<string> {
  const checked = validateDefinition('Facts', result.document);
  if (!checked.ok) throw new Error(`the facts of ${result.host} do not match the schema: ${JSON.stringify(checked.errors.slice(0, 3))}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.host}.json`);
  await writeFileAtomicAsync(file, `${JSON.stringify(result.document, null, 2)}\n`);
  return file;
}
