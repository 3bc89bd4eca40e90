import type { KernelVersion } from '../series/kernel-version';
import { kernelChange, whyUnknown, type KernelChangeId } from './kernel-changes';
import { seriesOf } from '../series/kernel-version';
import { compareSeries } from './kernel-changes';
import { getSysctl, MODEL_FLOOR } from './registry';
import { stableSublevelOf } from './stable-sublevel';
import type { ScopeFacts, SysctlName } from './sysctl-definition';
import { candidatesOf } from './versioned';

export type ScopeAnswer =
  | { readonly certain: true; readonly facts: ScopeFacts }
  | {
      readonly certain: false;
      /** Every possibility, the one without the change first. */
      readonly possible: readonly ScopeFacts[];
      /** The open kernel changes; empty when the kernel is older than every tree read. */
      readonly dependsOn: readonly KernelChangeId[];
      readonly why: string;
    };

/**
 * Whether a sysctl is one value for the whole host or one per network namespace on a kernel, what other
 * namespaces see, and where a new namespace's value comes from. Not certain for series nobody checked (tcp_mem on
 * 3.12) and for kernels older than 3.10.
 */
export function scopeOf(name: SysctlName, version: KernelVersion, context: { readonly stableSublevel?: number } = {}): ScopeAnswer {
  const sublevel = stableSublevelOf(version, context.stableSublevel);
  const candidates = candidatesOf(getSysctl(name).scope, version, sublevel);
  const [only] = candidates;
  if (compareSeries(seriesOf(version), MODEL_FLOOR) < 0) {
    return {
      certain: false,
      possible: candidates.map((c) => c.value),
      dependsOn: [],
      why: `${seriesOf(version)} is older than ${MODEL_FLOOR}, the oldest series read; these are ${MODEL_FLOOR}'s facts`,
    };
  }
  if (candidates.length === 1 && only !== undefined) return { certain: true, facts: only.value };
  const dependsOn = [...new Set(candidates.flatMap((c) => c.assumptions.map((a) => a.on as KernelChangeId)))];
  return {
    certain: false,
    possible: candidates.map((c) => c.value),
    dependsOn,
    why: dependsOn.map((id) => `"${kernelChange(id).title}": ${whyUnknown(id, version, sublevel)}`).join('; '),
  };
}
