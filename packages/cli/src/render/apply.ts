import type { ApplyReport, HostApplyResult, SettingResult } from '@tcpmem/apply';
import { printable } from '@tcpmem/schema';
import { renderAcceptedHostKey } from './host-keys';
import type { Style } from './style';

/** How many host names a collapsed line lists before "+N more". */
const NAMES_SHOWN = 8;

/**
 * Renders an apply report for a person: one line per outcome shared by several hosts (names collapsed, so a
 * fleet of thousands reads in one screen), failures one host per line with what happened and where the host was
 * left, then warnings, then a summary line. A dry run shows the state the model ends in.
 */
export function renderApplyReport(report: ApplyReport, style: Style): string {
  const out: string[] = [];
  const dry = report.executor === 'model';
  out.push(style.bold(`tcpmem apply ${printable(report.plan.configPath)}`) + style.dim(dry ? ' (dry run: applied to the kernel model, no host contacted)' : ` (plan ${report.plan.digest.slice(0, 19)}…)`), '');
  if (report.refused !== undefined) {
    out.push(`${style.red('refused')}: ${printable(report.refused.reason)}`);
    for (const stale of report.refused.staleHosts) {
      for (const s of stale.settings) out.push(`  ${style.yellow('~')} ${printable(`${stale.host}: ${s.sysctl} (${s.where === 'live' ? 'live' : s.where === 'file' ? "tcpmem's file" : `${s.file ?? '?'}, overriding tcpmem's file at boot`}) planned from ${s.planned ?? 'absent'}, now ${s.now ?? 'absent'}`)}`);
    }
    out.push('', summaryLine(report, style));
    return out.join('\n');
  }
  for (const group of groupByOutcome(report.hosts)) out.push(...renderGroup(group, style, dry));
  const warned = report.hosts.filter((h) => h.warnings.length > 0);
  if (warned.length > 0) {
    out.push('', style.yellow('warnings:'));
    const byText = new Map<string, string[]>();
    for (const h of warned) for (const w of h.warnings) byText.set(w, [...(byText.get(w) ?? []), h.host]);
    for (const [text, hosts] of byText) out.push(`  ${style.yellow('!')} ${collapse(hosts)}: ${printable(text)}`);
  }
  if (report.acceptedHostKeys !== undefined && report.acceptedHostKeys.length > 0) {
    out.push('', style.yellow('host keys trusted on first use (hostKeyPolicy: accept-new):'));
    for (const key of report.acceptedHostKeys) out.push(`  ${renderAcceptedHostKey(key, style)}`);
  }
  if (report.interrupted !== undefined) {
    const i = report.interrupted;
    const running = i.hostsRunning.length === 0 ? 'no host was under way' : `${collapse(i.hostsRunning)} ${i.hostsRunning.length === 1 ? 'was' : 'were'} under way and ended as shown above`;
    out.push('', style.yellow(`Interrupted (${i.signal}) after ${(i.elapsedMs / 1000).toFixed(1)} s: no new host was started; ${running}${i.forced === true ? ' (a second signal stopped those not yet committing, untouched)' : ''}.`));
  }
  out.push('', summaryLine(report, style));
  return out.join('\n');
}

/** `Apply complete: 4 applied, 1 failed (rolled back), … · 9 settings changed · 2.4 s` */
export function summaryLine(report: ApplyReport, style: Style): string {
  const s = report.summary;
  const parts = [
    style.green(`${s.applied} applied`),
    `${s.unchanged} unchanged`,
    s.failed > 0 ? style.red(`${s.failed} failed`) : undefined,
    s.stale > 0 ? style.yellow(`${s.stale} stale`) : undefined,
    s.unreachable > 0 ? style.yellow(`${s.unreachable} unreachable`) : undefined,
    s.skipped > 0 ? `${s.skipped} skipped` : undefined,
  ].filter((p) => p !== undefined);
  const head = report.refused !== undefined ? style.red('Apply refused') : report.interrupted !== undefined ? style.yellow('Apply interrupted') : report.executor === 'model' ? 'Dry run complete' : s.failed + s.unreachable + s.stale > 0 ? style.yellow('Apply finished with problems') : style.green('Apply complete');
  const settings = `${s.settingsChanged} setting${s.settingsChanged === 1 ? '' : 's'} changed${s.settingsUnavailable > 0 ? `, ${s.settingsUnavailable} not available on their hosts` : ''}`;
  return `${head}: ${parts.join(', ')} · ${settings} · ${(report.durationMs / 1000).toFixed(1)} s`;
}

