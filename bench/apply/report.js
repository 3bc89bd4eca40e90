#!/usr/bin/env node
'use strict';
/**
 * Turns what bench/apply/run.sh measured (OUT/env.tsv, times.tsv, load.tsv, profile-nN/*.json) into results.md:
 * the machine and tools, the wall-time table (medians of the runs, with the range), CPU time, the ratios against
 * issue 5's targets, and the profile of tcpmem's apply. Usage: node bench/apply/report.js OUT_DIR RESULTS.md|-
 */
const fs = require('node:fs');
const path = require('node:path');

const [outDir, target] = process.argv.slice(2);
if (outDir === undefined || target === undefined) {
  process.stderr.write('usage: node bench/apply/report.js OUT_DIR RESULTS.md|-\n');
  process.exit(64);
}

const tsv = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t')) : []);
const env = Object.fromEntries(tsv(path.join(outDir, 'env.tsv')).map(([k, ...v]) => [k, v.join('\t')]));
const times = tsv(path.join(outDir, 'times.tsv')).map(([n, method, run, wall, cpu, rc, load1]) => ({ n: Number(n), method, run: Number(run), wall: Number(wall), cpu: Number(cpu), rc: Number(rc), load1: Number(load1) }));
const loads = tsv(path.join(outDir, 'load.tsv'));

const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sizes = [...new Set(times.map((t) => t.n))].sort((a, b) => a - b);
const of = (n, method, field = 'wall') => times.filter((t) => t.n === n && t.method === method && t.rc === 0).map((t) => t[field]);
const med = (n, method, field) => median(of(n, method, field));
/** plan --out and apply PLANFILE of the same round, added up. */
const split = (n, field = 'wall') => {
  const plan = times.filter((t) => t.n === n && t.method === 'tcpmem-plan-out' && t.rc === 0);
  return plan.map((p) => p[field] + (times.find((t) => t.n === n && t.method === 'tcpmem-apply-planfile' && t.run === p.run && t.rc === 0)?.[field] ?? NaN)).filter(Number.isFinite);
};
const s2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const cell = (xs) => (xs.length === 0 ? '–' : `**${s2(median(xs))}** (${s2(Math.min(...xs))}–${s2(Math.max(...xs))})`);

const methods = [
  ['tcpmem-apply', '`tcpmem apply CONFIG --auto-approve` (plan live + apply)'],
  ['split', '`tcpmem plan --out` + `tcpmem apply PLANFILE`'],
  ['tcpmem-plan-out', '… of which `plan --out`'],
  ['tcpmem-apply-planfile', '… of which `apply PLANFILE` (check + apply)'],
  ['tcpmem-noop', '`tcpmem apply CONFIG` again (no change)'],
  ['ansible', 'Ansible `ansible.posix.sysctl`, forks = N (defaults: ControlPersist 60 s)'],
  ['ansible-pipelining', 'Ansible, same, with pipelining'],
  ['ssh-floor', 'floor: `ssh -F ssh_config hK true` × N at once (OpenSSH)'],
  ['ssh-floor-x25519', '… the same with `-o KexAlgorithms=curve25519-sha256` (what ssh2 negotiates)'],
  ['ssh2-floor', 'floor under tcpmem: one node process, ssh2 connect + `true` × N (`phases.js --only-true`)'],
];
const values = (n, m, field = 'wall') => (m === 'split' ? split(n, field) : of(n, m, field));

const L = [];
L.push('# bench/apply results', '');
L.push('Written by `bench/apply/run.sh` (see [bench/README.md](../README.md#benchapply--tcpmem-apply)); do not edit by hand. Issue 5\'s', 'targets: tcpmem at least **5× faster than Ansible**, and within **2× of the transport\'s floor**. Issue 13\'s, against the floor that', 'does the key exchange tcpmem does (`ssh -o KexAlgorithms=curve25519-sha256 host true` on every host at once): `apply CONFIG`', 'within **1.5×**, `plan --out` + `apply PLANFILE` within **2×**, and still ≥ 5× faster than Ansible with pipelining.', '');
L.push('| | |', '|---|---|');
L.push(`| date | ${env.date ?? '?'} |`);
L.push(`| machine | ${env.nproc ?? '?'} CPUs, ${env.cpu ?? '?'}, ${env.mem ?? '?'}, kernel ${env.kernel ?? '?'} |`);
L.push(`| load average (1, 5, 15 min) | at start ${env.loadStart ?? '?'}; at end ${env.loadEnd ?? '?'}${loads.length ? `; ${loads.map(([n, k, v]) => `N=${n} ${k === 'loadBefore' ? 'before' : 'after'} ${v}`).join(', ')}` : ''} |`);
L.push(`| commit | ${env.commit ?? '?'} |`);
L.push(`| tcpmem | ${env.tcpmem ?? '?'}, node ${env.node ?? '?'}, ssh2 ${env.ssh2 ?? '?'} |`);
L.push(`| Ansible | ${env.ansible ?? '?'} (Debian \`ansible\`), ansible.posix ${env.ansiblePosix ?? '?'}, Python ${env.ansiblePython ?? '?'} |`);
L.push('| Ansible settings | its defaults (ControlPersist 60 s, no pipelining, `gather_facts: false`), forks = N, `ANSIBLE_TIMEOUT=60` (default 10: only lets it wait under load); each run cold (a fresh ControlPath folder, masters ended after the run); the tuned row adds `ANSIBLE_PIPELINING=True` |');
L.push(`| OpenSSH | client ${env.openssh ?? '?'}; server (the test hosts) ${env.opensshServer ?? '?'} |`);
L.push(`| runs | ${env.runs ?? '?'} per method and size, interleaved; the median, (min–max) |`, '');

