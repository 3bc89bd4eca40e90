#!/usr/bin/env node
'use strict';
/**
 * Turns what bench/plan-live/run.sh measured (OUT/env.tsv, times.tsv, sessions.tsv, memory.tsv, profile/) into
 * results.md: the machine, the wall/CPU/RSS table (medians of the runs, with the range), tcpmem against the SSH
 * floors (issue 13's target: ≤ 2×), the one-connection-per-host check, peak RSS against the number of hosts, and
 * where the time goes. Usage: node bench/plan-live/report.js OUT_DIR RESULTS.md|-
 */
const fs = require('node:fs');
const path = require('node:path');

const [outDir, target] = process.argv.slice(2);
if (outDir === undefined || target === undefined) {
  process.stderr.write('usage: node bench/plan-live/report.js OUT_DIR RESULTS.md|-\n');
  process.exit(64);
}

const tsv = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t')) : []);
const env = Object.fromEntries(tsv(path.join(outDir, 'env.tsv')).map(([k, ...v]) => [k, v.join('\t')]));
const times = tsv(path.join(outDir, 'times.tsv')).map(([method, run, wall, cpu, rss, rc, load1, failedHosts]) => ({ method, run: Number(run), wall: Number(wall), cpu: Number(cpu), rss: Number(rss), rc: Number(rc), load1: Number(load1), failedHosts: Number(failedHosts ?? 0) }));
const sessions = tsv(path.join(outDir, 'sessions.tsv'));
const memory = tsv(path.join(outDir, 'memory.tsv')).map(([label, hosts, wall, rss]) => ({ label, hosts: Number(hosts), wall: Number(wall), rss: Number(rss) }));

const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const of = (method, field = 'wall') => times.filter((t) => t.method === method && t.rc === 0).map((t) => t[field]);
const med = (method, field) => median(of(method, field));
const s2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const mb = (kb) => (Number.isFinite(kb) ? `${Math.round(kb / 1024)} MB` : '–');
const range = (xs, f = s2) => (xs.length === 0 ? '–' : `**${f(median(xs))}** (${f(Math.min(...xs))}–${f(Math.max(...xs))})`);
const n = env.hosts ?? '?';

const methods = [
  ['tcpmem-plan', `\`tcpmem plan fleet.yaml ${env.planFlags ?? '--json'}\` (live)`],
  ['ssh-floor', `floor: \`ssh -F ssh_config hK true\` × ${n} at once (OpenSSH's defaults; ConnectTimeout 60 s)`],
  ['ssh-floor-x25519', '… the same with `-o KexAlgorithms=curve25519-sha256` (what ssh2 negotiates)'],
  ['ssh2-floor', `ssh2's floor: one node process, ssh2 connect + \`true\` × ${n} at once (\`bench/apply/phases.js --only-true\`)`],
];

const L = [];
L.push('# bench/plan-live results', '');
L.push('Written by `bench/plan-live/run.sh` (see [bench/README.md](../README.md#benchplan-live--a-live-tcpmem-plan-of-200-hosts)); do not edit by hand.', `Issue 13's target: a live \`tcpmem plan\` of ${n} hosts within **2× of the SSH floor** measured in the same run.`, '');
L.push('| | |', '|---|---|');
L.push(`| date | ${env.date ?? '?'} |`);
L.push(`| machine | ${env.nproc ?? '?'} CPUs, ${env.cpu ?? '?'}, ${env.mem ?? '?'}, kernel ${env.kernel ?? '?'} |`);
L.push(`| load average (1, 5, 15 min) | at start ${env.loadStart ?? '?'}; at end ${env.loadEnd ?? '?'} |`);
L.push(`| commit | ${env.commit ?? '?'} |`);
L.push(`| tcpmem | ${env.tcpmem ?? '?'}, node ${env.node ?? '?'}, ssh2 ${env.ssh2 ?? '?'} |`);
L.push(`| OpenSSH | client ${env.openssh ?? '?'}; server (the test hosts) ${env.opensshServer ?? '?'} |`);
L.push(`| hosts | ${n} netns test hosts (\`test-hosts/netns-hosts.sh\`), each its own sshd; one known_hosts file for all |`);
L.push(`| runs | ${env.runs ?? '?'} per method, interleaved; the median, (min–max) |`, '');

