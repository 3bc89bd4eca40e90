#!/usr/bin/env node
// Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and the most total
// (inclusive) time, each with file:line relative to the repository.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof packages/cli/bin/run.js plan DIR --offline --json > /dev/null
//   node bench/plan/hotspots.js /tmp/prof/*.cpuprofile [--top 25]
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex === -1 ? 25 : Number(args[topIndex + 1]);
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');
if (file === undefined) {
  process.stderr.write('usage: hotspots.js PROFILE.cpuprofile [--top N]\n');
  process.exit(2);
}

const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the sample stream (timeDeltas are microseconds between samples).
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (cf) => {
  const url = cf.url.replace(/^file:\/\//, '');
  const rel = url.startsWith(root) ? path.relative(root, url) : url.replace(/^node:/, 'node:');
  return `${rel || '(native)'}:${cf.lineNumber + 1}`;
};
const keyOf = (n) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame)}`;

const self = new Map();
const inclusive = new Map();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  self.set(keyOf(node), (self.get(keyOf(node)) ?? 0) + us);
  // Inclusive: count the sample once for every distinct function on its stack.
  const onStack = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) onStack.add(keyOf(byId.get(cur)));
  for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
}

const table = (title, map) => {
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [`${title} (of ${(totalUs / 1e3).toFixed(0)} ms sampled)`];
  for (const [k, us] of rows) lines.push(`${(us / 1e3).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${k}`);
  return lines.join('\n');
};
process.stdout.write(`${table('self time', self)}\n\n${table('total time', inclusive)}\n`);
