import type { Shard } from '@tcpmem/plan';
import { printable, type Change, type HostPlan, type Plan } from '@tcpmem/schema';
import { identicalHosts } from './host-list';
import { noHostLine } from './no-host';
import { readableSize } from './readable-size';
import type { Style } from './style';

const symbols: Record<Change['action'], string> = { create: '+', update: '~', delete: '-', 'no-op': ' ' };

/**
 * Renders a plan for a person, in the Terraform style: per host, `+` start managing, `~` change, `-` restore
 * the kernel default and stop managing; old → new with the unit and a short reason. Hosts whose plans are
 * identical (same changes, same values) are shown once with their names collapsed, so a fleet of thousands
 * reads in one screen. Ends with a summary line (for a plan of no host, why it has none: `shard`, the --shard
 * that left none, or a config that defines none).
 */
export function renderPlan(plan: Plan, style: Style, options: { full?: boolean; maxGroups?: number; local?: boolean; shard?: Shard | undefined } = {}): string {
  const out: string[] = [];
  const source = plan.mode === 'offline' ? 'offline: current values from discovered facts or the kernel model' : options.local === true ? 'live: current values read on this machine' : 'live: current values read over SSH';
  out.push(style.bold(`tcpmem plan ${printable(plan.config.path)}`) + style.dim(` (${source})`), '');
  const groups = groupIdentical(plan.hosts);
  if (options.full !== true && groups.length > (options.maxGroups ?? 30)) {
    out.push(...renderBySetting(plan.hosts, groups.length, style), '');
  } else {
    for (const group of groups) out.push(...renderGroup(group, style), '');
  }
  out.push(plan.hosts.length === 0 ? style.bold(noHostLine('plan', options.shard)) : summaryLine(plan, style));
  if (plan.hosts.some((h) => h.kernel?.pageSize === undefined && h.changes.some((c) => c.unit === 'pages' && c.action !== 'no-op'))) out.push(style.dim('(MiB/GiB beside pages: 4 KiB pages, or the page size a host\'s kernel has where the plan records one.)'));
  return out.join('\n');
}

/**
 * The fleet view, for plans too varied to list host by host: one line per setting and action with the number of
 * hosts and the most common new values, then the hosts that need attention (invalid, unreachable, warnings).
 */
