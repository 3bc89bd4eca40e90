#!/usr/bin/env node
// The plan phase alone of two builds, in one process: each build loads FLEET_DIR once (`loadFleet`, no read
// workers), then `planFleet` (offline, every host, a fresh kernel lookup and plan memo each time) runs with each
// build alternately, ROUNDS times. Prints each build's first (cold: what one CLI run pays) and, of the others, the
// min and median CPU (process.cpuUsage). Unlike phases-ab.js it does not load again each round, so a round is the
// plan alone and more rounds fit in a quiet moment.
//
//   node --expose-gc bench/plan/plan-ab.js BEFORE_REPO AFTER_REPO FLEET_DIR [ROUNDS]
//   e.g. node --expose-gc bench/plan/plan-ab.js /work/main . /tmp/scale-d10000 12
'use strict';

const path = require('node:path');

const [beforeRepo, afterRepo, dir, roundsArg] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: plan-ab.js BEFORE_REPO AFTER_REPO FLEET_DIR [ROUNDS]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 10);
const sides = {};
for (const [side, repo] of [['before', beforeRepo], ['after', afterRepo]]) {
  const plan = require(path.resolve(repo, 'packages/plan/dist/index.js'));
  // Each build's own load: prepared facts are kept by the build that read them.
  sides[side] = { plan, fleet: plan.loadFleet(path.join(dir, 'fleet.yaml'), { readWorkers: 0 }).fleet, times: [] };
}
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
for (let round = 0; round < rounds; round += 1) {
  for (const side of round % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
    const { plan, fleet, times } = sides[side];
    global.gc?.();
    const start = cpuMs();
    const kernelFor = plan.createKernelLookup(undefined, plan.calibrationsFromFacts(fleet.facts));
    const inputs = { mode: 'offline', createdAt: 'now', tcpmemVersion: 'ab', configPath: dir, digest: undefined, observations: new Map(), problems: [] };
    plan.planFleet(fleet, { ...inputs, kernelFor, hostIndexes: fleet.hosts.map((_host, i) => i) });
    times.push(cpuMs() - start);
  }
}
for (const side of ['before', 'after']) {
  const [first, ...rest] = sides[side].times;
  const sorted = rest.sort((a, b) => a - b);
  process.stdout.write(`${side}: first ${first.toFixed(0)} | min ${sorted[0].toFixed(0)} median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms (${sorted.length} rounds)\n`);
}
