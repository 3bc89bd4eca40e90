import { hostFileText, planHostWork } from '@tcpmem/apply';
import { getSysctl, isSysctlName, parseKernelRelease, scopeOf, type KernelVersion, type ScopeFacts } from '@tcpmem/kernel-model';
import type { HostPlan, Problem } from '@tcpmem/schema';
import { TcpmemError, usageError, userError } from '../errors/errors';
import type { SelectionScope } from './load-selection';
import { makePlan } from './make-plan';

/** Where tcpmem's file lives on a host; `render` prints what apply writes there. */
export const SYSCTL_FILE = '/etc/sysctl.d/99-tcpmem.conf';

/** What `render` prints: tcpmem's sysctl.d file, or the subset a Kubernetes pod may set in its own network namespace. */
export type RenderFormat = 'sysctl.d' | 'kubernetes';
export const renderFormats: readonly RenderFormat[] = ['sysctl.d', 'kubernetes'];

export interface RenderHostOptions {
  /** The host's name, exactly as the config names it (not a group, not a glob). */
  readonly host: string;
  readonly format: RenderFormat;
  /** The version of tcpmem that renders: the file's header names it, as apply's does. */
  readonly tcpmemVersion: string;
  readonly allowOutsideRoot?: SelectionScope['allowOutsideRoot'];
}

/** The host as planned for rendering: offline, from its discovered facts or the kernel model. */
interface RenderedBase {
  readonly host: string;
  readonly source: 'facts' | 'model';
  /** The kernel release the values were resolved for. */
  readonly kernel: string | undefined;
  /** The plan's warnings for the host (errors end in an exception instead). */
  readonly warnings: readonly Problem[];
}

/** `--format sysctl.d`: the text apply would write to /etc/sysctl.d/99-tcpmem.conf, byte for byte. */
export interface RenderedSysctlFile extends RenderedBase {
  readonly format: 'sysctl.d';
  readonly path: typeof SYSCTL_FILE;
  readonly text: string;
  /** The file's settings, sorted by name, as `sysctl -n` prints them. Empty: apply would remove the file. */
  readonly sysctls: readonly { readonly name: string; readonly value: string }[];
}

/** One sysctl a pod may set: `safe` ones Kubernetes allows by default, the others only where the kubelet allows them. */
export interface PodSysctl {
  readonly name: string;
  readonly value: string;
  /**
   * In Kubernetes' safe set (allowed in every pod, no kubelet flag; `net.ipv4.tcp_rmem`/`tcp_wmem` from Kubernetes
   * 1.32 on kernels ≥ 4.15); false: unsafe, the kubelet must list it in `--allowed-unsafe-sysctls`.
   */
  readonly safe: boolean;
}

/** `--format kubernetes`: the pod's `securityContext.sysctls`, and what was left out (set on the node instead). */
export interface RenderedPodSysctls extends RenderedBase {
  readonly format: 'kubernetes';
  readonly sysctls: readonly PodSysctl[];
  readonly leftOut: readonly { readonly name: string; readonly value: string; readonly reason: string }[];
}

export type RenderedHost = RenderedSysctlFile | RenderedPodSysctls;

/**
 * The sysctls Kubernetes' kubelet allows in every pod (pkg/kubelet/sysctl/safe_sysctls.go) among those tcpmem
 * manages: tcp_rmem and tcp_wmem since Kubernetes 1.32 (kubernetes/kubernetes#127489), on kernels ≥ 4.15, where they
 * are per network namespace (the registry's scope decides that part).
 */
