#!/usr/bin/env node
// The load and plan phases of two builds compared in one process, alternating, so that a loaded machine's noise
// hits both alike: `loadFleet(DIR/fleet.yaml, { readWorkers: 0 })` then `planFleet` (offline, every host, a fresh
// kernel lookup and plan memo each time) with each build's @tcpmem/plan dist; the CPU of each call
// (process.cpuUsage). Prints each build's first plan (cold: what one CLI run pays) and, of the other rounds, the
// min and median. With --plan-only, each build loads the fleet once (its prepared facts are kept by the build that
// read them) and a round is the plan alone, so more rounds fit in a quiet moment.
//
//   node --expose-gc bench/plan/phases-ab.js BEFORE_REPO AFTER_REPO FLEET_DIR [ROUNDS] [--plan-only]
//   e.g. node --expose-gc bench/plan/phases-ab.js /work/main . /tmp/scale-d10000 7
//        node --expose-gc bench/plan/phases-ab.js /work/main . /tmp/scale-d10000 12 --plan-only
'use strict';

const path = require('node:path');

const args = process.argv.slice(2);
const planOnly = args.includes('--plan-only');
const [beforeRepo, afterRepo, dir, roundsArg] = args.filter((arg) => arg !== '--plan-only');
if (dir === undefined) {
  process.stderr.write('usage: phases-ab.js BEFORE_REPO AFTER_REPO FLEET_DIR [ROUNDS] [--plan-only]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? (planOnly ? 10 : 6));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const load = (plan) => plan.loadFleet(path.join(dir, 'fleet.yaml'), { readWorkers: 0 }).fleet;
const sides = {};
for (const [side, repo] of [['before', beforeRepo], ['after', afterRepo]]) {
  const plan = require(path.resolve(repo, 'packages/plan/dist/index.js'));
  sides[side] = { plan, fleet: planOnly ? load(plan) : undefined, loadMs: [], planMs: [] };
}
for (let round = 0; round < rounds; round += 1) {
  for (const side of round % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
    const { plan, fleet: loaded, loadMs, planMs } = sides[side];
    global.gc?.();
    let start = cpuMs();
    const fleet = loaded ?? load(plan);
    if (!planOnly) loadMs.push(cpuMs() - start);
    start = cpuMs();
    const kernelFor = plan.createKernelLookup(undefined, plan.calibrationsFromFacts(fleet.facts));
    const inputs = { mode: 'offline', createdAt: 'now', tcpmemVersion: 'ab', configPath: dir, digest: undefined, observations: new Map(), problems: [] };
    plan.planFleet(fleet, { ...inputs, kernelFor, hostIndexes: fleet.hosts.map((_host, i) => i) });
    planMs.push(cpuMs() - start);
  }
}
const summary = (list) => {
  const [first, ...rest] = list;
  const sorted = rest.sort((a, b) => a - b);
  return `first ${first.toFixed(0)}, min ${sorted[0].toFixed(0)} median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms`;
};
for (const side of ['before', 'after']) {
  const { loadMs, planMs } = sides[side];
  process.stdout.write(`${side}: ${planOnly ? '' : `load ${summary(loadMs)} | `}plan ${summary(planMs)} (${planMs.length - 1} rounds after the first)\n`);
}
