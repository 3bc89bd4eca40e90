#!/usr/bin/env node
// CPU of kernel-model's computeBootDefaults for the hardware descriptions of a fleet, as a plan asks for them
// (one model memo a plan): cold (a fresh process's first pass) and warm (fresh memo, JIT warm), for one or two
// builds in alternation.
//
//   node -r ./bench/plan/capture-boot-args.js packages/cli/bin/run.js plan /tmp/fleet-10k --offline --json > /dev/null
//   node bench/plan/boot-defaults-micro.js ROOT [OTHER_ROOT] [--rounds N] [--args FILE]
//
// ARGS (default /tmp/tcpmem-boot-args.json, written by capture-boot-args.js) holds the [hardware, assumptions] of each call a plan made.
// Prints per build the first round (cold), the least and median of the others, and a digest of the results
// (JSON of every BootDefaults, explain included), the same for two builds that compute the same.
'use strict';
const path = require('node:path');
const crypto = require('node:crypto');
const { alternate, microArgs, reportLine } = require('./micro-rounds');

const { option, roots, rounds } = microArgs();
const calls = require(path.resolve(option('--args', '/tmp/tcpmem-boot-args.json')));
const builds = roots.map((root) => ({ root, km: require(path.resolve(root, 'packages/kernel-model/dist/index.js')), times: [] }));
const computeAll = (km) => {
  const memo = km.createModelMemo();
  return calls.map(([hardware, assumptions]) => memo.computeBootDefaults(hardware, assumptions ?? undefined));
};
alternate(builds, rounds, (b) => computeAll(b.km));
for (const b of builds) {
  const hash = crypto.createHash('sha256');
  for (const result of computeAll(b.km)) hash.update(JSON.stringify(result));
  process.stdout.write(reportLine(b, `${calls.length} calls`, hash.digest('hex')));
}
