import { readLiveHost } from '@tcpmem/app';
import { planHost, type KernelLookup, type Observation } from '@tcpmem/plan';
import type { HostPlan } from '@tcpmem/schema';
import type { HostTcpMemoryInputs, SysctlValueList } from './host-inputs';
import type { HostSession } from './host-session';
import { oneHostFleet, type OneHostOptions } from './one-host-fleet';
import { describeProblems } from './problem-text';
import { TcpmemPulumiError, where } from './pulumi-error';

/**
 * Reads a host live and read-only, in one SSH session, exactly as `tcpmem plan` does (the same read script):
 * live values, tcpmem's file and the other sysctl files, and the facts that give exact kernel defaults.
 * Throws a `TcpmemPulumiError` (TCPMEM_PULUMI_UNREACHABLE) when the host cannot be reached or read; the message
 * is the transport's, which never holds a secret.
 */
export async function readLive(inputs: HostTcpMemoryInputs, session: HostSession): Promise<Observation> {
  const observation = await readLiveHost(session.readOptions);
  if ('unreachable' in observation) {
    throw new TcpmemPulumiError('TCPMEM_PULUMI_UNREACHABLE', `${where(inputs)} could not be read: ${observation.reason}`, 'Check the address, the ssh settings, the key and the host key, and that the host is up.');
  }
  return observation;
}

/**
 * Plans the inputs' host against a live observation with the planner of `tcpmem plan`. A plan with errors (which
 * `check` could not find without the host's kernel) throws a `TcpmemPulumiError` listing them by input path.
 */
export function planLive(inputs: HostTcpMemoryInputs, observation: Observation, kernelFor: KernelLookup, options: OneHostOptions = {}): HostPlan {
  const plan = planHost(oneHostFleet(inputs, options), 0, observation, kernelFor);
  if (plan.status === 'invalid') {
    throw new TcpmemPulumiError('TCPMEM_PULUMI_INVALID', `${where(inputs)}: the desired settings do not fit this host:\n${describeProblems(plan.problems.filter((p) => p.severity === 'error'))}`, 'Fix the inputs named above.');
  }
  return plan;
}

/**
 * The host kernel's boot-time default of every sysctl tcpmem manages that the host has, from the kernel model
 * fed with the live facts (as planHost computes them).
 */
export function kernelDefaultsOf(inputs: HostTcpMemoryInputs, observation: Observation, kernelFor: KernelLookup): Record<string, SysctlValueList> {
  const kernel = inputs.hardware?.kernel ?? observation.facts?.release ?? observation.release;
  if (kernel === undefined) return {};
  const model = kernelFor({ ...(inputs.hardware ?? {}), kernel, ...(observation.facts === undefined ? {} : { facts: observation.facts }) });
  if ('problem' in model) return {};
  const out: Record<string, SysctlValueList> = {};
  for (const [name, values] of [...model.defaults].sort(([a], [b]) => (a < b ? -1 : 1))) if (observation.sysctls.has(name)) out[name] = [...values];
  return out;
}

/** Whether a live plan would change anything on the host (live values or tcpmem's file). */
export const planHasChanges = (plan: HostPlan): boolean => plan.changes.some((c) => c.action !== 'no-op');
