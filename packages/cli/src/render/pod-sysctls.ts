import type { RenderedPodSysctls } from '@tcpmem/app';

/**
 * A pod's `securityContext.sysctls` as YAML: the list, each item marked safe or unsafe, under comments that say
 * where it goes, what the kubelet must allow, and which of the host's settings were left out and why.
 */
export function renderPodSysctls(rendered: RenderedPodSysctls, tcpmemVersion: string): string {
  const unsafe = rendered.sysctls.filter((s) => !s.safe).map((s) => s.name);
  const from = rendered.source === 'facts' ? 'its discovered facts' : 'the kernel model';
  const lines = [
    `# The sysctls of host ${rendered.host} (kernel ${rendered.kernel ?? 'unknown'}, from ${from}) that a pod can set in its own`,
    `# network namespace, by tcpmem ${tcpmemVersion}: put this list under the pod's spec.securityContext.sysctls.`,
    '# safe: Kubernetes allows it in every pod (net.ipv4.tcp_rmem and tcp_wmem from Kubernetes 1.32, on kernels >= 4.15).',
    unsafe.length === 0
      ? '# unsafe: none.'
      : `# unsafe: the kubelet must allow it (--allowed-unsafe-sysctls=${unsafe.join(',')}), else the pod fails with SysctlForbidden.`,
  ];
  if (rendered.leftOut.length > 0) {
    lines.push('# Left out: a pod cannot set these; set them on the node (tcpmem apply --local in a DaemonSet, or the node\'s image):');
    for (const s of rendered.leftOut) lines.push(`#   ${s.name} = ${s.value}: ${s.reason.replace(/; set it on the node.*$/, '')}`);
  }
  if (rendered.sysctls.length === 0) lines.push('[]');
  for (const s of rendered.sysctls) lines.push(`- name: ${s.name}`, `  value: "${s.value}" # ${s.safe ? 'safe' : 'unsafe'}`);
  return `${lines.join('\n')}\n`;
}
