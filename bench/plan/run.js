#!/usr/bin/env node
// Benchmark of `tcpmem plan --offline` on generated fleets of 1,000, 10,000 and 100,000 hosts.
//
//   npm run build && node bench/plan/run.js [--sizes 1000,10000,100000|none] [--discovered 1000,3000,10000]
//                                           [--runs 3] [--timeout 900]
//                                           [--no-breakdown] [--keep] [--no-write] [--root DIR] [--out FILE]
//                                           [--bin FILE]
//
// For each size: generates a fleet (generate-fleet.js, seeded) in a temporary folder, then runs the real CLI
//   node packages/cli/bin/run.js plan DIR --offline --json > /dev/null      (and the same without --json)
// `--runs` times each, under /usr/bin/time (wall, user + system CPU, peak RSS), and takes the median; then
// breakdown.js the same number of times (load+parse, plan, render, serialize, in-process). Prints tables and
// writes bench/plan/results.md (or --out FILE) with the machine and the date. `--discovered SIZES` adds discovered
// fleets (generate-discovered-fleet.js: a facts file per host, no two alike), each planned as
// `plan DIR/fleet.yaml --offline [--json]` beside its floor, measured in the same run: a separate node process that
// reads and JSON.parses every facts file (generate-discovered-fleet.js readParseFloor), under the same /usr/bin/time. `--root DIR` benchmarks another built
// copy of the repository (e.g. a worktree with a proposed fix) with this bench's code, for before/after numbers. Nothing here contacts any host: --offline, and the
// generated addresses are documentation ranges. `--bin FILE` runs another `tcpmem` entry for the CLI rows: the
// released bundle, as an operator installs it (`npm run pack`, then e.g. `tar xzf dist-pkg/tcpmem-cli-*.tgz -C /tmp/t`
// and `--bin /tmp/t/package/bin/run.js`); the breakdown still loads the libraries of ROOT.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { generate } = require('./generate-fleet');
const discovered = require('./generate-discovered-fleet');

const benchRoot = path.resolve(__dirname, '../..');
// Set from --root in main(): the repository whose built CLI and libraries are measured.
let root = benchRoot;
// Set from --bin in main(): the `tcpmem` entry the CLI rows run (default: ROOT's checkout).
let bin;
const cli = () => bin ?? path.join(root, 'packages/cli/bin/run.js');
const timeBin = '/usr/bin/time';
const baselineFleet = path.join(benchRoot, 'examples/web-fleet');

function parseArgs(argv) {
  const opts = { sizes: [1000, 10000, 100000], discovered: [], runs: 3, timeout: 900, breakdown: true, keep: false, write: true, root: benchRoot, out: path.join(__dirname, 'results.md') };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--sizes') opts.sizes = argv[i + 1] === 'none' ? (i += 1, []) : argv[++i].split(',').map(Number);
    else if (flag === '--discovered') opts.discovered = argv[++i].split(',').map(Number);
    else if (flag === '--runs') opts.runs = Number(argv[++i]);
    else if (flag === '--timeout') opts.timeout = Number(argv[++i]);
    else if (flag === '--no-breakdown') opts.breakdown = false;
    else if (flag === '--keep') opts.keep = true;
    else if (flag === '--no-write') opts.write = false;
    else if (flag === '--root') opts.root = path.resolve(argv[++i]);
    else if (flag === '--bin') opts.bin = path.resolve(argv[++i]);
    else if (flag === '--out') opts.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${flag} (see the header of bench/plan/run.js)`);
  }
  if (![...opts.sizes, ...opts.discovered].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--sizes takes positive integers, e.g. 1000,10000');
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs takes a positive integer');
  return opts;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtS = (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const fmtMiB = (mib) => (mib === undefined ? '—' : `${Math.round(mib)} MiB`);
const fmtRatio = (r) => (r === undefined || !Number.isFinite(r) ? '—' : `${r.toFixed(1)}×`);

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim() || String(os.availableParallelism());
  const git = (args) => spawnSync('git', ['-C', benchRoot, ...args], { encoding: 'utf8' }).stdout.trim();
  const dirty = git(['status', '--porcelain', '--', 'packages']) !== '';
  return {
    nproc,
    model,
    node: process.version,
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    kernel: os.release(),
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' (packages/ has uncommitted changes)' : ''}`,
  };
}

const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/**
 * Runs a command under /usr/bin/time (stdout to /dev/null) and returns wall, CPU and peak RSS; when `time` is
 * missing, a preloaded hook reports the child's own process.resourceUsage() instead (same numbers, except for a
 * process that dies before exiting normally).
 */
