import * as pulumi from '@pulumi/pulumi';
import { applyPlan, formatHostPort, modelExecutor, readNames, sshExecutor, describeStale, type HostApplyResult } from '@tcpmem/apply';
import { createKernelLookup, summarize, type KernelLookup, type Observation } from '@tcpmem/plan';
import type { HostPlan, Plan } from '@tcpmem/schema';
import { gateInputs } from './gate-inputs';
import { computedNames, inputNames, portOf, type HostTcpMemoryInputs, type HostTcpMemoryOutputs, type SysctlValueList } from './host-inputs';
import { withHostSession } from './host-session';
import { kernelDefaultsOf, planHasChanges, planLive, readLive } from './live-host';
import { describeProblems, toCheckFailures, warningTexts } from './problem-text';
import { TcpmemPulumiError, where } from './pulumi-error';

/** The tcpmem version, recorded in the plan each apply makes (and so in the header of tcpmem's file). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const tcpmemVersion: string = (require('../package.json') as { version: string }).version;

/**
 * The implementation of the `HostTcpMemory` dynamic provider: what each Pulumi operation does, as plain async
 * functions over plain data. The serialized provider object (host-tcp-memory.ts) holds nothing and calls these
 * by `require`, so that every call builds its own kernel lookup, SSH session and executor and drops them after.
 */
