import { Flags } from '@oclif/core';
import { modelHost, type ModelHostOptions } from '@tcpmem/app';
import { formatTsqSummary, pacingDevices, parseDuration, parseRate, type PacingDevice } from '@tcpmem/kernel-model';
import type { ModelReport } from '@tcpmem/schema';
import { BaseCommand } from '../base-command';
import { usageError } from '../errors';
import { renderModel } from '../render/model';

export default class Model extends BaseCommand {
  static override summary = 'Compute the TCP memory defaults a kernel sets at boot for a host\'s hardware, and explain them.';

  static override description =
    'Runs the kernel model: the zones and watermarks the kernel builds, nr_free_buffer_pages() at tcp_init(), and from it tcp_mem, tcp_rmem/tcp_wmem, udp_mem, the established/bind hash tables and the limits derived from them, for the kernel series given. Describe the host with flags, a hardware file, or /proc files captured from it. With --flow-rate, also models TCP Small Queues for one flow.';

  static override examples = [
    { description: 'An 8 GiB host on a 6.1 kernel, as JSON', command: '<%= config.bin %> <%= command.id %> --memory 8GiB --kernel 6.1 --json' },
    { description: 'Two NUMA nodes, a fixed hash size, the derivation zone by zone', command: '<%= config.bin %> <%= command.id %> --nodes 2GiB,6GiB --kernel 6.12 --cmdline "thash_entries=65536" --explain' },
    { description: 'From a hardware file', command: '<%= config.bin %> <%= command.id %> --hardware examples/hardware/8gib-6.1.yaml' },
    { description: 'Exact, from files captured on the host', command: '<%= config.bin %> <%= command.id %> --kernel 6.1.0-26-amd64 --zoneinfo zoneinfo.txt --meminfo meminfo.txt' },
    { description: 'Every host of a release, from one host\'s boot log', command: '<%= config.bin %> <%= command.id %> --memory 64GiB --cpus 32 --kernel 6.8.0-1021-aws --calibrate facts/web-1.yaml --json' },
    { description: 'Does TCP Small Queues cap a 25 Gbit/s flow?', command: '<%= config.bin %> <%= command.id %> --memory 64GiB --kernel 6.1 --flow-rate 25Gbit --completion-latency 500us' },
    { description: 'A Wi-Fi sender: mac80211 lowers sk_pacing_shift', command: '<%= config.bin %> <%= command.id %> --memory 4GiB --kernel 4.17 --flow-rate 400Mbit --completion-latency 2ms --driver mac80211' },
  ];

  static override flags = {
    hardware: Flags.string({ description: 'A hardware file (`kind: hardware`); flags override its fields.', helpGroup: 'HOST' }),
    memory: Flags.string({ description: 'Total RAM on one NUMA node, e.g. 8GiB.', helpGroup: 'HOST', exclusive: ['nodes'] }),
    nodes: Flags.string({ description: 'RAM per NUMA node, comma-separated, e.g. 2GiB,6GiB.', helpGroup: 'HOST' }),
    cpus: Flags.integer({ description: 'Number of CPUs.', min: 1, helpGroup: 'HOST' }),
    kernel: Flags.string({ description: 'Kernel release (6.1.0-26-amd64) or series (6.12).', helpGroup: 'HOST' }),
    cmdline: Flags.string({ description: 'Boot parameters, e.g. "thash_entries=65536 transparent_hugepage=never".', helpGroup: 'HOST' }),
    thp: Flags.string({ description: 'The kernel\'s built-in transparent hugepage mode.', options: ['always', 'madvise', 'never'], helpGroup: 'HOST' }),
    zoneinfo: Flags.string({ description: '/proc/zoneinfo captured from the host (makes tcp_mem exact).', helpGroup: 'CAPTURED' }),
    meminfo: Flags.string({ description: '/proc/meminfo captured from the host.', helpGroup: 'CAPTURED' }),
    calibrate: Flags.string({
      description: 'Learn the kernel build from one host: a facts file written by `tcpmem discover`, or a raw dmesg (with --zoneinfo/--meminfo of the same boot). The profile then holds for every host of that release.',
      helpGroup: 'CAPTURED',
    }),
    explain: Flags.boolean({ description: 'Show the derivation: zones, watermarks, each formula with its kernel function.' }),
    'flow-rate': Flags.string({ description: 'TSQ: the rate one flow should reach, e.g. 25Gbit.', helpGroup: 'TSQ' }),
    'completion-latency': Flags.string({ description: 'TSQ: time from queueing a packet to its TX completion.', default: '500us', helpGroup: 'TSQ' }),
    flows: Flags.integer({ description: 'TSQ: concurrent flows in the simulation.', default: 1, min: 1, max: 1024, helpGroup: 'TSQ' }),
    'tcp-limit-output-bytes': Flags.integer({
      description: 'TSQ: net.ipv4.tcp_limit_output_bytes to model instead of the kernel default (an int; the kernel accepts 0 and negatives).',
      helpGroup: 'TSQ',
    }),
    driver: Flags.string({
      description: 'TSQ: the driver class of the sending interface, which sets sk_pacing_shift (wired 10; mac80211 8, then 7; brcmfmac and rmnet 8).',
      options: [...pacingDevices],
      default: 'wired',
      helpGroup: 'TSQ',
    }),
  };

  async run(): Promise<ModelReport> {
    const { flags } = await this.parse(Model);
    const modelled = modelHost(
      {
        hardware: flags.hardware, memory: flags.memory, nodes: flags.nodes, cpus: flags.cpus, kernel: flags.kernel,
        cmdline: flags.cmdline, thp: flags.thp, zoneinfo: flags.zoneinfo, meminfo: flags.meminfo,
      },
      { explain: flags.explain, calibrate: flags.calibrate, tsq: flags['flow-rate'] === undefined ? undefined : tsqFlags(flags['flow-rate'], flags['completion-latency'], flags.flows, flags.driver as PacingDevice, flags['tcp-limit-output-bytes']) },
    );
    this.print(renderModel(modelled.report, this.style(), modelled.ramBytes, flags.explain));
    if (modelled.tsq !== undefined) this.print(['', ...formatTsqSummary(modelled.tsq)].join('\n'));
    return modelled.report;
  }
}

/** The TSQ flags: a rate and a completion latency, or a usage error naming the flag. */
function tsqFlags(rateText: string, latencyText: string, flows: number, driver: PacingDevice, tcpLimitOutputBytes: number | undefined): NonNullable<ModelHostTsq> {
  const rate = parseRate(rateText);
  if (!rate.ok) throw usageError(`--flow-rate: ${rate.message}`, 'Write a rate such as 25Gbit or 1.25GB/s.');
  const latency = parseDuration(latencyText);
  if (!latency.ok) throw usageError(`--completion-latency: ${latency.message}`, 'Write a duration such as 500us or 2ms.');
  return { flowRate: rate.value, completionLatencyNs: latency.value, flows, driver, ...(tcpLimitOutputBytes === undefined ? {} : { tcpLimitOutputBytes }) };
}

type ModelHostTsq = ModelHostOptions['tsq'];