function renderBySetting(hosts: readonly HostPlan[], planCount: number, style: Style): string[] {
  const lines = [style.dim(`  ${hosts.length} hosts in ${planCount} different plans: changes by setting (--full lists every host)`), ''];
  const bySetting = new Map<string, { change: Change; hosts: number; after: Map<string, number>; before: Set<string>; pageSizes: Set<number> }>();
  // Hosts planned alike share their list of changes (plan-memo.ts): count each list once, times its hosts.
  const lists = new Map<readonly Change[], { times: number; pageSizes: Set<number> }>();
  for (const host of hosts) {
    const list = lists.get(host.changes);
    if (list === undefined) lists.set(host.changes, { times: 1, pageSizes: new Set([pageSizeOf(host)]) });
    else {
      list.times += 1;
      list.pageSizes.add(pageSizeOf(host));
    }
  }
  for (const [changes, { times, pageSizes }] of lists) {
    for (const change of changes) {
      if (change.action === 'no-op') continue;
      const key = `${change.sysctl}\u0000${change.action}`;
      let entry = bySetting.get(key);
      if (entry === undefined) {
        entry = { change, hosts: 0, after: new Map(), before: new Set(), pageSizes: new Set() };
        bySetting.set(key, entry);
      }
      for (const size of pageSizes) entry.pageSizes.add(size);
      entry.hosts += times;
      const after = change.after === null ? '(kernel default)' : change.after.join(' ');
      entry.after.set(after, (entry.after.get(after) ?? 0) + times);
      entry.before.add(change.before === null ? '(absent)' : change.before.join(' '));
    }
  }
  const entries = [...bySetting.values()].sort((a, b) => a.change.sysctl.localeCompare(b.change.sysctl) || a.change.action.localeCompare(b.change.action));
  const width = Math.max(0, ...entries.map((e) => e.change.sysctl.length));
  for (const { change, hosts: count, after, before, pageSizes } of entries) {
    const colour = change.action === 'create' ? style.green : change.action === 'update' ? style.yellow : style.red;
    const common = [...after.entries()].sort((a, b) => b[1] - a[1]);
    const shown = common.slice(0, 3).map(([value, n]) => `→ ${value}${common.length > 1 ? ` (${n})` : ''}`).join(', ');
    const more = common.length > 3 ? `, ${common.length - 3} more values` : '';
    const from = before.size === 1 ? ` from ${[...before][0] ?? ''}` : ` from ${before.size} different values`;
    // pages of one size only: the same count of pages is another amount of memory on a 64 KiB-page host
    const size = common.length === 1 && change.after !== null && (change.unit !== 'pages' || pageSizes.size === 1) ? sizeNote(change.after, change.unit, [...pageSizes][0]) : '';
    lines.push(`  ${colour(symbols[change.action])} ${change.sysctl.padEnd(width)}  on ${count} host${count === 1 ? '' : 's'}: ${shown}${more} ${change.unit}${size}${style.dim(`;${from}`)}`);
  }
  const attention = hosts.filter((h) => h.status !== 'ok' || h.problems.length > 0);
  if (attention.length > 0) {
    lines.push('');
    for (const group of groupIdentical(attention)) {
      const first = group[0]!;
      const label = first.status === 'invalid' ? style.red('invalid: not planned') : first.status === 'unreachable' ? style.yellow('unreachable') : style.yellow('warnings');
      lines.push(`  ${style.bold(`# ${identicalHosts(group.map((h) => h.name))}`)} · ${label}`);
      for (const p of first.problems.slice(0, 3)) lines.push(`    ${p.severity === 'error' ? style.red('error') : style.yellow('warning')} ${p.code}: ${printable(p.message)}`);
    }
  }
  return lines;
}

function renderGroup(hosts: readonly HostPlan[], style: Style): string[] {
  const first = hosts[0]!;
  const lines: string[] = [];
  const names = identicalHosts(hosts.map((h) => h.name));
  // the release is what the host said (`uname -r`, its facts): printable, as every value from a host or a file
  const kernel = first.kernel === undefined ? '' : ` · ${printable(first.kernel.release)}`;
  const groups = first.groups.length === 0 ? '' : ` · ${printable(first.groups.join(', '))}`;
  const status = first.status === 'ok' ? '' : first.status === 'unreachable' ? style.yellow(' · unreachable, planned from ' + first.source) : style.red(' · invalid: not planned');
  lines.push(`  ${style.bold(`# ${names}`)}${style.dim(groups + kernel)}${status}`);
  const visible = first.changes.filter((c) => c.action !== 'no-op');
  const width = Math.max(0, ...visible.map((c) => c.sysctl.length));
  for (const change of visible) {
    const symbol = symbols[change.action];
    const colour = change.action === 'create' ? style.green : change.action === 'update' ? style.yellow : style.red;
    const before = change.before === null ? '(absent)' : change.before.join(' ');
    const after = change.after === null ? '(kernel default)' : change.after.join(' ');
    const values = before === after ? `${after} (unchanged value)` : `${before} → ${after}`;
    const notes = [change.reason];
    if (change.drift !== undefined && change.drift !== 'none') notes.push(`drift: ${change.drift}`);
    if (change.shadowedBy !== undefined) notes.push(`shadowed at boot by ${change.shadowedBy}`);
    const size = sizeNote(change.after ?? change.before ?? [], change.unit, pageSizeOf(first));
    lines.push(`  ${colour(symbol)} ${change.sysctl.padEnd(width)}  ${values} ${change.unit}${size}  ${style.dim(`# ${printable(notes.join('; '))}`)}`);
  }
  const unchanged = first.changes.length - visible.length;
  if (visible.length === 0 && first.status !== 'invalid') lines.push(style.dim('    no changes'));
  if (unchanged > 0) lines.push(style.dim(`    ${unchanged} managed setting${unchanged === 1 ? '' : 's'} unchanged`));
  for (const p of first.problems) {
    lines.push(`    ${p.severity === 'error' ? style.red('error') : style.yellow('warning')} ${p.code}: ${printable(p.message)}`);
  }
  return lines;
}

/** Hosts with identical plans, in the order their first member appears. */
export function groupIdentical(hosts: readonly HostPlan[]): HostPlan[][] {
  const groups = new Map<string, HostPlan[]>();
  for (const host of hosts) {
    const key = identityKey(host);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [host]);
    else group.push(host);
  }
  return [...groups.values()];
}

/** Everything a host's block shows, but its name: hosts with the same key are shown once. */
function identityKey(host: HostPlan): string {
  const parts = [host.status, host.source, host.groups.join(','), host.kernel?.release ?? '', changesKey(host.changes)];
  for (const p of host.problems) parts.push(p.code, p.severity, p.message.split(host.name).join('\u0001'));
  return parts.join('\u0000');
}

/** The part of identityKey for a list of changes, once per list (hosts planned alike share theirs). */
const changesKeys = new WeakMap<readonly Change[], string>();

function changesKey(changes: readonly Change[]): string {
  let key = changesKeys.get(changes);
  if (key === undefined) {
    key = changes.map((c) => [c.sysctl, c.action, c.before?.join(' ') ?? '-', c.after?.join(' ') ?? '-', c.reason, c.drift ?? '', c.shadowedBy ?? ''].join('\u0000')).join('\u0000');
    changesKeys.set(changes, key);
  }
  return key;
}

function summaryLine(plan: Plan, style: Style): string {
  const s = plan.summary;
  const changes = s.create + s.update + s.delete;
  const hostNote = [s.unreachable > 0 ? `${s.unreachable} unreachable` : '', s.invalid > 0 ? `${s.invalid} invalid` : ''].filter(Boolean).join(', ');
  const suffix = hostNote === '' ? '' : ` (${hostNote})`;
  // A host that is invalid was not planned: it neither matches the config nor has changes.
  if (s.hosts > 0 && s.invalid === s.hosts) return `${style.bold(style.red('No host could be planned:'))} ${s.hosts === 1 ? 'the host is' : `all ${s.hosts} hosts are`} invalid (the errors above say why).`;
  const planned = s.hosts - s.invalid;
  if (changes === 0) return `${style.bold('No changes.')} ${planned} host${planned === 1 ? ' matches' : 's match'} the config, ${s.noop} managed settings unchanged${suffix}.`;
  return `${style.bold('Plan:')} ${style.green(`${s.create} to add`)}, ${style.yellow(`${s.update} to change`)}, ${style.red(`${s.delete} to restore`)}, ${s.noop} unchanged, on ${s.hostsWithChanges} of ${s.hosts} hosts${suffix}.`;
}

/**
 * The value in MiB/GiB beside pages and bytes: ` (367/490/734 MiB)`, pages of the host's size: a plan records it
 * where it is not 4 KiB (`kernel.pageSize`: arm64's 16/64 KiB kernels); a plan of an older tcpmem does not, and
 * the plan's footer says 4 KiB is assumed.
 */
function sizeNote(values: readonly number[], unit: string, pageSize: number = assumedPageSize): string {
  const size = readableSize(values, unit, pageSize);
  return size === undefined ? '' : ` (${size})`;
}

/** The page size of a host's plan (4 KiB unless the plan says otherwise). */
function pageSizeOf(host: HostPlan): number {
  return host.kernel?.pageSize ?? assumedPageSize;
}

const assumedPageSize = 4096;
