#!/usr/bin/env node
// The load and plan phases of two builds compared in one process, alternating, so that a loaded machine's noise
// hits both alike: `loadFleet(DIR/fleet.yaml, { readWorkers: 0 })` then `planFleet` (offline, every host) with each
// build's @tcpmem/plan dist; the CPU of each call (process.cpuUsage), the first of each build dropped.
//
//   node --expose-gc bench/plan/phases-ab.js BEFORE_REPO AFTER_REPO FLEET_DIR [ROUNDS]
//   e.g. node --expose-gc bench/plan/phases-ab.js /work/main . /tmp/scale-d10000 7
'use strict';

const path = require('node:path');

const [beforeRepo, afterRepo, dir, roundsArg] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: phases-ab.js BEFORE_REPO AFTER_REPO FLEET_DIR [ROUNDS]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 6);
const builds = {
  before: require(path.resolve(beforeRepo, 'packages/plan/dist/index.js')),
  after: require(path.resolve(afterRepo, 'packages/plan/dist/index.js')),
};
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const times = { before: { load: [], plan: [] }, after: { load: [], plan: [] } };
for (let round = 0; round < rounds; round += 1) {
  for (const side of round % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
    const plan = builds[side];
    global.gc?.();
    let start = cpuMs();
    const { fleet } = plan.loadFleet(path.join(dir, 'fleet.yaml'), { readWorkers: 0 });
    times[side].load.push(cpuMs() - start);
    start = cpuMs();
    const kernelFor = plan.createKernelLookup(undefined, plan.calibrationsFromFacts(fleet.facts));
    const inputs = { mode: 'offline', createdAt: 'now', tcpmemVersion: 'ab', configPath: dir, digest: undefined, observations: new Map(), problems: [] };
    plan.planFleet(fleet, { ...inputs, kernelFor, hostIndexes: fleet.hosts.map((_host, i) => i) });
    times[side].plan.push(cpuMs() - start);
  }
}
const summary = (list) => {
  const sorted = list.slice(1).sort((a, b) => a - b);
  return `min ${sorted[0].toFixed(0)} median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms`;
};
for (const side of ['before', 'after']) process.stdout.write(`${side}: load ${summary(times[side].load)} | plan ${summary(times[side].plan)}\n`);
