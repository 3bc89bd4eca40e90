#!/usr/bin/env node
// Per-host CPU of the fact-text parsers and the fingerprint, two builds side by side (interleaved rounds, the
// least of 7 after a warm-up round), over a discovered fleet's facts files:
//
//   node bench/plan/fact-texts-micro.js BEFORE_ROOT AFTER_ROOT FLEET_DIR [HOSTS]
//   node bench/plan/fact-texts-micro.js /work/main . /tmp/parsers-d3000 2000
//
// Each root is a built checkout (packages/*/dist). A build without `meminfoValue` reads MemTotal with parseMeminfo.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const [beforeRoot, afterRoot, fleet, hosts = '2000'] = process.argv.slice(2);
if (fleet === undefined) {
  process.stderr.write('usage: fact-texts-micro.js BEFORE_ROOT AFTER_ROOT FLEET_DIR [HOSTS]\n');
  process.exit(2);
}
const load = (root) => {
  const dist = (pkg, file) => require(path.resolve(root, 'packages', pkg, 'dist', file));
  const km = (file) => dist('kernel-model', path.join('hardware', file));
  return { ...km('fact-texts.js'), ...km('parse-zoneinfo.js'), ...km('parse-meminfo.js'), ...km('parse-dmesg.js'), fingerprint: dist('plan', 'observe/observation.js').fingerprint };
};
const builds = { before: load(beforeRoot), after: load(afterRoot) };
const dir = path.join(fleet, 'facts');
const facts = fs.readdirSync(dir).slice(0, Number(hosts)).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).facts);
// As the planner observes them: one list per distinct discovered text (the plan memo's discoveredValues).
const lists = new Map();
const list = (text) => lists.get(text) ?? lists.set(text, text.trim().split(/\s+/).map(Number)).get(text);
const observed = facts.map((f) => new Map(Object.entries(f.sysctls ?? {}).map(([name, text]) => [name, list(text)])));

const cases = {
  parseFactTexts: (b) => (f) => b.parseFactTexts(f),
  parseZoneinfo: (b) => (f) => b.parseZoneinfo(f.zoneinfo),
  'meminfo MemTotal': (b) => (f) => (b.meminfoValue ? b.meminfoValue(f.meminfo, 'MemTotal') : b.parseMeminfo(f.meminfo)['MemTotal']),
  parseLateFrees: (b) => (f) => b.parseLateFrees(f.dmesg),
  factTextsKey: (b) => {
    const parsed = facts.map((f) => b.parseFactTexts(f));
    let i = 0;
    return () => b.factTextsKey(parsed[i++ % parsed.length]);
  },
  fingerprint: (b) => {
    let i = 0;
    return () => b.fingerprint(observed[i++ % observed.length], undefined);
  },
};
for (const [name, make] of Object.entries(cases)) {
  const fns = Object.fromEntries(Object.entries(builds).map(([k, b]) => [k, make(b)]));
  const best = {};
  for (let round = 0; round < 8; round++)
    for (const [k, fn] of Object.entries(fns)) {
      const start = process.cpuUsage();
      for (const f of facts) fn(f);
      const used = process.cpuUsage(start);
      if (round > 0) best[k] = Math.min(best[k] ?? Infinity, (used.user + used.system) / facts.length);
    }
  const us = (v) => `${v.toFixed(1).padStart(6)} µs`;
  process.stdout.write(`${name.padEnd(17)} before ${us(best.before)}  after ${us(best.after)}  ×${(best.before / best.after).toFixed(1)}\n`);
}
