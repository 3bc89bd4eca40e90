import { formatProblem, sortProblems, type Problem } from '@tcpmem/schema';
import { hostList } from './host-list';
import type { Style } from './style';

/**
 * Renders problems for a person, in the order given: one block each, errors in red, warnings in yellow, and a
 * count. Identical problems (same place, code, message and hint) are shown once.
 */
export function renderProblems(problems: readonly Problem[], style: Style): string {
  return renderGrouped(problems.map((problem) => ({ problem, host: undefined })), style, false);
}

/**
 * Renders the problems of a plan for a person: those of the config, then each host's, sorted by place. A problem
 * several hosts have (one group's value, a workload's TSQ warning) is shown once, with how many hosts and which:
 * `… (30 hosts: web-01, web-02, web-03 and 27 more)`. `--json` keeps every host's own list.
 */
export function renderHostProblems(configProblems: readonly Problem[], hosts: readonly { readonly name: string; readonly problems: readonly Problem[] }[], style: Style): string {
  const found: { problem: Problem; host: string | undefined }[] = configProblems.map((problem) => ({ problem, host: undefined }));
  for (const host of hosts) for (const problem of host.problems) found.push({ problem, host: host.name });
  return renderGrouped(found, style, true);
}

/** Whether there is anything for `renderHostProblems` to show. */
export function hasHostProblems(configProblems: readonly Problem[], hosts: readonly { readonly problems: readonly Problem[] }[]): boolean {
  return configProblems.length > 0 || hosts.some((h) => h.problems.length > 0);
}

function renderGrouped(found: readonly { readonly problem: Problem; readonly host: string | undefined }[], style: Style, sort: boolean): string {
  // Hosts planned alike share their problem objects: format each object once.
  const texts = new Map<Problem, string>();
  const groups = new Map<string, { problem: Problem; hosts: string[]; config: boolean }>();
  for (const { problem, host } of found) {
    let text = texts.get(problem);
    if (text === undefined) {
      text = formatProblem(problem);
      texts.set(problem, text);
    }
    let group = groups.get(text);
    if (group === undefined) {
      group = { problem, hosts: [], config: false };
      groups.set(text, group);
    }
    if (host === undefined) group.config = true;
    else if (group.hosts[group.hosts.length - 1] !== host) group.hosts.push(host);
  }
  const byProblem = new Map([...groups.values()].map((g) => [g.problem, g]));
  const shown = (p: Problem): string => {
    const group = byProblem.get(p)!;
    const [first = '', ...rest] = (texts.get(p) ?? formatProblem(p)).split('\n');
    const head = p.severity === 'error' ? first.replace(/ error /, ` ${style.red('error')} `) : first.replace(/ warning /, ` ${style.yellow('warning')} `);
    const on = group.hosts.length > 1 ? style.dim(` (${group.hosts.length} hosts: ${hostList(group.hosts)})`) : '';
    return [`${head}${on}`, ...rest].join('\n');
  };
  const lines = alikeSummed(sort ? sortProblems([...byProblem.keys()]) : [...byProblem.keys()], shown, style);
  const errors = [...byProblem.keys()].filter((p) => p.severity === 'error').length;
  const notes = [...byProblem.keys()].filter((p) => p.severity === 'note').length;
  const warnings = byProblem.size - errors - notes;
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${notes === 0 ? '' : `, ${notes} note${notes === 1 ? '' : 's'}`}`);
  return lines.join('\n');
}

/** Problems alike (`likeness`) beyond this many are summed up: the first `alikeShown` in full, then one line. */
const alikeSummedFrom = 7;
const alikeShown = 3;

/**
 * The problems as `shown`, but where more than six are alike — one problem of many hosts, each of its own host
 * (`h998: tcpmem cannot know its kernel…`), or of many files — the first three in full and the rest in one line
 * after them: a fleet of 10,000 hosts not yet discovered gets four lines, not 20,000. `--json` lists each.
 */
function alikeSummed(problems: readonly Problem[], shown: (p: Problem) => string, style: Style): string[] {
  const keys = problems.map(likeness);
  const alike = new Map<string, Problem[]>();
  problems.forEach((p, i) => {
    const list = alike.get(keys[i] as string);
    if (list === undefined) alike.set(keys[i] as string, [p]);
    else list.push(p);
  });
  // How many of each kind were met so far (each problem is in the list once): its place among those alike.
  const met = new Map<string, number>();
  const lines: string[] = [];
  problems.forEach((p, i) => {
    const key = keys[i] as string;
    const list = alike.get(key) as Problem[];
    const at = met.get(key) ?? 0;
    met.set(key, at + 1);
    if (list.length < alikeSummedFrom || at < alikeShown) lines.push(shown(p));
    if (list.length < alikeSummedFrom || at !== alikeShown - 1) return;
    const rest = list.slice(alikeShown).map((q) => subjectOf(q) ?? q.file ?? '?');
    lines.push(style.dim(`    … and ${rest.length} more like these: ${hostList(rest)} (--json lists each)`));
  });
  return lines;
}

/** The host a problem is about, from its place (`/hosts/NAME…`), if it is one host's. */
function subjectOf(p: Problem): string | undefined {
  const segment = /^\/hosts\/([^/]+)/.exec(p.path ?? '')?.[1];
  return segment?.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Problems are alike when they say the same (the host they are about aside) with the same code, severity and hint. */
function likeness(p: Problem): string {
  const subject = subjectOf(p);
  const message = subject === undefined || subject === '' ? p.message : p.message.split(subject).join('\u0000');
  return [p.severity, p.code, p.hint ?? '', message].join('\u0001');
}
