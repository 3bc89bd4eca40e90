import readline from 'node:readline/promises';
import { Args, Flags } from '@oclif/core';
import { applyExitCode, InvalidConfigError, runApply, TcpmemError, type ApplyFlowResult } from '@tcpmem/app';
import { parseMaxFail, type ApplyEvent, type ApplyReport } from '@tcpmem/apply';
import type { Shard } from '@tcpmem/plan';
import type { Plan } from '@tcpmem/schema';
import { BaseCommand } from '../base-command';
import { scopeFlags, scopeOf } from '../cli/scope-flags';
import { strictFlag } from '../cli/strict-flag';
import { durationFlagMs } from '../duration-flag';
import { hostFlags } from '../cli/host-flags';
import { localFlags, localScopeOf } from '../cli/local-flags';
import { usageError } from '../errors';
import { renderApplyReport } from '../render/apply';
import { renderAcceptedHostKey } from '../render/host-keys';
import { ApplyProgress } from '../render/apply-progress';
import { renderPlan } from '../render/plan';
import { hasHostProblems, renderHostProblems, renderProblems } from '../render/problems';
import { readProgressLine } from '../render/read-progress';
import { version } from '../version';
import { terminalSafe } from '../render/terminal-safe';

export default class ApplyCommand extends BaseCommand {
  static override summary = 'Make the hosts match the plan: over SSH, host by host as transactions, or on the kernel model with --dry-run.';

  static override description =
    'With a CONFIG, plans it live (like `tcpmem plan`), shows the plan and asks for confirmation (on a terminal; --auto-approve otherwise). With a PLANFILE saved by `tcpmem plan --out`, applies exactly that plan, after reading every host again: if any host changed since the plan, nothing is applied. Each host is one transaction over one SSH connection: the host is read again and checked against the plan, prepared without being changed, then committed (live values written and read back, then persisted atomically to /etc/sysctl.d/99-tcpmem.conf); any failure restores what was written. See docs/apply.md for the guarantees, the events and the exit codes (0 applied, 1 invalid or stale plan, 3 hosts failed, 4 hosts unreachable, 64 usage).';

  static override examples = [
    { description: 'Apply a config, asking first', command: '<%= config.bin %> <%= command.id %> fleet/' },
    { description: 'Apply a reviewed plan in CI, 5% of failures at most, a canary of 2 hosts first', command: '<%= config.bin %> <%= command.id %> plan.json --max-fail 5% --batch 2' },
    { description: 'See what an example fleet would end up with, on the kernel model', command: '<%= config.bin %> <%= command.id %> examples/web-fleet --dry-run' },
    { description: 'Stream events for another program', command: '<%= config.bin %> <%= command.id %> plan.json --events' },
    { description: 'In CI: apply nothing if the plan has warnings, such as a value that cripples TCP (exit 5)', command: '<%= config.bin %> <%= command.id %> plan.json --strict' },
    { description: 'On the host itself, as root (boot, image build, DaemonSet): its own entry of the config, no SSH', command: '<%= config.bin %> <%= command.id %> --local fleet/ --auto-approve' },
  ];

  static override args = {
    input: Args.string({ description: 'A fleet file or folder (CONFIG), or a plan saved by `tcpmem plan --out` (PLANFILE).', required: true }),
  };

  static override flags = {
    'auto-approve': Flags.boolean({ description: 'Apply a CONFIG without asking (required when there is no terminal).' }),
    'dry-run': Flags.boolean({ description: 'Apply to the kernel model instead of the hosts: the resulting state per host, the kernel\'s acceptance rules enforced, nothing contacted.' }),
    parallelism: Flags.integer({ description: 'Hosts in flight at once.', default: 16, min: 1, max: 1024 }),
    'max-fail': Flags.string({ description: 'Start no new host once more than N hosts (or N% of the hosts to change) failed, were stale or unreachable.' }),
    batch: Flags.integer({ description: 'Roll out N hosts at a time; the first batch is a canary: if any of its hosts fails, stop.', min: 1 }),
    'connect-timeout': Flags.string({ description: 'SSH connect timeout per host (e.g. 10s), overriding the config.' }),
    'command-timeout': Flags.string({ description: 'Time one host\'s whole transaction may take (e.g. 60s), overriding the config.' }),
    ...hostFlags('Apply', 'CONFIG only: '),
    ...scopeFlags,
    events: Flags.boolean({ description: 'Print progress as JSON events on stdout, one per line (docs/apply.md); the last is run-done with the report.' }),
    ...strictFlag,
    ...localFlags('Apply'),
  };