L.push('## Wall time, seconds', '');
L.push(`| method | ${sizes.map((n) => `N = ${n}`).join(' | ')} |`, `|---|${sizes.map(() => '---:').join('|')}|`);
for (const [m, label] of methods) L.push(`| ${label} | ${sizes.map((n) => cell(values(n, m))).join(' | ')} |`);
L.push('');
L.push('CPU time (user + system of the command and the children it waited for; Ansible\'s ControlPersist masters', 'are not counted), median seconds:', '');
L.push(`| method | ${sizes.map((n) => `N = ${n}`).join(' | ')} |`, `|---|${sizes.map(() => '---:').join('|')}|`);
for (const [m, label] of methods) L.push(`| ${label} | ${sizes.map((n) => s2(median(values(n, m, 'cpu')))).join(' | ')} |`);
L.push('');

const failed = times.filter((t) => t.rc !== 0);
if (failed.length) L.push(`Failed runs (left out of the medians): ${failed.map((t) => `N=${t.n} ${t.method} run ${t.run} exit ${t.rc}`).join('; ')}.`, '');

L.push('## Ratios (of the medians) against the targets', '');
L.push(`| ratio | target | ${sizes.map((n) => `N = ${n}`).join(' | ')} |`, `|---|---|${sizes.map(() => '---:').join('|')}|`);
const ratioRow = (label, targetText, f, ok) => L.push(`| ${label} | ${targetText} | ${sizes.map((n) => { const r = f(n); return Number.isFinite(r) ? `${r.toFixed(2)}× ${ok(r) ? '✓' : '✗'}` : '–'; }).join(' | ')} |`);
const apply = (n) => med(n, 'tcpmem-apply');
ratioRow('Ansible / tcpmem apply', '≥ 5×', (n) => med(n, 'ansible') / apply(n), (r) => r >= 5);
ratioRow('Ansible with pipelining / tcpmem apply', '≥ 5×', (n) => med(n, 'ansible-pipelining') / apply(n), (r) => r >= 5);
ratioRow('Ansible / (plan --out + apply PLANFILE)', '≥ 5×', (n) => med(n, 'ansible') / median(split(n)), (r) => r >= 5);
ratioRow('tcpmem apply / OpenSSH floor', '≤ 2×', (n) => apply(n) / med(n, 'ssh-floor'), (r) => r <= 2);
ratioRow('(plan --out + apply PLANFILE) / OpenSSH floor', '≤ 2×', (n) => median(split(n)) / med(n, 'ssh-floor'), (r) => r <= 2);
ratioRow('tcpmem apply / OpenSSH floor with curve25519 (issue 13)', '≤ 1.5×', (n) => apply(n) / med(n, 'ssh-floor-x25519'), (r) => r <= 1.5);
ratioRow('(plan --out + apply PLANFILE) / OpenSSH floor with curve25519 (issue 13)', '≤ 2×', (n) => median(split(n)) / med(n, 'ssh-floor-x25519'), (r) => r <= 2);
ratioRow('Ansible with pipelining / (plan --out + apply PLANFILE)', '(≥ 5×)', (n) => med(n, 'ansible-pipelining') / median(split(n)), (r) => r >= 5);
ratioRow('tcpmem apply / ssh2 floor (same transport, one process)', '(≤ 2×)', (n) => apply(n) / med(n, 'ssh2-floor'), (r) => r <= 2);
L.push('');