function measure(args, timeoutS) {
  const report = path.join(os.tmpdir(), `tcpmem-bench-time-${process.pid}-${Date.now()}`);
  const devnull = fs.openSync('/dev/null', 'w');
  const useTime = fs.existsSync(timeBin);
  const command = useTime ? timeBin : process.execPath;
  // coreutils `timeout` kills node itself at the limit (killing /usr/bin/time would leave node running); time
  // still reports node's usage, as a descendant it waited for.
  // (it exits 124 when the limit is reached).
  const limit = fs.existsSync('/usr/bin/timeout') ? ['/usr/bin/timeout', '--kill-after=10', String(timeoutS)] : [];
  const commandArgs = useTime
    ? ['-f', '%e %U %S %M %x', '-o', report, ...limit, process.execPath, ...args]
    : ['--require', path.join(__dirname, 'report-usage.js'), ...args];
  const start = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: ['ignore', devnull, 'pipe'],
    env: { ...process.env, NO_COLOR: '1', TCPMEM_BENCH_USAGE_FILE: report },
    timeout: (timeoutS + 30) * 1000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  fs.closeSync(devnull);
  const stderr = result.stderr?.toString() ?? '';
  let cpuMs;
  let rssMiB;
  let status = result.status;
  try {
    const text = fs.readFileSync(report, 'utf8').trim();
    if (useTime) {
      const last = text.split('\n').at(-1).split(' ');
      cpuMs = (Number(last[1]) + Number(last[2])) * 1000;
      rssMiB = Number(last[3]) / 1024;
      const signal = /terminated by signal (\d+)/.exec(text);
      status = signal === null ? Number(last[4]) : 128 + Number(signal[1]);
    } else {
      const usage = JSON.parse(text);
      cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
      rssMiB = usage.maxRSS / 1024;
    }
    fs.rmSync(report);
  } catch {
    // no report: the process was killed (timeout) or died before the hook ran
  }
  let failure;
  if (result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGTERM' || (limit.length > 0 && status === 124)) failure = `timed out after ${timeoutS} s`;
  else if (/heap out of memory|Invalid string length/.test(stderr)) failure = /Invalid string length/.test(stderr) ? 'RangeError: Invalid string length' : 'JavaScript heap out of memory';
  else if (status !== 0 && status !== 2) failure = `exit ${status}: ${stderr.split('\n').find((l) => l.trim() !== '') ?? ''}`.trim();
  return { wallMs, cpuMs, rssMiB, failure };
}

/** Runs one CLI configuration `runs` times; stops early after a failure (an out-of-memory run is not retried). */
function benchCli(dir, json, opts) {
  const runs = [];
  for (let i = 0; i < opts.runs; i += 1) {
    const run = measure([cli(), 'plan', dir, '--offline', ...(json ? ['--json'] : [])], opts.timeout);
    if (run.failure === undefined && run.cpuMs === undefined) run.failure = 'no usage report';
    runs.push(run);
    process.stderr.write(`    ${json ? '--json' : 'human '} run ${i + 1}: ${fmtS(run.wallMs)} wall, ${fmtS(run.cpuMs)} cpu, ${fmtMiB(run.rssMiB)}${run.failure ? `  FAILED: ${run.failure}` : ''}\n`);
    if (run.failure !== undefined) break;
  }
  const ok = runs.filter((r) => r.failure === undefined);
  const failure = runs.find((r) => r.failure !== undefined)?.failure;
  if (ok.length === 0) return { failure, runs: runs.length, wallMs: runs[0]?.wallMs, rssMiB: runs[0]?.rssMiB, cpuMs: runs[0]?.cpuMs };
  return { failure, runs: ok.length, wallMs: median(ok.map((r) => r.wallMs)), cpuMs: median(ok.map((r) => r.cpuMs)), rssMiB: median(ok.map((r) => r.rssMiB)) };
}

/** breakdown.js's phases, in order (the names it prints). */
const phaseNames = [
  'load (read + parse + schema + assemble)',
  'locate load problems + select hosts',
  'digest of config files',
  'plan (layer + kernel lookup + resolve + diff)',
  'locate host problems',
  'render human (renderPlan + problems)',
  'JSON.stringify(plan) (--json)',
  'JSON.stringify(plan, null, 2) (--out)',
];

/** Runs breakdown.js `runs` times; per phase the median of the runs that reached it. */
function benchBreakdown(dir, opts) {
  const results = [];
  for (let i = 0; i < opts.runs; i += 1) {
    const result = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'breakdown.js'), dir], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TCPMEM_BENCH_ROOT: root },
      timeout: opts.timeout * 1000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = (result.stdout ?? '').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const phases = lines.filter((l) => l.phase !== undefined).map((l) => l.phase);
    const summary = lines.find((l) => l.summary === true);
    const failure = summary !== undefined ? undefined : /heap out of memory/.test(result.stderr) ? 'JavaScript heap out of memory' : /Invalid string length/.test(result.stderr) ? 'RangeError: Invalid string length' : result.error?.code === 'ETIMEDOUT' ? 'timed out' : `exit ${result.status}`;
    process.stderr.write(`    breakdown run ${i + 1}: ${phases.map((p) => `${p.name.replace(/ \(.*$/, '')} ${fmtS(p.cpuMs)}`).join(', ')} (CPU)${failure ? `  FAILED after ${phases.length} phases: ${failure}` : ''}\n`);
    results.push({ phases, summary, failure, failedIn: failure === undefined ? undefined : phaseNames[phases.length] });
    if (failure !== undefined) break;
  }
  const names = [...new Set(results.flatMap((r) => r.phases.map((p) => p.name)))];
  const phases = names.map((name) => {
    const got = results.map((r) => r.phases.find((p) => p.name === name)).filter(Boolean);
    return { name, ms: median(got.map((p) => p.ms)), cpuMs: median(got.map((p) => p.cpuMs)), heapMiB: median(got.map((p) => p.heapMiB)) };
  });
  const summary = results.find((r) => r.summary !== undefined)?.summary;
  const failed = results.find((r) => r.failure !== undefined);
  return { phases, summary, failure: failed?.failure, failedIn: failed?.failedIn, lastPhase: names.at(-1) };
}