const KUBERNETES_SAFE = new Set(['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);

/**
 * What `tcpmem render` prints for one host: the config planned offline for that host alone (from its discovered
 * facts, else the kernel model), turned into work by apply's own `planHostWork` and into text by apply's own
 * `fileText` — one code path, so the text is the file `tcpmem apply` writes for the same settings. With the
 * `kubernetes` format, the file's settings a pod can set in its own network namespace on the host's kernel (the
 * registry's scope by series), each marked safe or unsafe in Kubernetes' terms; whole-host and read-only ones are
 * left out with the reason. A host with errors in its plan is an InvalidHostPlanError carrying them, located.
 */
export async function renderHost(configPath: string, options: RenderHostOptions): Promise<RenderedHost> {
  if (/[*?[,]/.test(options.host)) throw usageError(`--host "${options.host}" is a pattern or a list; render takes one host's name`, 'Give the name of one host of the config, e.g. --host web-1.');
  let plan;
  try {
    plan = (await makePlan(configPath, { offline: true, targets: [options.host], excludes: [], parallelism: 1, tcpmemVersion: options.tcpmemVersion, allowOutsideRoot: options.allowOutsideRoot })).plan;
  } catch (error) {
    // the only usage error a single plain target can raise: it names no host and no group
    if (error instanceof TcpmemError && error.code === 'TCPMEM_USAGE') throw usageError(`no host is named "${options.host}" in ${configPath}`, "Give a host's name as the config's `hosts` spells it (`tcpmem plan CONFIG --offline` lists them).");
    throw error;
  }
  const host = plan.hosts.find((h) => h.name === options.host);
  if (host === undefined) throw usageError(`"${options.host}" is a group of ${configPath}, not a host`, 'Render one host at a time: give a host of that group with --host.');
  const errors = host.problems.filter((p) => p.severity === 'error');
  if (host.status === 'invalid' || errors.length > 0) throw new InvalidHostPlanError(host.name, errors);
  const source = host.source === 'facts' ? 'facts' : 'model';
  const base = { host: host.name, source, kernel: host.kernel?.release, warnings: host.problems.filter((p) => p.severity !== 'error') } as const;

  const work = planHostWork(host);
  const sysctls = work.fileEntries.map(([name, values]) => ({ name, value: values.join(' ') }));
  if (options.format === 'sysctl.d') return { ...base, format: 'sysctl.d', path: SYSCTL_FILE, text: hostFileText(work, options.tcpmemVersion), sysctls };

  const version = kernelOf(host);
  const podSysctls: PodSysctl[] = [];
  const leftOut: { name: string; value: string; reason: string }[] = [];
  for (const s of sysctls) {
    const why = notInPod(s.name, version);
    if (why === undefined) podSysctls.push({ ...s, safe: KUBERNETES_SAFE.has(s.name) });
    else leftOut.push({ ...s, reason: why });
  }
  return { ...base, format: 'kubernetes', sysctls: podSysctls, leftOut };
}

/** A host whose plan has errors: nothing was rendered. */
export class InvalidHostPlanError extends TcpmemError {
  constructor(host: string, problems: readonly Problem[]) {
    super('TCPMEM_INVALID_CONFIG', `${host} has errors in its plan; nothing was rendered`, 'Fix the problems listed (`tcpmem plan CONFIG --offline --target HOST` shows them too), then render again.', 1, problems);
  }
}

function kernelOf(host: HostPlan): KernelVersion {
  const release = host.kernel?.release;
  const version = release === undefined ? undefined : parseKernelRelease(release);
  // a host planned without errors has a kernel the model read
  if (version === undefined) throw userError('TCPMEM_KERNEL_RELEASE', `${host.name}: tcpmem cannot tell the host's kernel series, which decides what a pod may set`, 'Give the host a `hardware.kernel`, or discover it.');
  return version;
}

/** Why a pod cannot set a sysctl on this kernel (undefined: it can, in its own network namespace). */
function notInPod(name: string, version: KernelVersion): string | undefined {
  if (!isSysctlName(name)) return 'not a sysctl tcpmem knows';
  const answer = scopeOf(name, version);
  const possible: readonly ScopeFacts[] = answer.certain ? [answer.facts] : answer.possible;
  if (possible.every((f) => f.inChildNetns === 'writable')) return undefined;
  const series = `${version.major}.${version.minor}`;
  const uncertain = answer.certain ? '' : ` (not certain on ${series}: ${answer.why})`;
  if (possible.some((f) => f.inChildNetns === 'absent')) {
    return `one value for the whole host on ${series}: a pod's network namespace has no ${getSysctl(name).procPath}${uncertain}; set it on the node (tcpmem apply --local in a DaemonSet, or the node's image)`;
  }
  return `read-only in a pod's network namespace on ${series} (the host's value shows through)${uncertain}; set it on the node (tcpmem apply --local in a DaemonSet, or the node's image)`;
}
