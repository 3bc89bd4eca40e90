import { Args, Flags } from '@oclif/core';
import { countChanges } from '@tcpmem/plan';
import type { Plan } from '@tcpmem/schema';
import { BaseCommand } from '../base-command';
import { hostFlags } from '../cli/host-flags';
import { localFlags, localScopeOf } from '../cli/local-flags';
import { scopeFlags, scopeOf } from '../cli/scope-flags';
import { strictFlag, strictLine } from '../cli/strict-flag';
import { ExitCode } from '../exit-codes';
import { InvalidConfigError, makePlan, planWarnings, writeFileAtomic, type MadePlan } from '@tcpmem/app';
import { jsonDocument } from '../io/json-chunks';
import { renderAcceptedHostKey } from '../render/host-keys';
import { renderPlan } from '../render/plan';
import { hasHostProblems, renderHostProblems, renderProblems } from '../render/problems';
import { readProgressLine } from '../render/read-progress';
import { version } from '../version';
import { terminalSafe } from '../render/terminal-safe';

export default class PlanCommand extends BaseCommand {
  static override summary = 'Show, per host, what would change to make the hosts match the config.';

  static override description =
    'Loads a config repo (a fleet file or a folder), resolves the desired sysctls of every host from its kernel defaults, and diffs them against the current values: read live over SSH (read-only), or with --offline (and for hosts without an address) from discovered facts or the kernel model. Identical hosts are shown once. Nothing is changed on any host.';

  static override examples = [
    { description: 'Plan an example fleet without touching any host', command: '<%= config.bin %> <%= command.id %> examples/web-fleet --offline' },
    { description: 'Plan two groups live and save the plan for apply', command: '<%= config.bin %> <%= command.id %> fleet/ --target frontend,cache --out plan.json' },
    { description: 'Plan the hosts whose name or group matches a glob, leaving one out', command: '<%= config.bin %> <%= command.id %> --target \'web-*\' --exclude web-3 fleet/ --offline' },
    { description: 'In CI: exit 2 when anything would change', command: '<%= config.bin %> <%= command.id %> fleet/ --offline --detailed-exitcode --json' },
    { description: 'In CI: exit 5 on any warning, such as a value that cripples TCP', command: '<%= config.bin %> <%= command.id %> fleet/ --offline --strict' },
    { description: 'On the host itself: plan its own entry of the config, read here without SSH', command: '<%= config.bin %> <%= command.id %> --local fleet/' },
  ];

  static override args = {
    config: Args.string({ description: 'A fleet file or a folder of config files.', required: true }),
  };

  static override flags = {
    offline: Flags.boolean({ description: 'Do not contact hosts: current values come from discovered facts or the kernel model.' }),
    ...hostFlags('Plan'),
    out: Flags.string({ description: 'Save the plan (JSON) to this file, for `tcpmem apply PLANFILE`; `-` writes it to stdout (and the text for people to stderr).' }),
    'detailed-exitcode': Flags.boolean({
      description:
        'Exit 0 when nothing would change, 2 when something would, 1 on errors. Live, a setting tcpmem starts managing is a change; offline, only a value that differs from the one the host would have (its discovered value, else its kernel default).',
    }),
    ...strictFlag,
    parallelism: Flags.integer({ description: 'Hosts read at once over SSH.', default: 16, min: 1, max: 1024 }),
    ...scopeFlags,
    full: Flags.boolean({ description: 'List every group of identical hosts, even when the plan has many (by default a varied fleet is shown by setting).' }),
    ...localFlags('Plan'),
  };

  async run(): Promise<Plan> {
    const { args, flags, metadata } = await this.parse(PlanCommand);
    const local = localScopeOf(flags, metadata.flags, ['offline', 'parallelism', 'target', 'exclude', 'shard']);
    const scope = scopeOf(flags);
    let made: MadePlan;
    try {
      made = await makePlan(args.config, {
        local,
        offline: flags.offline,
        targets: flags.target,
        excludes: flags.exclude,
        ...scope,
        parallelism: flags.parallelism,
        tcpmemVersion: version,
        onReadProgress: readProgressLine(this.jsonEnabled() ? undefined : process.stderr),
        // the digest is a saved or printed plan's (apply PLANFILE, plan merge): one only shown records none
        recordDigest: this.jsonEnabled() || flags.out !== undefined,
      });
    } catch (error) {
      if (error instanceof InvalidConfigError) this.printErr(renderProblems(error.problems, this.style('stderr')));
      throw error;
    }
    const { plan } = made;
    // a security notice: on stderr even with --json
    for (const key of made.acceptedHostKeys) process.stderr.write(`${terminalSafe(renderAcceptedHostKey(key, this.style('stderr')))}\n`);
    // `--out -` is stdout: the plan document there, the text for people on stderr (with --json, the one document).
    const toStdout = flags.out === '-';
    if (toStdout && !this.jsonEnabled()) for (const piece of jsonDocument(plan, 2)) process.stdout.write(piece);
    else if (flags.out !== undefined && !toStdout) writeFileAtomic(flags.out, jsonDocument(plan, 2));
    if (!this.jsonEnabled()) {
      // With --json the document says it all: the text is not even built (at 100,000 hosts that is seconds).
      // Grouped: a problem many hosts share is shown once, with the hosts (--json keeps each host's own list).
      if (hasHostProblems(made.loadProblems, plan.hosts)) this.printErr(renderHostProblems(made.loadProblems, plan.hosts, this.style('stderr')));
      const shown = { full: flags.full, local: local !== undefined, shard: scope.shard };
      if (toStdout) this.printErr(renderPlan(plan, this.style('stderr'), shown));
      else this.print(renderPlan(plan, this.style(), shown));
      if (flags.out !== undefined && !toStdout) this.print(`\nSaved the plan to ${flags.out}; apply exactly it with: tcpmem apply ${flags.out}`);
    }

    const changes = countChanges(plan);
    const warnings = flags.strict ? planWarnings(plan).length : 0;
    if (warnings > 0 && plan.summary.invalid === 0) this.printErr(strictLine(warnings));
    if (plan.summary.invalid > 0) this.setExitCode(ExitCode.invalidInput);
    else if (warnings > 0) this.setExitCode(ExitCode.warnings);
    else if (flags['detailed-exitcode'] && changes > 0) this.setExitCode(ExitCode.changes);
    else if (plan.summary.unreachable > 0) this.setExitCode(ExitCode.hostsUnreachable);
    return plan;
  }
}