L.push('## Wall time, CPU time and peak RSS', '');
L.push('| method | wall s | CPU s (user + system, children included) | peak RSS (largest process) | 1-min load before the runs |', '|---|---:|---:|---:|---|');
for (const [m, label] of methods) {
  const loads = times.filter((t) => t.method === m).map((t) => t.load1);
  L.push(`| ${label} | ${range(of(m))} | ${range(of(m, 'cpu'))} | ${range(of(m, 'rss'), mb)} | ${loads.join(', ') || '–'} |`);
}
L.push('');
const failed = times.filter((t) => t.rc !== 0);
if (failed.length) {
  L.push(`Failed runs (left out of the medians): ${failed.map((t) => `${t.method} run ${t.run} exit ${t.rc}${t.failedHosts ? ` (${t.failedHosts} of ${n} hosts failed, after ${s2(t.wall)} s)` : ''}`).join('; ')}.`);
  if (failed.some((t) => t.failedHosts > 0)) {
    L.push('A floor run in which hosts failed ended early for them, so its wall time is a lower bound of the floor; where no run of a', 'floor succeeded, the ratio below uses the median of those lower bounds (and is then an upper bound, "≤").');
  }
  L.push('');
}

L.push('## tcpmem against the floors (ratio of the medians; target ≤ 2×)', '');
L.push('| floor | tcpmem / floor | ≤ 2× |', '|---|---:|---|');
for (const [m, label] of methods.slice(1)) {
  const ok = of(m);
  const bound = ok.length === 0 ? median(times.filter((t) => t.method === m && t.failedHosts > 0).map((t) => t.wall)) : NaN;
  const r = med('tcpmem-plan') / (ok.length ? median(ok) : bound);
  const text = Number.isFinite(r) ? `${ok.length ? '' : '≤ '}${r.toFixed(2)}×` : '–';
  L.push(`| ${label} | ${text} | ${Number.isFinite(r) ? (r <= 2 ? 'met' : '**missed**') : '–'} |`);
}
L.push('', 'Per round (the runs of a round follow each other, so they share the load):', '');
L.push('| round | tcpmem s | OpenSSH floor s | curve25519 floor s | ssh2 floor s | tcpmem / curve25519 floor |', '|---:|---:|---:|---:|---:|---:|');
for (const r of [...new Set(times.map((t) => t.run))].sort((a, b) => a - b)) {
  const w = (m) => times.find((t) => t.method === m && t.run === r && t.rc === 0)?.wall ?? NaN;
  const wf = (m) => { const t = times.find((x) => x.method === m && x.run === r); return t === undefined ? '–' : t.rc === 0 ? s2(t.wall) : t.failedHosts ? `≥ ${s2(t.wall)} (${t.failedHosts} failed)` : 'failed'; };
  L.push(`| ${r} | ${wf('tcpmem-plan')} | ${wf('ssh-floor')} | ${wf('ssh-floor-x25519')} | ${wf('ssh2-floor')} | ${s2(w('tcpmem-plan') / w('ssh-floor-x25519'))}× |`);
}
L.push('');

L.push('## Each host read exactly once', '');
L.push('Counted from every host\'s sshd log (LogLevel VERBOSE) before and after each run: new `Connection from` (TCP', 'connections), `Accepted publickey` (authentications) and `Starting session` (exec sessions) lines per host.', '');
L.push('| method | run | hosts | connections per host | authentications | sessions | |', '|---|---:|---:|---|---|---|---|');
for (const [m, run, hosts, lc, hc, la, ha, ls, hs, ok] of sessions) {
  const span = (lo, hi) => (lo === hi ? lo : `${lo}–${hi}`);
  L.push(`| ${m} | ${run} | ${hosts} | ${span(lc, hc)} | ${span(la, ha)} | ${span(ls, hs)} | ${ok === 'ok' ? 'exactly one' : '**WRONG**'} |`);
}
L.push('');