export const hostProviderOperations = {
  /**
   * Validates new inputs through tcpmem's one gate (gateInputs: the schema, then the planner's semantic rules on
   * a one-host fleet, offline). Returns the inputs unchanged and every error as a failure at its property path
   * (`sysctls["net.ipv4.tcp_rmem"].max`); warnings are not failures. Inputs that are not known yet (a preview
   * with unknown values) are checked when they are. Never contacts the host.
   */
  check(_olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult<HostTcpMemoryInputs>> {
    const inputs = inputsOf(news);
    if (containsUnknown(inputs)) return Promise.resolve({ inputs: inputs as unknown as HostTcpMemoryInputs });
    const gate = gateInputs(inputs);
    const failures = gate.ok ? [] : toCheckFailures(gate.problems);
    return Promise.resolve({ inputs: inputs as unknown as HostTcpMemoryInputs, ...(failures.length === 0 ? {} : { failures }) });
  },

  /**
   * Compares the state with new inputs, canonically (key order never matters), and re-reads the live host,
   * because Pulumi's `read` cannot be relied on to find drift: a change of `address` or SSH port is a
   * replacement (the old host is released first: `deleteBeforeReplace`, in case both name the same machine);
   * otherwise there are changes when any input differs or when planning the new inputs against the live host
   * (planHost, as `tcpmem plan` does) finds anything to create, update or delete — a value changed out of band,
   * tcpmem's file edited or removed, a kernel default that moved. Read-only: it never writes to the host.
   * Throws TCPMEM_PULUMI_UNREACHABLE when the host cannot be read, and TCPMEM_PULUMI_INVALID when the inputs
   * do not fit it.
   */
  async diff(_id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
    const before = inputsOf(olds);
    const after = inputsOf(news);
    const replaces: string[] = [];
    if (!sameCanonical(before['address'], after['address'])) replaces.push('address');
    if (!sameCanonical(portIn(before), portIn(after))) replaces.push('ssh');
    if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: true };
    if (containsUnknown(after)) return { changes: true, deleteBeforeReplace: true };
    const inputs = gated(after);
    const kernelFor = createKernelLookup();
    const plan = await withHostSession(inputs, async (session) => planLive(inputs, await readLive(inputs, session), kernelFor));
    return { changes: !sameCanonical(before, after) || planHasChanges(plan), deleteBeforeReplace: true };
  },

  /**
   * Applies the inputs to the host with the same code as `tcpmem apply`: reads the host live, plans it
   * (planHost), and hands the plan to the apply engine's SSH executor, which re-reads the host under its lock,
   * writes the live values, reads them back, persists tcpmem's file atomically and rolls everything back on
   * any failure. Settings tcpmem's file holds that the inputs no longer name are restored to their kernel
   * defaults. Returns the state: the inputs plus `applied`, `kernelDefaults`, `persistedFile`, …; throws (and
   * leaves the host as it was) when anything fails.
   */
  async create(news: unknown): Promise<pulumi.dynamic.CreateResult<HostTcpMemoryOutputs>> {
    const outs = await applyInputs(inputsOf(news), 'apply');
    return { id: formatHostPort(outs.address, portOf(outs)), outs };
  },

  /**
   * Reads the host live and returns the state with `applied` and `kernelRelease` as the host has them now, for
   * `pulumi refresh`. Drift is found by `diff` all the same; `read` only keeps the shown state current.
   */
  async read(id: string, props: unknown): Promise<pulumi.dynamic.ReadResult<HostTcpMemoryOutputs>> {
    const state = outputsOf(props);
    const inputs = gated(inputsOf(props));
    const observation = await withHostSession(inputs, (session) => readLive(inputs, session));
    const applied: Record<string, SysctlValueList> = {};
    for (const name of Object.keys(state.applied)) {
      const live = observation.sysctls.get(name);
      if (live !== undefined) applied[name] = [...live];
    }
    return { id, props: { ...state, applied, kernelRelease: observation.release ?? state.kernelRelease } };
  },

  /** Applies the new inputs exactly as `create` does (an address or port change never gets here: it replaces). */
  async update(_id: string, _olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult<HostTcpMemoryOutputs>> {
    return { outs: await applyInputs(inputsOf(news), 'apply') };
  },

  /**
   * Releases the host: plans it with no desired settings, so every setting in tcpmem's file is a `delete`, and
   * applies that with the engine: each live value goes back to the kernel default, verified, and tcpmem's file
   * is removed; on any failure everything is rolled back and the error says so (the resource then stays in the
   * state). Settings tcpmem does not manage are never touched.
   */
  async delete(_id: string, props: unknown): Promise<void> {
    await applyInputs(inputsOf(props), 'release');
  },
};

/**
 * Reads, plans and applies one host. Whether this is a dry run is decided once, here at the top: in a preview
 * (`pulumi.runtime.isDryRun()`) the plan goes to the engine's model executor and nothing is written; otherwise
 * to its SSH executor. (The Pulumi engine does not call a dynamic provider's create or update in a preview at
 * all; this keeps the rule where the code is.)
 */
async function applyInputs(raw: Record<string, unknown>, mode: 'apply' | 'release'): Promise<HostTcpMemoryOutputs> {
  const dryRun = pulumi.runtime.isDryRun();
  const inputs = gated(raw);
  const kernelFor = createKernelLookup();
  return withHostSession(inputs, async (session) => {
    const observation = await readLive(inputs, session);
    const settings = dryRun ? { ssh: inputs.ssh ?? {}, env: process.env } : await session.executorSettings();
    const plan = planLive(inputs, observation, kernelFor, { ssh: settings.ssh, release: mode === 'release' });
    const executor = dryRun ? modelExecutor() : sshExecutor({ env: settings.env });
    const report = await applyPlan(planDocument(plan), executor, { tcpmemVersion, parallelism: 1 });
    const result = report.hosts[0];
    if (result === undefined) throw new Error(`tcpmem bug: the apply report of ${where(inputs)} has no host`);
    if (result.status !== 'applied' && result.status !== 'unchanged') throw applyFailure(inputs, result, mode);
    return stateAfter(inputs, plan, result, observation, kernelFor);
  });
}

/** The inputs through the gate, or a TCPMEM_PULUMI_INPUTS error listing every problem at its input path. */
function gated(raw: Record<string, unknown>): HostTcpMemoryInputs {
  const gate = gateInputs(raw);
  if (!gate.ok) {
    const name = typeof raw['hostName'] === 'string' ? raw['hostName'] : 'the host';
    throw new TcpmemPulumiError('TCPMEM_PULUMI_INPUTS', `the inputs of ${name} have errors:\n${describeProblems(gate.problems)}`, 'Fix the inputs named above.');
  }
  return gate.inputs;
}

/** A one-host plan document, as the engine applies it (a plan made by `tcpmem plan` has the same shape). */
function planDocument(host: HostPlan): Plan {
  return {
    kind: 'plan',
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    tcpmemVersion,
    mode: 'live',
    config: { path: '(pulumi)', files: [] },
    summary: summarize([host]),
    hosts: [host],
  };
}

/** The resource's state after an apply: the inputs, and what is on the host now. */
function stateAfter(inputs: HostTcpMemoryInputs, plan: HostPlan, result: HostApplyResult, observation: Observation, kernelFor: KernelLookup): HostTcpMemoryOutputs {
  const settings = new Map(result.settings.map((s) => [s.sysctl, s]));
  const applied: Record<string, SysctlValueList> = {};
  for (const change of plan.changes) {
    if (change.action === 'delete') continue;
    const setting = settings.get(change.sysctl);
    if (setting?.outcome === 'unavailable') continue;
    const values = setting?.after ?? change.after;
    if (values !== null) applied[change.sysctl] = [...values];
  }
  const unavailable = readNames().filter((name) => !observation.sysctls.has(name) && plan.problems.some((p) => p.code === 'TCPMEM_SYSCTL_NOT_ON_HOST' && p.message.startsWith(`${name} `)));
  return {
    ...inputs,
    applied,
    kernelDefaults: kernelDefaultsOf(inputs, observation, kernelFor),
    persistedFile: result.file?.path ?? plan.observed?.persistedFile ?? '/etc/sysctl.d/99-tcpmem.conf',
    kernelRelease: observation.release ?? '',
    unavailable,
    warnings: [...warningTexts(plan.problems), ...result.warnings],
  };
}

/** An apply that did not complete, as an error that says where the host was left. */
function applyFailure(inputs: HostTcpMemoryInputs, result: HostApplyResult, mode: 'apply' | 'release'): TcpmemPulumiError {
  const what = mode === 'apply' ? 'applying' : 'restoring the kernel defaults on';
  const left: Record<HostApplyResult['state'], string> = {
    changed: 'the host holds the new values',
    untouched: 'nothing was changed on the host',
    'rolled-back': 'every value written was restored (rolled back) and verified',
    unknown: 'tcpmem cannot tell what the host holds now; read it with `tcpmem plan` or `pulumi refresh`',
  };
  switch (result.status) {
    case 'stale':
      return new TcpmemPulumiError('TCPMEM_PULUMI_APPLY_FAILED', `${what} ${where(inputs)} was refused: the host changed between the read and the apply (${describeStale(result.stale ?? [])}); nothing was changed`, 'Run `pulumi up` again.');
    case 'unreachable':
      return new TcpmemPulumiError('TCPMEM_PULUMI_UNREACHABLE', `${what} ${where(inputs)} failed: ${result.failure?.message ?? 'the host could not be reached'}; nothing was changed`, 'Check that the host is up and reachable, then run `pulumi up` again.');
    case 'skipped':
      return new TcpmemPulumiError('TCPMEM_PULUMI_APPLY_FAILED', `${what} ${where(inputs)} was skipped: ${result.skipped ?? 'no reason given'}`, 'Run `pulumi up` again.');
    default: {
      const failure = result.failure;
      const detail = failure === undefined ? 'it failed' : `${failure.code} at ${failure.stage}${failure.sysctl === undefined ? '' : ` (${failure.sysctl})`}: ${failure.message}`;
      return new TcpmemPulumiError('TCPMEM_PULUMI_APPLY_FAILED', `${what} ${where(inputs)} failed: ${detail}; ${left[result.state]}`, 'Fix the cause named above, then run `pulumi up` again.');
    }
  }
}

/** The inputs among a property bag (state or new inputs): Pulumi's `__provider` and computed outputs dropped. */
function inputsOf(props: unknown): Record<string, unknown> {
  const bag = typeof props === 'object' && props !== null ? (props as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const name of inputNames) if (bag[name] !== undefined) out[name] = bag[name];
  return out;
}

/** The state among a property bag (what create or update returned). */
function outputsOf(props: unknown): HostTcpMemoryOutputs {
  const bag = typeof props === 'object' && props !== null ? (props as Record<string, unknown>) : {};
  const out: Record<string, unknown> = inputsOf(bag);
  for (const name of computedNames) if (bag[name] !== undefined) out[name] = bag[name];
  return { applied: {}, kernelDefaults: {}, persistedFile: '', kernelRelease: '', unavailable: [], warnings: [], ...out } as unknown as HostTcpMemoryOutputs;
}

/** The SSH port in a property bag (22 unless set; Pulumi's unknown marker while it is not known). */
function portIn(bag: Record<string, unknown>): unknown {
  const ssh = bag['ssh'];
  if (ssh === pulumi.runtime.unknownValue) return ssh;
  const port = typeof ssh === 'object' && ssh !== null ? (ssh as Record<string, unknown>)['port'] : undefined;
  return port ?? 22;
}

/** Whether a value holds an input Pulumi does not know yet (in a preview). */
export function containsUnknown(value: unknown): boolean {
  if (value === pulumi.runtime.unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/** Deep equality of plain data where the order of object keys never matters. */
export function sameCanonical(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
