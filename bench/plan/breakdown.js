#!/usr/bin/env node
// In-process breakdown of `tcpmem plan DIR --offline`: the same library calls as the makePlan use case and
// plan command (packages/app/src/use-cases/make-plan.ts, packages/cli/src/commands/plan.ts), timed one phase at a time.
//
//   node --expose-gc bench/plan/breakdown.js DIR
//
// Prints JSON lines on stdout: `{"phase": …}` as each phase ends (so a run that dies out of memory still reports
// the phases it finished), then `{"summary": true, …}`. A phase has its wall and CPU time (ms) and the heap in use
// after it (after a full GC when run with --expose-gc; that GC is not counted in any phase). The summary adds the
// distinct hardware descriptions the kernel lookup computed, the output sizes and the process's peak RSS. Run it in
// a fresh process per measurement (run.js does), so one phase's garbage does not land in another's numbers.
'use strict';

const path = require('node:path');
const { createHash } = require('node:crypto');
const fs = require('node:fs');

// The repository whose built libraries are measured: this one, or $TCPMEM_BENCH_ROOT (run.js --root).
const root = process.env.TCPMEM_BENCH_ROOT ?? path.resolve(__dirname, '../..');
const cliDist = path.join(root, 'packages/cli/dist');
// Resolve the libraries the way the CLI does (through its workspace links), from the built dist/ folders.
const requireFromCli = (id) => require(require.resolve(id, { paths: [path.join(root, 'packages/cli')] }));
const planLib = requireFromCli('@tcpmem/plan');
const { sortProblems } = requireFromCli('@tcpmem/schema');
const { renderPlan } = require(path.join(cliDist, 'render/plan.js'));
const { renderProblems } = require(path.join(cliDist, 'render/problems.js'));
const { styleFor } = require(path.join(cliDist, 'render/style.js'));
const { version } = require(path.join(cliDist, 'version.js'));

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: breakdown.js DIR\n');
  process.exit(2);
}

// Per phase: wall time, and CPU time (user + system, all threads: the main thread and V8's GC helpers), which
// says more than wall time on a shared machine.
const phases = [];
let last = process.hrtime.bigint();
let lastCpu = process.cpuUsage();
const mark = (name) => {
  const now = process.hrtime.bigint();
  const cpu = process.cpuUsage(lastCpu);
  // With --expose-gc, the heap is measured after a full collection: what the phase left reachable.
  if (typeof global.gc === 'function') global.gc();
  const phase = { name, ms: Number(now - last) / 1e6, cpuMs: (cpu.user + cpu.system) / 1e3, heapMiB: process.memoryUsage().heapUsed / 2 ** 20 };
  phases.push(phase);
  process.stdout.write(`${JSON.stringify({ phase })}\n`);
  last = process.hrtime.bigint();
  lastCpu = process.cpuUsage();
};

// make-plan.ts: load (read, YAML/JSON parse, schema gate, assemble), locate load problems, select hosts.
const load = planLib.loadFleet(dir);
mark('load (read + parse + schema + assemble)');
const loadProblems = sortProblems(planLib.locateProblems(load.problems, load.documents));
const fleet = load.fleet;
if (fleet === undefined) throw new Error(`${dir}: no fleet loaded: ${JSON.stringify(loadProblems.slice(0, 3))}`);
const selection = planLib.selectHosts(fleet, [], []);
mark('locate load problems + select hosts');
const hash = createHash('sha256');
for (const file of [...fleet.files].sort()) hash.update(path.resolve(file)).update('\0').update(fs.readFileSync(file)).update('\0');
const digest = `sha256:${hash.digest('hex')}`;
mark('digest of config files');

// The kernel lookup, wrapped to count the distinct hardware it is asked for and the time spent inside it.
// As make-plan.ts makes it: the build profiles learned from the facts' boot logs, one host per release.
const inner = planLib.createKernelLookup(undefined, planLib.calibrationsFromFacts(fleet.facts));
const seen = new Set();
let kernelNs = 0n;
// `parsed`: a discovered host's prepared kernel facts (its texts are not kept in the fleet), passed on as planHost passes them.
const kernelFor = (hardware, parsed) => {
  const t = process.hrtime.bigint();
  const result = inner(hardware, parsed);
  kernelNs += process.hrtime.bigint() - t;
  if (result !== undefined) seen.add(result); // the lookup returns one object per distinct hardware (cached)
  return result;
};
const plan = planLib.planFleet(fleet, {
  mode: 'offline',
  createdAt: new Date().toISOString(),
  tcpmemVersion: version,
  configPath: dir,
  digest,
  observations: new Map(),
  kernelFor,
  hostIndexes: selection.indexes,
  problems: loadProblems,
});
mark('plan (layer + kernel lookup + resolve + diff)');
for (const host of plan.hosts) host.problems = planLib.locateProblems(host.problems, load.documents);
const problems = [...loadProblems, ...plan.hosts.flatMap((h) => h.problems)];
mark('locate host problems');

// commands/plan.ts, human output: problems on stderr, the plan on stdout (no colours: not a terminal). The CLI
// renders even under --json today (print() drops the text afterwards); here it is its own phase.
const style = styleFor({ isTTY: false }, {}, true);
const problemText = problems.length > 0 ? renderProblems(sortProblems(problems), style) : '';
const human = renderPlan(plan, style);
mark('render human (renderPlan + problems)');

// --json off a terminal: BaseCommand.logJson prints JSON.stringify(plan) in one write; --out FILE writes it indented.
const compact = JSON.stringify(plan);
mark('JSON.stringify(plan) (--json)');
const pretty = JSON.stringify(plan, null, 2);
mark('JSON.stringify(plan, null, 2) (--out)');

const kernelMs = Number(kernelNs) / 1e6;
process.stdout.write(
  `${JSON.stringify({
    summary: true,
    dir,
    hosts: fleet.hosts.length,
    files: fleet.files.length,
    distinctHardware: seen.size,
    kernelLookupMs: kernelMs,
    problems: problems.length,
    invalid: plan.summary.invalid,
    humanLines: human.split('\n').length + (problemText === '' ? 0 : problemText.split('\n').length),
    jsonBytes: Buffer.byteLength(compact),
    prettyJsonBytes: Buffer.byteLength(pretty),
    phases,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
