import { Args, Flags } from '@oclif/core';
import { discoverFleet, InvalidConfigError, type DiscoverReport } from '@tcpmem/app';
import { printable } from '@tcpmem/schema';
import { BaseCommand } from '../base-command';
import { scopeFlags, scopeOf } from '../cli/scope-flags';
import { durationFlagMs } from '../duration-flag';
import { hostFlags } from '../cli/host-flags';
import { ExitCode } from '../exit-codes';
import { renderAcceptedHostKey } from '../render/host-keys';
import { noHostLine } from '../render/no-host';
import { renderProblems } from '../render/problems';
import { terminalSafe } from '../render/terminal-safe';

export default class DiscoverCommand extends BaseCommand {
  static override summary = 'Read over SSH what the kernel model needs from each host, and store it as facts beside the config.';

  static override description =
    'For every selected host with an address, reads (read-only, one SSH round trip) the kernel release and /proc/version, /proc/cmdline, /proc/meminfo, /proc/zoneinfo, every NUMA node\'s meminfo, the CPUs, the page size, min_free_kbytes, the transparent hugepage mode, the network namespace, the current values of the managed sysctls (and which of them the host does not have: tcp_mem in a network namespace), and the kernel log (`sudo -n dmesg` when allowed: the TCP hash table line, the initrd and kernel-image frees). Writes one facts document per host (`kind: facts`) to facts/HOST.json beside the fleet file, atomically; `tcpmem plan --offline` then uses exact kernel defaults for those hosts, and plans what a live plan would. Exits 4 when some hosts could not be read.';

  static override examples = [
    { description: 'Discover every host of a fleet', command: '<%= config.bin %> <%= command.id %> fleet.yaml' },
    { description: 'Discover one group, then plan it offline with exact defaults', command: '<%= config.bin %> <%= command.id %> fleet/ --target cache && <%= config.bin %> plan fleet/ --offline --target cache' },
  ];

  static override args = {
    config: Args.string({ description: 'A fleet file or a folder of config files.', required: true }),
  };

  static override flags = {
    ...hostFlags('Discover'),
    ...scopeFlags,
    parallelism: Flags.integer({ description: 'Hosts read at once over SSH.', default: 16, min: 1, max: 1024 }),
    'connect-timeout': Flags.string({ description: 'SSH connect timeout per host (e.g. 10s), overriding the config.' }),
  };

  async run(): Promise<DiscoverReport> {
    const { args, flags } = await this.parse(DiscoverCommand);
    const connectTimeoutMs = durationFlagMs('--connect-timeout', flags['connect-timeout']);
    const style = this.style();
    const scope = scopeOf(flags);
    let report: DiscoverReport;
    try {
      report = await discoverFleet(args.config, {
        targets: flags.target,
        excludes: flags.exclude,
        ...scope,
        parallelism: flags.parallelism,
        connectTimeoutMs,
        // a security notice: on stderr even with --json
        onHostKeyAccepted: (key) => {
          process.stderr.write(`${terminalSafe(renderAcceptedHostKey(key, this.style('stderr')))}\n`);
        },
        onHost: (result, done, total) => {
          const line = result.ok ? `${style.green('✓')} ${printable(`${result.host}: ${result.file ?? ''}`)}` : `${style.yellow('!')} ${printable(`${result.host}: ${result.message}`)}`;
          this.printErr(`[${done}/${total}] ${line}`);
        },
      });
    } catch (error) {
      if (error instanceof InvalidConfigError) this.printErr(renderProblems(error.problems, this.style('stderr')));
      throw error;
    }
    if (report.hosts.length === 0) {
      this.print(noHostLine('discover', scope.shard));
      return report;
    }
    const ok = report.hosts.filter((h) => h.ok).length;
    const failed = report.hosts.length - ok;
    this.print(`Discovered ${ok} of ${report.hosts.length} host${report.hosts.length === 1 ? '' : 's'} into ${report.factsDir}${failed > 0 ? style.yellow(`; ${failed} could not be read`) : ''}`);
    this.setExitCode(failed > 0 ? ExitCode.hostsUnreachable : ExitCode.ok);
    return report;
  }
}