// ---- profile --------------------------------------------------------------------------------------------------
const profiles = sizes.filter((n) => fs.existsSync(path.join(outDir, `profile-n${n}`)));
if (profiles.length) {
  const readJson = (n, prefix) => {
    const dir = path.join(outDir, `profile-n${n}`);
    return fs.readdirSync(dir).filter((f) => f.startsWith(prefix)).sort().map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  };
  const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)}` : '–');
  L.push('## Where tcpmem apply\'s time goes', '');
  L.push('Untimed in the table above; each line the median of 3. `engine` is the `run-done` event\'s `elapsedMs` (the apply', 'engine alone, after the live plan); the per-host phases come from the `--events` stream (`bench/apply/events.js`), the', 'transport\'s phases from `bench/apply/phases.js` (tcpmem\'s ssh2 transport, every host at once, in one process).', '');
  L.push(`| ms | ${profiles.map((n) => `N = ${n}`).join(' | ')} |`, `|---|${profiles.map(() => '---:').join('|')}|`);
  const row = (label, f) => L.push(`| ${label} | ${profiles.map((n) => ms(f(n))).join(' | ')} |`);
  row('`tcpmem --version` (node + oclif start)', (n) => 1000 * med(n, 'node-startup'));
  row('`tcpmem discover` (one read-only round trip per host, facts written)', (n) => 1000 * med(n, 'discover'));
  row('`tcpmem plan CONFIG --offline --json` with those facts (start, load, plan; no SSH)', (n) => 1000 * med(n, 'plan-offline'));
  row('`tcpmem plan CONFIG --json` (live: every host read over SSH)', (n) => 1000 * med(n, 'plan-live'));
  row('`tcpmem apply CONFIG --events`, whole command', (n) => 1000 * med(n, 'events-apply'));
  row('… of which the apply engine (`run-done.elapsedMs`)', (n) => median(readJson(n, 'events-apply').map((e) => e.engineMs)));
  row('… so before the engine (start, load, live plan)', (n) => 1000 * med(n, 'events-apply') - median(readJson(n, 'events-apply').map((e) => e.engineMs)));
  row('engine: last `host-started`', (n) => median(readJson(n, 'events-apply').map((e) => e.lastStartMs)));
  for (const [k, label] of [['connectAndReadMs', 'connect + auth + `sudo -n sh -s` + lock + read (started → read)'], ['prepareMs', 'prepare round trip (read → prepared)'], ['commitAndCloseMs', 'commit round trip + close (prepared → done)'], ['totalMs', 'one host in all (started → done)']]) {
    row(`per host, ${label}: p50`, (n) => median(readJson(n, 'events-apply').map((e) => e.perHost[k].p50)));
    row(`per host, ${label}: max`, (n) => median(readJson(n, 'events-apply').map((e) => e.perHost[k].max)));
  }
  const phaseRows = [['planConnectMs', 'the live plan\'s connect + auth (kept for the transaction)'], ['planReadMs', 'the live plan\'s read (apply CONFIG: on `sudo -n sh -s`, the shell kept for the transaction)'], ['connectMs', 'the transaction\'s connect (≈ 0 when reused)'], ['readMs', 'the transaction\'s script + lock + read (apply PLANFILE: after its own `sudo -n sh -s`)'], ['prepareMs', 'read → prepared (same reply)'], ['gateMs', 'a saved plan: waiting until every host is fresh'], ['commitMs', 'COMMIT → committed'], ['closeMs', 'close (in the background)']];
  for (const [k, label] of phaseRows) {
    row(`per host (host-done timings), ${label}: p50`, (n) => median(readJson(n, 'events-apply').map((e) => e.phases?.[k]?.p50 ?? NaN)));
  }
  row('hosts whose transaction ran on the plan\'s connection (`reused`)', (n) => median(readJson(n, 'events-apply').map((e) => e.reused ?? NaN)));
  row('`tcpmem apply PLANFILE --events`, whole command', (n) => 1000 * med(n, 'events-planfile'));
  row('… of which the check of every host (`check-started` → last `host-checked`; inside the transactions)', (n) => median(readJson(n, 'events-planfile').map((e) => e.checkMs)));
  for (const [k, label] of phaseRows.filter(([k]) => !k.startsWith('plan'))) {
    row(`… per host, ${label}: p50`, (n) => median(readJson(n, 'events-planfile').map((e) => e.phases?.[k]?.p50 ?? NaN)));
  }
  row('… of which the apply engine in all', (n) => median(readJson(n, 'events-planfile').map((e) => e.engineMs)));
  row('transport, every host at once: wall (connect, `true`, `sudo -n true`, read script, close)', (n) => median(readJson(n, 'phases').map((p) => p.wallMs)));
  row('… node process CPU in it', (n) => median(readJson(n, 'phases').map((p) => p.cpuMs)));
  for (const [k, label] of [['connectMs', 'ssh2 connect (TCP, kex, host key, auth)'], ['execTrueMs', '`exec true`'], ['execSudoTrueMs', '`exec sudo -n true`'], ['readScriptMs', 'plan\'s read script (`sh -s`)']]) {
    row(`transport, ${label}: p50`, (n) => median(readJson(n, 'phases').map((p) => p[k].p50)));
    row(`transport, ${label}: max`, (n) => median(readJson(n, 'phases').map((p) => p[k].max)));
  }
  L.push('');
  for (const n of profiles) {
    const file = path.join(outDir, `profile-n${n}`, 'hotspots.txt');
    if (!fs.existsSync(file)) continue;
    L.push(`<details><summary>CPU profile of one <code>tcpmem apply CONFIG</code>, N = ${n} (<code>node --cpu-prof</code>, <code>bench/plan/hotspots.js --top 20</code>)</summary>`, '', '```', fs.readFileSync(file, 'utf8').trimEnd(), '```', '', '</details>', '');
  }
}

L.push('Raw times: [results.tsv](results.tsv) (N, method, run, wall s, CPU s, exit code, 1-min load when it ended).', '');
const text = L.join('\n');
if (target === '-') process.stdout.write(text);
else fs.writeFileSync(target, text);
