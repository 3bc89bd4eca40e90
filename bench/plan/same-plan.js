#!/usr/bin/env node
// Whether two `tcpmem plan --json` outputs are the same plan apart from `createdAt`; prints the first difference.
//
//   node bench/plan/same-plan.js BEFORE.json AFTER.json
'use strict';

const fs = require('node:fs');

const read = (file) => {
  const plan = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete plan.createdAt;
  return JSON.stringify(plan, null, 1).split('\n');
};
const [a, b] = process.argv.slice(2).map(read);
const at = a.findIndex((line, i) => line !== b[i]);
if (at === -1 && a.length === b.length) {
  process.stdout.write(`same plan (${a.length} lines, createdAt aside)\n`);
} else {
  const i = at === -1 ? Math.min(a.length, b.length) : at;
  process.stdout.write(`differ at line ${i + 1}:\n- ${a[i]}\n+ ${b[i]}\n`);
  process.exit(1);
}
