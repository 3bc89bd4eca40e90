#!/usr/bin/env node
// CPU of the schema package's `parseSource` on a fleet's config and facts files: one build per run (run two
// builds in alternation, minutes apart, to compare them), or two builds in one process, round by round in
// alternation, so that a loaded machine's noise hits both alike (each build has its own copy of yaml):
//
//   node bench/plan/parse-source-micro.js ROOT [OTHER_ROOT] [--rounds N] [--facts N] [--fleet DIR] [--discovered DIR]
//   node bench/plan/parse-source-micro.js /work/main --rounds 9
//   node bench/plan/parse-source-micro.js /work/main . --rounds 15
//
// A ROOT is a built checkout (packages/schema/dist). Three sets, each timed with process.cpuUsage (user + system)
// per round after one warm-up round: the 10 files of FLEET/hosts (default /tmp/fleet-10k), FLEET/fleet.yaml,
// and the first N (default 1,000) files of DISCOVERED/facts (default /tmp/scale-d10000). Prints the least and the
// median round of each, and a digest of what the parses returned (values and a located pointer per host), which
// is the same for two builds that return the same.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const roots = args.filter((arg, i) => !arg.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
if (roots.length === 0 || roots.length > 2) {
  process.stderr.write('usage: parse-source-micro.js ROOT [OTHER_ROOT] [--rounds N] [--facts N] [--fleet DIR] [--discovered DIR]\n');
  process.exit(2);
}
const rounds = Number(option('--rounds', '7'));
const factsCount = Number(option('--facts', '1000'));
const fleet = option('--fleet', '/tmp/fleet-10k');
const discovered = option('--discovered', '/tmp/scale-d10000');
const builds = roots.map((root) => ({ root, parseSource: require(path.resolve(root, 'packages/schema/dist/index.js')).parseSource }));

const read = (dir, names) => names.map((name) => ({ file: path.join(dir, name), text: fs.readFileSync(path.join(dir, name), 'utf8') }));
const hostsDir = path.join(fleet, 'hosts');
const factsDir = path.join(discovered, 'facts');
const sets = {
  hosts: read(hostsDir, fs.readdirSync(hostsDir).sort()),
  'fleet.yaml': read(fleet, ['fleet.yaml']),
  facts: read(factsDir, fs.readdirSync(factsDir).sort().slice(0, factsCount)),
};

const digest = (parseSource, files) => {
  const hash = crypto.createHash('sha256');
  for (const { file, text } of files) {
    const parsed = parseSource(file, text);
    hash.update(JSON.stringify(parsed.ok ? parsed.document.value : parsed.problems));
    if (!parsed.ok) continue;
    const hosts = parsed.document.value?.hosts;
    const names = hosts && typeof hosts === 'object' ? Object.keys(hosts) : [];
    for (const name of names.slice(0, 50)) hash.update(JSON.stringify([parsed.document.locate(`/hosts/${name}/address`), parsed.document.locate(`/hosts/${name}`, { key: true })]));
  }
  return hash.digest('hex').slice(0, 12);
};

const ms = (us) => `${(us / 1000).toFixed(1).padStart(7)} ms`;
process.stdout.write(`${roots.join(' against ')}  rounds ${rounds}  load ${require('node:os').loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
for (const [name, files] of Object.entries(sets)) {
  const times = builds.map(() => []);
  for (let round = 0; round <= rounds; round++) {
    // Who goes first alternates too.
    for (const b of round % 2 === 0 ? builds.keys() : [...builds.keys()].reverse()) {
      const { parseSource } = builds[b];
      const start = process.cpuUsage();
      for (const { file, text } of files) parseSource(file, text);
      const used = process.cpuUsage(start);
      if (round > 0) times[b].push(used.user + used.system);
    }
  }
  const bytes = files.reduce((sum, f) => sum + f.text.length, 0);
  builds.forEach(({ root, parseSource }, b) => {
    const sorted = times[b].sort((x, y) => x - y);
    const label = builds.length === 1 ? name.padEnd(10) : `${name.padEnd(10)} ${root.padEnd(12).slice(0, 12)}`;
    process.stdout.write(`${label} ${String(files.length).padStart(5)} files ${(bytes / 1048576).toFixed(1).padStart(5)} MiB  min ${ms(sorted[0])}  median ${ms(sorted[sorted.length >> 1])}  digest ${digest(parseSource, files)}\n`);
  });
}