  async run(): Promise<ApplyReport | { cancelled: true }> {
    const { args, flags, metadata } = await this.parse(ApplyCommand);
    const local = localScopeOf(flags, metadata.flags, ['connect-timeout', 'parallelism', 'max-fail', 'batch', 'target', 'exclude', 'shard']);
    const json = this.jsonEnabled();
    if (json && flags.events) throw usageError('--json and --events both want stdout', 'Use --json for one final document, or --events for a stream of events.');
    const maxFail = flags['max-fail'] === undefined ? undefined : parseMaxFail(flags['max-fail']);
    if (flags['max-fail'] !== undefined && maxFail === undefined) {
      const over = /^\s*\d+\s*%\s*$/.test(flags['max-fail']);
      throw usageError(`--max-fail "${flags['max-fail']}" is not N or N%${over ? ' (a share of the hosts is at most 100%)' : ''}`, 'Give a number of hosts (--max-fail 3) or a share of the hosts to change (--max-fail 10%).');
    }
    const scope = scopeOf(flags);
    const quiet = json || flags.events;
    const progress = quiet ? undefined : new ApplyProgress(process.stderr, this.style('stderr'));
    const onEvent = (event: ApplyEvent): void => {
      if (flags.events) process.stdout.write(`${JSON.stringify(event)}\n`);
      progress?.on(event);
      if (progress === undefined && event.type === 'host-key-accepted') process.stderr.write(`${terminalSafe(renderAcceptedHostKey(event, this.style('stderr')))}\n`);
    };
    const interactive = process.stdin.isTTY && process.stderr.isTTY && !flags.events;

    let outcome: ApplyFlowResult;
    // Set by showPlan, which runApply calls (TypeScript cannot see a closure assign a `let`).
    const shown = { plan: false };
    try {
      outcome = await runApply({
        input: args.input,
        dryRun: flags['dry-run'],
        autoApprove: flags['auto-approve'],
        parallelism: flags.parallelism,
        maxFail,
        batchSize: flags.batch,
        connectTimeoutMs: durationFlagMs('--connect-timeout', flags['connect-timeout']),
        commandTimeoutMs: durationFlagMs('--command-timeout', flags['command-timeout']),
        targets: flags.target,
        excludes: flags.exclude,
        strict: flags.strict,
        ...scope,
        tcpmemVersion: version,
        onReadProgress: readProgressLine(quiet ? undefined : process.stderr),
        showPlan: (plan) => {
          shown.plan = true;
          this.showPlan(plan, quiet, { local: local !== undefined, shard: scope.shard });
        },
        confirm: interactive ? (plan) => confirm(plan) : undefined,
        onEvent,
        local,
      });
    } catch (error) {
      progress?.stop();
      if (error instanceof InvalidConfigError) this.printErr(renderProblems(error.problems, this.style('stderr')));
      // --strict refused a saved plan: show its warnings (a config's plan was shown with them).
      else if (error instanceof TcpmemError && error.code === 'TCPMEM_STRICT' && !shown.plan && !quiet) this.printErr(renderProblems(error.problems, this.style('stderr')));
      throw error;
    }
    progress?.stop();
    if (outcome.kind === 'cancelled') {
      this.printErr('Apply cancelled: nothing was changed.');
      return { cancelled: true };
    }
    const { report } = outcome;
    if (!quiet) this.log(renderApplyReport(report, this.style()));
    // A saved plan was not shown: its warnings (tcpmem's advice among them) follow the report.
    if (!quiet && outcome.fromFile && hasHostProblems(outcome.plan.problems ?? [], outcome.plan.hosts)) {
      this.printErr(`\nThe plan's warnings:\n${renderHostProblems(outcome.plan.problems ?? [], outcome.plan.hosts, this.style('stderr'))}`);
    }
    this.setExitCode(applyExitCode(report));
    return report;
  }

  private showPlan(plan: Plan, quiet: boolean, shown: { local: boolean; shard: Shard | undefined }): void {
    if (quiet) return;
    if (hasHostProblems([], plan.hosts)) process.stderr.write(`${terminalSafe(renderHostProblems([], plan.hosts, this.style('stderr')))}\n`);
    process.stderr.write(`${terminalSafe(renderPlan(plan, this.style('stderr'), shown))}\n\n`);
  }
}

async function confirm(plan: Plan): Promise<boolean> {
  const hosts = plan.summary.hostsWithChanges;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Apply these changes to ${hosts} host${hosts === 1 ? '' : 's'}? Only 'yes' will be accepted: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}