if (memory.length) {
  L.push('## Memory: peak RSS against the number of hosts', '');
  L.push('One run each, after the rounds. `live-K`: the first K hosts of the fleet, tcpmem\'s defaults; `-pN`: `--parallelism N`', '(every host at once); `offline`: `--offline` (no host read), what the planning alone holds.', '');
  L.push('| run | hosts | wall s | peak RSS |', '|---|---:|---:|---:|');
  for (const m of memory) L.push(`| ${m.label} | ${m.hosts} | ${s2(m.wall)} | ${mb(m.rss)} |`);
  L.push('');
}

const prof = path.join(outDir, 'profile');
if (fs.existsSync(prof)) {
  const timeFiles = (prefix) => fs.readdirSync(prof).filter((f) => f.startsWith(prefix) && f.endsWith('.time')).map((f) => fs.readFileSync(path.join(prof, f), 'utf8').trim().split('\n').pop().split(' ').map(Number));
  const phaseFiles = (p) => fs.readdirSync(prof).filter((f) => f.startsWith(`phases-p${p}-`)).map((f) => JSON.parse(fs.readFileSync(path.join(prof, f), 'utf8')));
  L.push('## Where the time goes (untimed in the table above; medians of 3)', '');
  L.push('| part | wall s | CPU s | peak RSS |', '|---|---:|---:|---:|');
  for (const [prefix, label] of [['startup', 'node + oclif start (`tcpmem --version`)'], ['offline', `\`tcpmem plan fleet.yaml --json --offline\` (${n} hosts, no read: start + load + plan)`]]) {
    const t = timeFiles(prefix);
    L.push(`| ${label} | ${s2(median(t.map((x) => x[0])))} | ${s2(median(t.map((x) => x[1] + x[2])))} | ${mb(median(t.map((x) => x[3])))} |`);
  }
  L.push('');
  const ps = [...new Set(fs.readdirSync(prof).filter((f) => f.startsWith('phases-p')).map((f) => Number(/^phases-p(\d+)-/.exec(f)[1])))].sort((a, b) => a - b);
  if (ps.length) {
    L.push(`tcpmem's transport alone (\`bench/apply/phases.js\`: per host connect, \`exec true\`, \`exec sudo -n true\`, the plan's read script, close; ${n} hosts, one node process), ms:`, '');
    L.push(`| | ${ps.map((p) => `parallelism ${p}${String(p) === env.parallelism ? ' (plan\'s)' : ''}`).join(' | ')} |`, `|---|${ps.map(() => '---:').join('|')}|`);
    const row = (label, f) => L.push(`| ${label} | ${ps.map((p) => { const v = median(phaseFiles(p).map(f)); return Number.isFinite(v) ? Math.round(v) : '–'; }).join(' | ')} |`);
    row('wall, every host', (x) => x.wallMs);
    row('node CPU', (x) => x.cpuMs);
    for (const [k, label] of [['connectMs', 'connect (TCP, key exchange, host key, auth)'], ['execTrueMs', '`exec true`'], ['execSudoTrueMs', '`exec sudo -n true`'], ['readScriptMs', 'the read script (`sh -s`)'], ['closeMs', 'close']]) {
      row(`per host ${label}: p50`, (x) => x[k]?.p50);
      row(`per host ${label}: max`, (x) => x[k]?.max);
    }
    L.push('');
  }
  const hot = path.join(prof, 'hotspots.txt');
  if (fs.existsSync(hot)) {
    L.push('A V8 CPU profile of one live plan (`node --cpu-prof`, summarised by `bench/plan/hotspots.js --top 15`):', '', '```', fs.readFileSync(hot, 'utf8').trimEnd(), '```', '');
  }
}

const text = L.join('\n');
if (target === '-') process.stdout.write(text);
else fs.writeFileSync(target, text);
