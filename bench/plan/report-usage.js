// Preloaded (`node --require`) by run.js when /usr/bin/time is missing: at exit, writes this process's
// process.resourceUsage() (CPU times, maxRSS) to $TCPMEM_BENCH_USAGE_FILE.
'use strict';

const fs = require('node:fs');

const file = process.env.TCPMEM_BENCH_USAGE_FILE;
if (file !== undefined) {
  process.on('exit', () => fs.writeFileSync(file, JSON.stringify(process.resourceUsage())));
}
