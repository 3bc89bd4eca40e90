import { seriesOf, type KernelVersion } from '../series/kernel-version';
import { checkWrite, type WriteCheck, type WriteContext } from './check-write';
import { listKernelChanges } from './kernel-changes';
import { stableSublevelOf } from './stable-sublevel';
import type { SysctlName } from './sysctl-definition';

/**
 * `checkWrite` for a kernel known only by its release string, when that string hides the stable sublevel
 * (Debian's `6.1.0-26-amd64`): accepted when the kernel of some stable sublevel of the release accepts the write,
 * refused when every one refuses it. `checkWrite` alone takes the stricter outcome of an open backport; a planner
 * that knew the sublevel (`/proc/version`) may have accepted the write, and this says whether any could have.
 * A release that shows its sublevel, or a `context.stableSublevel`, is `checkWrite` itself. Pure.
 */
export function checkWriteAtSomeSublevel(name: SysctlName, values: readonly (bigint | number)[], version: KernelVersion, context: WriteContext = {}): WriteCheck {
  const check = checkWrite(name, values, version, context);
  if (check.accepted || check.certain || stableSublevelOf(version, context.stableSublevel) !== undefined) return check;
  for (const sublevel of sublevelsThatDiffer(seriesOf(version))) {
    const at = checkWrite(name, values, version, { ...context, stableSublevel: sublevel });
    if (at.accepted) return at;
  }
  return check;
}

/**
 * One stable sublevel of each range in which the series' dated backports (kernel-changes.ts) are all settled
 * alike: a backport is absent up to its `lastWithout`, present from its `firstWith`, open between. Sublevels on
 * both sides of every bound, 0 and a sublevel above all of them cover every combination the series can have.
 */
function sublevelsThatDiffer(series: string): number[] {
  const points = new Set<number>([0, 1_000_000]);
  for (const change of listKernelChanges()) {
    const stable = change.stable[series];
    for (const bound of [stable?.firstWith, stable?.lastWithout]) {
      if (bound === undefined) continue;
      for (const p of [bound - 1, bound, bound + 1]) if (p >= 0) points.add(p);
    }
  }
  return [...points].sort((a, b) => a - b);
}
