import type { KernelVersion } from '../series/kernel-version';
import { kernelChange, whyUnknown, type KernelChangeId } from './kernel-changes';
import { getSysctl } from './registry';
import { stableSublevelOf } from './stable-sublevel';
import type { ScopeFacts, SysctlName } from './sysctl-definition';
import { candidatesOf } from './versioned';

export type ScopeAnswer =
  | { readonly certain: true; readonly facts: ScopeFacts }
  | {
      readonly certain: false;
      /** Every possibility, the one without the change first. */
      readonly possible: readonly ScopeFacts[];
      readonly dependsOn: readonly KernelChangeId[];
      readonly why: string;
    };

/**
 * Whether a sysctl is one value for the whole host or one per network namespace on a kernel, what other
 * namespaces see, and where a new namespace's value comes from. `unknown` only for series nobody checked
 * (tcp_mem on 3.12).
 */
export function scopeOf(name: SysctlName, version: KernelVersion, context: { readonly stableSublevel?: number } = {}): ScopeAnswer {
  const sublevel = stableSublevelOf(version, context.stableSublevel);
  const candidates = candidatesOf(getSysctl(name).scope, version, sublevel);
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { certain: true, facts: only.value };
  const dependsOn = [...new Set(candidates.flatMap((c) => c.assumptions.map((a) => a.on as KernelChangeId)))];
  return {
    certain: false,
    possible: candidates.map((c) => c.value),
    dependsOn,
    why: dependsOn.map((id) => `"${kernelChange(id).title}": ${whyUnknown(id, version, sublevel)}`).join('; '),
  };
}
