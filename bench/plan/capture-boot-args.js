// `node -r ./bench/plan/capture-boot-args.js packages/cli/bin/run.js plan FLEET --offline --json > /dev/null`:
// records the (hardware, assumptions) of every computeBootDefaults call the run makes into TCPMEM_BOOT_ARGS
// (default /tmp/tcpmem-boot-args.json), for boot-defaults-micro.js. Run from the root of a built checkout.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const model = require(path.resolve('packages/kernel-model/dist/tcp-init/compute-boot-defaults.js'));
const computeBootDefaults = model.computeBootDefaults;
const calls = [];
model.computeBootDefaults = function (hardware, assumptions, steps) {
  calls.push([hardware, assumptions ?? null]);
  return computeBootDefaults.call(this, hardware, assumptions, steps);
};
process.on('exit', () => fs.writeFileSync(process.env.TCPMEM_BOOT_ARGS ?? '/tmp/tcpmem-boot-args.json', JSON.stringify(calls)));
