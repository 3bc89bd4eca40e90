import type { Change } from '@tcpmem/schema';
import type { HostKernel } from '../resolve/host-kernel';
import type { DesiredValue } from '../resolve/resolve-sysctl';
import { sameValues, type Observation } from '../observe/observation';

/**
 * Diffs one host's desired sysctls against what was observed, Terraform style:
 * - `create`: tcpmem does not manage the sysctl yet (it is not in tcpmem's file, or the host was not read live);
 * - `update`: managed, but the live value or tcpmem's file differs from the desired value (`drift` says which);
 * - `delete`: in tcpmem's file but no longer in the config: restore what the host's other sysctl.d files set at
 *   boot, else the kernel default, and drop the line;
 * - `no-op`: managed and equal, live and on disk.
 * `{atLeast}` fields take the larger of the desired and the live value. Comparison is on integers only.
 */
export function diffHost(desired: ReadonlyMap<string, DesiredValue>, kernel: HostKernel, observed: Observation): Change[] {
  const changes: Change[] = [];
  const own = observed.persisted?.own;
  for (const [name, want] of desired) {
    const shape = kernel.shapes.get(name);
    if (shape === undefined) continue;
    const live = observed.sysctls.get(name);
    const after = want.values.map((v, i) => (want.onlyRaise[i] === true && live?.[i] !== undefined ? Math.max(v, live[i]) : v));
    const raisedKept = want.onlyRaise.some((r, i) => r && after[i] !== want.values[i]);
    const reason = raisedKept ? `${want.reason}; the host's higher value is kept` : want.reason;
    const persistedBefore = own?.get(name);
    // Members set one by one in the order `--json` prints them (sysctl … kernelDefault, then action and the rest),
    // the optional ones only when there is something to say: spreading a base into each change cost more than the
    // rest of the diff of a host planned from facts.
    const change: Omit<Change, 'action'> & Partial<Change> = { sysctl: name, before: live === undefined ? null : [...live], after, unit: shape.unit, reason };
    const defaults = kernel.defaults.get(name);
    if (defaults !== undefined) change.kernelDefault = [...defaults];
    const shadowedBy = shadowingFile(observed, name, after);
    if (observed.persisted === undefined || persistedBefore === undefined) {
      change.action = 'create';
      if (persistedBefore !== undefined) change.persistedBefore = [...persistedBefore];
    } else {
      const liveOk = sameValues(live, after);
      const fileOk = sameValues(persistedBefore, after);
      const drift = liveOk && fileOk ? 'none' : !liveOk && !fileOk ? 'both' : liveOk ? 'file-only' : 'live-only';
      change.action = drift === 'none' ? 'no-op' : 'update';
      change.persistedBefore = [...persistedBefore];
      change.drift = drift;
    }
    if (shadowedBy !== undefined) change.shadowedBy = shadowedBy;
    changes.push(change as Change);
  }
  for (const [name, values] of own ?? []) {
    if (desired.has(name)) continue;
    const shape = kernel.shapes.get(name);
    const defaults = kernel.defaults.get(name);
    const live = observed.sysctls.get(name);
    // What the host gets at boot once tcpmem's line is gone: another sysctl.d file's value, else the kernel default.
    const beneath = observed.persisted?.beneath.get(name);
    const restored = beneath?.values ?? defaults;
    const reason =
      beneath !== undefined
        ? `no longer in the config: restore what ${beneath.file} sets at boot and stop managing it`
        : defaults === undefined
          ? 'no longer in the config; the kernel default is unknown, so only the line is dropped'
          : 'no longer in the config: restore the kernel default and stop managing it';
    changes.push({
      sysctl: name,
      action: 'delete',
      before: live === undefined ? null : [...live],
      after: restored === undefined ? null : [...restored],
      persistedBefore: [...values],
      unit: shape?.unit ?? 'count',
      reason,
      ...(defaults === undefined ? {} : { kernelDefault: [...defaults] }),
    });
  }
  return changes.sort((a, b) => a.sysctl.localeCompare(b.sysctl));
}

/** The file that would override the value after apply at boot, when it sets another value. */
function shadowingFile(observed: Observation, name: string, after: readonly number[]): string | undefined {
  const overriding = observed.persisted?.overriding.get(name);
  return overriding === undefined || sameValues(overriding.values, after) ? undefined : overriding.file;
}
