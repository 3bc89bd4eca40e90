#!/usr/bin/env node
// CPU per discovered facts file spent after JSON.parse, two builds alternating (a child process per build and
// round, so neither warms the other's JIT or heap): `prepareFactsBody` of the parsed body, then what a read worker
// posts and the loading thread takes — the worker's reply (`readPlain` of the build, made before the clock starts)
// through `structuredClone`, with the loading thread's `loadedFromPlain`. The bytes move by transfer, not by copy,
// so the clone leaves them out. A build whose pool sends kernel facts once (`replyOf`/`takeReply` in
// read-pool-reply.js) is measured that way: one "worker" reply list, taken in order as the pool takes them.
//
//   node bench/plan/prepare-facts-micro.js BEFORE_ROOT AFTER_ROOT FLEET_DIR [FILES] [ROUNDS]
//   node bench/plan/prepare-facts-micro.js /work/main . /tmp/scale-d10000 1000 7
//
// Each root is a built checkout (packages/*/dist). Prints min and median CPU (user + system, µs per file) of each
// part over ROUNDS rounds (each the best of 5 passes after a warm-up pass, in its own process).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function measure(root, fleet, files) {
  const dist = (file) => require(path.resolve(root, 'packages', 'plan', 'dist', file));
  const { prepareFactsBody } = dist('resolve/prepared-facts.js');
  const { readPlain } = dist('load/read-plain.js');
  const { loadedFromPlain } = dist('load/loaded-file.js');
  let reply;
  try {
    reply = dist('load/read-pool-reply.js');
  } catch {
    reply = undefined;
  }
  const dir = path.join(fleet, 'facts');
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().slice(0, files).map((f) => path.join(dir, f));
  const bodies = names.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')).facts);
  const reads = names.map((file) => {
    const { bytes, ...rest } = readPlain(file, true);
    return rest;
  });
  const cpu = (fn) => {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / names.length;
  };
  const prepare = () => {
    for (const body of bodies) prepareFactsBody(body);
  };
  const cloneAndTake = () => {
    const interner = new Map();
    if (reply === undefined) {
      for (const read of reads) loadedFromPlain(structuredClone(read), interner);
      return;
    }
    const sent = reply.newSentKernels();
    const taken = reply.newTakenKernels();
    for (const read of reads) loadedFromPlain(reply.takeReply(structuredClone(reply.replyOf(read, sent)), taken), interner);
  };
  const best = (fn) => {
    fn();
    let least = Infinity;
    for (let pass = 0; pass < 5; pass++) least = Math.min(least, cpu(fn));
    return least;
  };
  return { prepare: best(prepare), cloneAndTake: best(cloneAndTake) };
}

if (process.argv[2] === '--child') {
  const [root, fleet, files] = process.argv.slice(3);
  process.stdout.write(JSON.stringify(measure(root, fleet, Number(files))));
} else {
  const [beforeRoot, afterRoot, fleet, files = '1000', rounds = '7'] = process.argv.slice(2);
  if (fleet === undefined) {
    process.stderr.write('usage: prepare-facts-micro.js BEFORE_ROOT AFTER_ROOT FLEET_DIR [FILES] [ROUNDS]\n');
    process.exit(2);
  }
  const runs = { before: [], after: [] };
  for (let round = 0; round < Number(rounds); round++) {
    for (const [name, root] of [['before', beforeRoot], ['after', afterRoot]]) {
      runs[name].push(JSON.parse(execFileSync(process.execPath, [__filename, '--child', root, fleet, files], { encoding: 'utf8' })));
    }
  }
  const stats = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `min ${sorted[0].toFixed(1).padStart(5)} µs  median ${sorted[Math.floor(sorted.length / 2)].toFixed(1).padStart(5)} µs`;
  };
  for (const part of ['prepare', 'cloneAndTake']) {
    for (const name of ['before', 'after']) process.stdout.write(`${part.padEnd(13)} ${name.padEnd(6)} ${stats(runs[name].map((r) => r[part]))}\n`);
  }
}
