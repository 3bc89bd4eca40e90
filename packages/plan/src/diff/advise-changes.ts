import { isSysctlName, lintValue } from '@tcpmem/kernel-model';
import { problem, type Change, type Problem } from '@tcpmem/schema';
import type { HostKernel } from '../resolve/host-kernel';
import type { LayeredSysctl } from '../resolve/layer-settings';
import { fieldOriginOf, type DesiredValue } from '../resolve/resolve-sysctl';

/**
 * tcpmem's advice (kernel-model `lintValue`, `TCPMEM_ADVICE_*`) on every value a host is planned to have — created,
 * changed or kept; not one restored to its kernel default — with the host's kernel default and RAM at hand, as
 * warnings located where the value was written: the field of an object form, the element of an array, the whole
 * value otherwise (a workload's derived values at the workload). Info findings are left out. Pure.
 */
export function adviseChanges(changes: readonly Change[], desired: ReadonlyMap<string, DesiredValue>, sysctls: ReadonlyMap<string, LayeredSysctl>, kernel: HostKernel): Problem[] {
  const problems: Problem[] = [];
  for (const change of changes) {
    if (change.action === 'delete' || change.after === null || !isSysctlName(change.sysctl)) continue;
    const want = desired.get(change.sysctl);
    if (want === undefined) continue;
    const layered = sysctls.get(change.sysctl);
    const fields = kernel.shapes.get(change.sysctl)?.fields ?? [];
    for (const finding of lintValue(change.sysctl, change.after, { kernelDefault: change.kernelDefault, memTotalBytes: kernel.memTotalBytes, pageSize: kernel.pageSize })) {
      if (finding.severity !== 'warning') continue;
      const index = finding.elementIndex;
      const field = index === undefined ? undefined : fields[index];
      const at = layered === undefined || index === undefined || field === undefined ? want.origin : fieldOriginOf(layered, field, index);
      problems.push(problem(finding.code, finding.message, {
        severity: 'warning',
        file: at.file,
        path: at.pointer,
        ...(finding.hint === undefined ? {} : { hint: finding.hint }),
      }));
    }
  }
  return problems;
}
