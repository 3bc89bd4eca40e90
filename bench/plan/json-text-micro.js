#!/usr/bin/env node
// CPU of the cli's `--json` bytes (jsonBytes, or before it jsonDocument's 1 MiB strings encoded as stdout would) of one
// plan, for one or two builds in alternation (each its own packages/cli/dist), first of each build cold:
//
//   node bench/plan/json-text-micro.js ROOT [OTHER_ROOT] [--rounds N] [--fleet DIR] [--indent 2]
//
// The plan is made once, by ROOT's @tcpmem/app (offline), so its values share objects as a real plan's do.
// Prints per build the cold round, the least and median of the others, and a digest of the bytes, the same for
// two builds that write the same.
'use strict';
const path = require('node:path');
const crypto = require('node:crypto');
const { alternate, microArgs, reportLine } = require('./micro-rounds');

const { option, roots, rounds } = microArgs();
const fleet = option('--fleet', '/tmp/fleet-10k');
const indent = option('--indent', undefined) === undefined ? undefined : Number(option('--indent'));
// What `--json` writes: jsonBytes where the build has it, else jsonDocument's strings encoded as stdout encodes them.
const writes = (chunks) => (chunks.jsonBytes !== undefined ? (value, indent) => chunks.jsonBytes(value, indent) : function* (value, indent) {
  for (const piece of chunks.jsonDocument(value, indent)) yield Buffer.from(piece, 'utf8');
});
const builds = roots.map((root) => ({ root, writes: writes(require(path.resolve(root, 'packages/cli/dist/io/json-chunks.js'))), times: [] }));
const { makePlan } = require(path.resolve(roots[0], 'packages/app/dist/index.js'));
makePlan(fleet, { offline: true, targets: [], excludes: [], parallelism: 1, tcpmemVersion: '0.0.0', readWorkers: 0 }).then(({ plan }) => {
  alternate(builds, rounds, (b) => {
    for (const bytes of b.writes(plan, indent)) if (bytes.length === 0) throw new Error('an empty write');
  });
  for (const b of builds) {
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    for (const piece of b.writes(plan, indent)) {
      hash.update(piece);
      bytes += piece.length;
    }
    process.stdout.write(reportLine(b, `${bytes} bytes`, hash.digest('hex')));
  }
});
