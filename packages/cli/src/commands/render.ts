import { Args, Flags } from '@oclif/core';
import { renderFormats, renderHost, TcpmemError, writeFileAtomic, type RenderedHost, type RenderFormat } from '@tcpmem/app';
import { BaseCommand } from '../base-command';
import { renderPodSysctls } from '../render/pod-sysctls';
import { renderProblems } from '../render/problems';
import { version } from '../version';

export default class RenderCommand extends BaseCommand {
  static override summary = "Print the /etc/sysctl.d/99-tcpmem.conf tcpmem would write for one host, or the sysctls a Kubernetes pod may set, from the host's facts or the kernel model.";

  static override description =
    "Plans the config offline for one host (from its discovered facts, else the kernel model; no host is contacted) and prints the file `tcpmem apply` would write to /etc/sysctl.d/99-tcpmem.conf, byte for byte: for image builds, cloud-init and config systems that only write files. With --format kubernetes, prints the host's settings a pod can set in its own network namespace as a `securityContext.sysctls` list, each marked safe or unsafe in Kubernetes' terms (unsafe ones need the kubelet's --allowed-unsafe-sysctls); whole-host ones (tcp_mem, and what the host's kernel series keeps global or read-only) are left out, named in a comment: set them on the node. A host with errors in its plan prints the errors and exits 1.";

  static override examples = [
    { description: 'The file a host of an example fleet would get', command: '<%= config.bin %> <%= command.id %> examples/web-fleet --host cache-1' },
    { description: 'Bake it into an image (written atomically)', command: '<%= config.bin %> <%= command.id %> fleet/ --host web-1 --out rootfs/etc/sysctl.d/99-tcpmem.conf' },
    { description: "A pod's securityContext.sysctls for the hosts of a node pool", command: '<%= config.bin %> <%= command.id %> examples/web-fleet --host web-1 --format kubernetes' },
  ];

  static override args = {
    config: Args.string({ description: 'A fleet file or a folder of config files.', required: true }),
  };

  static override flags = {
    host: Flags.string({ description: 'The host to render, by its name in the config (one host, not a group or a glob).', required: true }),
    format: Flags.string({
      description: 'sysctl.d: the file apply writes; kubernetes: the sysctls a pod may set in its own network namespace (YAML for securityContext.sysctls).',
      options: [...renderFormats],
      default: 'sysctl.d',
    }),
    out: Flags.string({ description: 'Write the text to this file (atomically: a temporary file, then a rename) instead of stdout; `-` is stdout.' }),
    'allow-outside-root': Flags.boolean({ description: "Read includes, facts files and symlinks that lead outside the config repo's folder (refused by default)." }),
  };

  async run(): Promise<RenderedHost> {
    const { args, flags } = await this.parse(RenderCommand);
    let rendered: RenderedHost;
    try {
      rendered = await renderHost(args.config, { host: flags.host, format: flags.format as RenderFormat, tcpmemVersion: version, allowOutsideRoot: flags['allow-outside-root'] });
    } catch (error) {
      if (error instanceof TcpmemError && error.problems.length > 0) this.printErr(renderProblems(error.problems, this.style('stderr')));
      throw error;
    }
    if (rendered.warnings.length > 0) this.printErr(renderProblems(rendered.warnings, this.style('stderr')));
    const text = rendered.format === 'sysctl.d' ? rendered.text : renderPodSysctls(rendered, version);
    if (flags.out !== undefined && flags.out !== '-') {
      writeFileAtomic(flags.out, text);
      this.printErr(`Wrote ${flags.out} for ${rendered.host} (${rendered.sysctls.length} setting${rendered.sysctls.length === 1 ? '' : 's'}, from ${rendered.source === 'facts' ? 'its facts' : 'the kernel model'}).`);
    } else if (!this.jsonEnabled()) {
      process.stdout.write(text);
    }
    if (rendered.format === 'sysctl.d' && rendered.sysctls.length === 0) this.printErr(`${rendered.host} has no setting to manage: apply would remove ${rendered.path} (the text above is its header only).`);
    return rendered;
  }
}
