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
const args = process.argv.slice(2);
const option = (name, fallback) => { const at = args.indexOf(name); return at === -1 ? fallback : args[at + 1]; };
const roots = args.filter((arg, i) => !arg.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
const rounds = Number(option('--rounds', '9'));
const calls = require(path.resolve(option('--args', '/tmp/tcpmem-boot-args.json')));
const builds = roots.map((root) => ({ root, km: require(path.resolve(root, 'packages/kernel-model/dist/index.js')), times: [] }));
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
for (let round = 0; round <= rounds; round++) {
  for (const b of round % 2 === 0 ? builds : [...builds].reverse()) {
    const memo = b.km.createModelMemo();
    const start = cpu();
    for (const [hardware, assumptions] of calls) memo.computeBootDefaults(hardware, assumptions ?? undefined);
    b.times.push(cpu() - start);
  }
}
for (const b of builds) {
  const memo = b.km.createModelMemo();
  const hash = crypto.createHash('sha256');
  for (const [hardware, assumptions] of calls) hash.update(JSON.stringify(memo.computeBootDefaults(hardware, assumptions ?? undefined)));
  const [cold, ...warm] = b.times;
  warm.sort((x, y) => x - y);
  process.stdout.write(`${b.root.padEnd(16)} ${calls.length} calls  cold ${(cold / 1000).toFixed(1)} ms  warm min ${(warm[0] / 1000).toFixed(1)} median ${(warm[warm.length >> 1] / 1000).toFixed(1)} ms  digest ${hash.digest('hex').slice(0, 12)}\n`);
}