function cliTable(rows) {
  const lines = [
    '| hosts | files | YAML | output | wall (median) | CPU user+sys | peak RSS | wall / 1k hosts | runs |',
    '|---:|---:|---:|---|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    for (const [label, m] of [['--json', r.json], ['human', r.human]]) {
      const perK = m.failure === undefined && r.hosts >= 1000 ? `${(m.wallMs / r.hosts).toFixed(3)} s` : '—'; // ms per host = s per 1k hosts
      const runs = m.failure === undefined ? `${m.runs}` : `${m.runs} ok; **failed: ${m.failure}**${m.wallMs === undefined ? '' : ` after ${fmtS(m.wallMs)}`}`;
      lines.push(`| ${r.hosts.toLocaleString('en')} | ${r.files} | ${(r.bytes / 2 ** 20).toFixed(1)} MiB | ${label} | ${m.failure === undefined ? fmtS(m.wallMs) : '—'} | ${m.failure === undefined ? fmtS(m.cpuMs) : '—'} | ${m.failure === undefined ? fmtMiB(m.rssMiB) : `≥ ${fmtMiB(m.rssMiB)}`} | ${perK} | ${runs} |`);
    }
  }
  return lines.join('\n');
}

function growthTable(rows) {
  const lines = ['| from → to | output | wall | CPU | peak RSS |', '|---|---|---:|---:|---:|'];
  for (let i = 1; i < rows.length; i += 1) {
    const a = rows[i - 1];
    const b = rows[i];
    if (a.hosts < 1000) continue;
    const factor = b.hosts / a.hosts;
    // Normalised to a 10× step, so steps of other sizes read the same way; linear growth is 10.0×.
    const per10 = (x, y) => (x === undefined || y === undefined ? undefined : (y / x) ** (Math.log(10) / Math.log(factor)));
    for (const key of ['json', 'human']) {
      const ma = a[key];
      const mb = b[key];
      const ok = ma.failure === undefined && mb.failure === undefined;
      lines.push(`| ${a.hosts.toLocaleString('en')} → ${b.hosts.toLocaleString('en')} | ${key === 'json' ? '--json' : 'human'} | ${ok ? fmtRatio(per10(ma.wallMs, mb.wallMs)) : '—'} | ${ok ? fmtRatio(per10(ma.cpuMs, mb.cpuMs)) : '—'} | ${ok ? fmtRatio(per10(ma.rssMiB, mb.rssMiB)) : '—'} |`);
    }
  }
  return lines.join('\n');
}