const marks: Record<HostApplyResult['status'], string> = { applied: '✓', unchanged: '=', failed: '✗', stale: '~', unreachable: '!', skipped: '-' };

function renderGroup(hosts: readonly HostApplyResult[], style: Style, dry: boolean): string[] {
  const first = hosts[0]!;
  const colour = first.status === 'applied' ? style.green : first.status === 'failed' ? style.red : first.status === 'unchanged' || first.status === 'skipped' ? style.dim : style.yellow;
  const lines = [`  ${colour(marks[first.status])} ${style.bold(collapse(hosts.map((h) => h.host)))}  ${printable(describe(first))}`];
  if (first.status === 'applied') {
    for (const s of first.settings.filter((x) => x.outcome !== 'unchanged')) lines.push(`      ${settingLine(s, style, dry)}`);
  }
  if (first.status === 'failed') {
    for (const s of first.settings.filter((x) => x.outcome === 'rejected' || x.outcome === 'rolled-back')) lines.push(`      ${settingLine(s, style, dry)}`);
  }
  return lines;
}

function describe(r: HostApplyResult): string {
  switch (r.status) {
    case 'applied': {
      const n = r.settings.filter((s) => s.outcome !== 'unchanged' && s.outcome !== 'unavailable').length;
      const file = r.file?.action === 'removed' ? `; ${r.file.path} removed (nothing left to manage)` : r.file?.action === 'written' ? `; ${r.file.path} written` : '';
      return `applied: ${n} setting${n === 1 ? '' : 's'}${file}`;
    }
    case 'unchanged':
      return 'nothing to do';
    case 'failed': {
      const state = r.state === 'rolled-back' ? 'rolled back, host as before' : r.state === 'untouched' ? 'nothing was changed' : r.state === 'unknown' ? 'HOST STATE UNKNOWN' : 'changed';
      return `failed at ${r.failure?.stage ?? '?'} (${state}): ${r.failure?.message ?? ''}`;
    }
    case 'stale':
      return `stale, not touched: ${r.failure?.message ?? ''}`;
    case 'unreachable':
      return `unreachable, not touched: ${r.failure?.message ?? ''}`;
    case 'skipped':
      return `skipped: ${r.skipped ?? ''}`;
  }
}

function settingLine(s: SettingResult, style: Style, dry: boolean): string {
  const before = s.before === null ? '(absent)' : s.before.join(' ');
  const after = s.after === null ? '(absent)' : s.after.join(' ');
  switch (s.outcome) {
    case 'written':
      return `${style.green('~')} ${s.sysctl} ${before} → ${after}${dry ? style.dim(' (model)') : ''}`;
    case 'restored':
      return `${style.red('-')} ${s.sysctl} ${before} → ${after} ${style.dim('(as the host boots without it; no longer managed)')}`;
    case 'dropped':
      return `${style.red('-')} ${s.sysctl} ${style.dim('dropped from the file (kernel default unknown; live value left)')}`;
    case 'persisted':
      return `${style.cyan('>')} ${s.sysctl} = ${after} ${style.dim('(live value was right; file updated)')}`;
    case 'rolled-back':
      return `${style.yellow('↺')} ${s.sysctl} written then restored to ${before}`;
    case 'rejected':
      return `${style.red('✗')} ${s.sysctl}: ${s.message ?? 'rejected'}`;
    case 'unavailable':
      return `${style.yellow('?')} ${s.sysctl}: not on this host`;
    case 'unchanged':
    case 'not-attempted':
      return `  ${s.sysctl}`;
  }
}

/** Hosts whose results read the same (same status, same message, same settings), in report order. */
function groupByOutcome(hosts: readonly HostApplyResult[]): HostApplyResult[][] {
  const groups = new Map<string, HostApplyResult[]>();
  for (const h of hosts) {
    // failures are one line per host: their messages name the host
    const key =
      h.status === 'failed' || h.status === 'stale' || h.status === 'unreachable'
        ? `${h.status}:${h.host}`
        : JSON.stringify([h.status, h.skipped, h.file?.action, h.settings.map((s) => [s.sysctl, s.outcome, s.before, s.after])]);
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  return [...groups.values()];
}

/** `web-1, web-2, web-3 … +12 more` */
export function collapse(all: readonly string[]): string {
  const names = all.map(printable);
  if (names.length <= NAMES_SHOWN) return names.join(', ');
  return `${names.slice(0, NAMES_SHOWN).join(', ')} … +${names.length - NAMES_SHOWN} more (${names.length} hosts)`;
}