function breakdownTable(rows) {
  const withBreakdown = rows.filter((r) => r.breakdown !== undefined);
  if (withBreakdown.length === 0) return '';
  const names = [...new Set(withBreakdown.flatMap((r) => r.breakdown.phases.map((p) => p.name)))];
  const head = `| phase | ${withBreakdown.map((r) => `${r.hosts.toLocaleString('en')}: wall / CPU / heap after`).join(' | ')} |`;
  const lines = [head, `|---|${withBreakdown.map(() => '---:').join('|')}|`];
  for (const name of names) {
    const cells = withBreakdown.map((r) => {
      const p = r.breakdown.phases.find((x) => x.name === name);
      if (p === undefined) return r.breakdown.failedIn === name ? `**${r.breakdown.failure}**` : '—';
      return `${fmtS(p.ms)} / ${fmtS(p.cpuMs)} / ${fmtMiB(p.heapMiB)}`;
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  const facts = (r) => {
    const s = r.breakdown.summary;
    if (s === undefined) return `${r.hosts.toLocaleString('en')} hosts: every run failed (${r.breakdown.failure}) in "${r.breakdown.failedIn}"`;
    const failedNote = r.breakdown.failure === undefined ? '' : `; a run failed (${r.breakdown.failure}) in "${r.breakdown.failedIn}"`;
    return `${r.hosts.toLocaleString('en')} hosts: ${s.distinctHardware} distinct hardware descriptions (kernel model computed once each, ${fmtS(s.kernelLookupMs)} wall inside the lookup in all), ${s.problems} problems, ${s.invalid} invalid hosts, human output ${s.humanLines.toLocaleString('en')} lines, --json ${(s.jsonBytes / 2 ** 20).toFixed(1)} MiB (indented for --out: ${(s.prettyJsonBytes / 2 ** 20).toFixed(1)} MiB), peak RSS ${fmtMiB(s.maxRssMiB)}${failedNote}`;
  };
  return `${lines.join('\n')}\n\n${withBreakdown.map((r) => `- ${facts(r)}`).join('\n')}`;
}

/** Discovered fleets beside their floor (read + JSON.parse of every facts file, in its own process, same run). */
function discoveredTable(rows) {
  const lines = [
    '| hosts | facts | output | wall | CPU | peak RSS | floor: wall / CPU / RSS | wall ÷ floor | CPU ÷ floor |',
    '|---:|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    for (const [label, m] of [['--json', r.json], ['human', r.human]]) {
      const ok = m.failure === undefined;
      lines.push(`| ${r.hosts.toLocaleString('en')} | ${(r.bytes / 2 ** 20).toFixed(0)} MiB | ${label} | ${ok ? fmtS(m.wallMs) : `**${m.failure}**`} | ${ok ? fmtS(m.cpuMs) : '—'} | ${ok ? fmtMiB(m.rssMiB) : `≥ ${fmtMiB(m.rssMiB)}`} | ${fmtS(r.floor.wallMs)} / ${fmtS(r.floor.cpuMs)} / ${fmtMiB(r.floor.rssMiB)} | ${ok ? fmtRatio(m.wallMs / r.floor.wallMs) : '—'} | ${ok ? fmtRatio(m.cpuMs / r.floor.cpuMs) : '—'} |`);
    }
  }
  return `${lines.join('\n')}\n\nTargets: 10,000 hosts ≤ 3× the floor's wall and ≤ 1 GiB peak RSS; 100,000 hosts complete (with --json), growing at most linearly. The floor is one node process, so it includes node's start (≈ 0.05 s).`;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  root = opts.root;
  bin = opts.bin;
  if (bin !== undefined && !fs.existsSync(bin)) throw new Error(`--bin ${bin}: no such file`);
  if (!fs.existsSync(path.join(root, 'packages/cli/dist/commands/plan.js'))) {
    throw new Error('the CLI is not built: run `npm run build` (or `npx nx run-many -t build`) first');
  }
  if (!fs.existsSync(timeBin)) process.stderr.write(`note: ${timeBin} is missing (apt-get install time); measuring with process.resourceUsage() in the child\n`);
  const info = machine();
  const started = new Date();
  const loadBefore = loadavg();
  process.stderr.write(`tcpmem plan benchmark: ${info.nproc} × ${info.model}, node ${info.node}, load average ${loadBefore}\n`);

  const rows = [];
  // The smallest real config, for the fixed cost of starting node and oclif.
  process.stderr.write(`examples/web-fleet (startup baseline)\n`);
  rows.push({ hosts: 7, files: 3, bytes: fs.readdirSync(path.join(baselineFleet, 'hosts')).reduce((s, f) => s + fs.statSync(path.join(baselineFleet, 'hosts', f)).size, fs.statSync(path.join(baselineFleet, 'fleet.yaml')).size), json: benchCli(baselineFleet, true, opts), human: benchCli(baselineFleet, false, opts) });

  for (const hosts of opts.sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tcpmem-bench-plan-${hosts}-`));
    try {
      const fleet = generate({ hosts, out: dir, seed: 1, perFile: 1000, format: 'yaml' });
      process.stderr.write(`${hosts} hosts: ${fleet.files} files, ${(fleet.bytes / 2 ** 20).toFixed(1)} MiB in ${dir}\n`);
      const row = { hosts, files: fleet.files, bytes: fleet.bytes, json: benchCli(dir, true, opts), human: benchCli(dir, false, opts) };
      if (opts.breakdown) row.breakdown = benchBreakdown(dir, opts);
      rows.push(row);
    } finally {
      if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const discoveredRows = [];
  for (const hosts of opts.discovered) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tcpmem-bench-discovered-${hosts}-`));
    try {
      const fleet = discovered.generate({ hosts, out: dir, seed: 1, perFile: 1000 });
      process.stderr.write(`${hosts} discovered hosts: ${fleet.files} files, ${(fleet.bytes / 2 ** 20).toFixed(1)} MiB (facts ${(fleet.factsBytes / 2 ** 20).toFixed(1)} MiB) in ${dir}\n`);
      const floorRuns = [];
      for (let i = 0; i < opts.runs; i += 1) {
        floorRuns.push(measure(['-e', `require(${JSON.stringify(path.join(__dirname, 'generate-discovered-fleet.js'))}).readParseFloor(${JSON.stringify(dir)})`], opts.timeout));
        process.stderr.write(`    floor run ${i + 1}: ${fmtS(floorRuns[i].wallMs)} wall, ${fmtS(floorRuns[i].cpuMs)} cpu, ${fmtMiB(floorRuns[i].rssMiB)}\n`);
      }
      const floor = { wallMs: median(floorRuns.map((r) => r.wallMs)), cpuMs: median(floorRuns.map((r) => r.cpuMs)), rssMiB: median(floorRuns.map((r) => r.rssMiB)) };
      discoveredRows.push({ hosts, files: fleet.files, bytes: fleet.bytes, floor, json: benchCli(fleet.fleet, true, opts), human: benchCli(fleet.fleet, false, opts) });
    } finally {
      if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const fleetRows = rows.filter((r) => r.hosts >= 1000);
  const tenK = fleetRows.find((r) => r.hosts === 10000);
  const verdict =
    tenK === undefined
      ? ''
      : `Target (10,000 hosts in under 2 s on 2 cores): --json ${tenK.json.failure === undefined ? fmtS(tenK.json.wallMs) : 'failed'}, human ${tenK.human.failure === undefined ? fmtS(tenK.human.wallMs) : 'failed'} wall on ${info.nproc} cores — ${[tenK.json, tenK.human].every((m) => m.failure === undefined && m.wallMs < 2000) ? '**met**' : '**missed**'}.`;
  const report = [
    '# `tcpmem plan --offline` benchmark results',
    '',
    `Generated by \`node bench/plan/run.js${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}\` on ${started.toISOString().slice(0, 10)} (${started.toISOString()}); see bench/README.md.`,
    '',
    `- machine: ${info.nproc} × ${info.model}, ${info.memGiB} GiB RAM, Linux ${info.kernel}`,
    `- node ${info.node}; tcpmem at ${info.commit}${root === benchRoot ? '' : ` — measured: the build in ${root}`}`,
    `- load average (1/5/15 min) before: ${loadBefore}; after: ${loadavg()}. On a shared machine, wall time includes waiting for a CPU: CPU time is the steadier number.`,
    `- fleets: generate-fleet.js --seed 1 --per-file 1000 (YAML); ${opts.runs} runs each, medians; stdout to /dev/null, no TTY (no colours)`,
    '',
    `## The CLI: \`node ${bin === undefined ? 'packages/cli/bin/run.js' : bin} plan DIR --offline [--json] > /dev/null\``,
    '',
    'The 7-host row is `examples/web-fleet`: the fixed cost of starting node, oclif and the libraries.',
    '',
    cliTable(rows),
    '',
    verdict,
    '',
    '## Growth per 10× hosts (linear = 10.0×)',
    '',
    growthTable(rows),
    '',
    '## In-process breakdown (bench/plan/breakdown.js; medians; heap after a full GC)',
    '',
    breakdownTable(fleetRows) || '(not run: --no-breakdown)',
    '',
    ...(discoveredRows.length === 0 ? [] : ['## Discovered fleets: `plan DIR/fleet.yaml --offline [--json]`, a facts file per host', '', discoveredTable(discoveredRows), '']),
  ].join('\n');
  process.stdout.write(`\n${report}`);
  if (opts.write) {
    fs.writeFileSync(opts.out, report);
    process.stderr.write(`\nwrote ${path.relative(process.cwd(), opts.out)}\n`);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`bench/plan/run.js: ${error.message}\n`);
  process.exit(1);
}
