// Records how many tests passed, failed and were skipped in this jest run, so that .ci/run can print one
// honest `N passed, N failed` line for the whole suite. Writes nothing unless TCPMEM_TEST_COUNTS_DIR is set.
const fs = require('node:fs');
const path = require('node:path');

class CountReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.TCPMEM_TEST_COUNTS_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const name = `${process.pid}-${Date.now()}.json`;
    const counts = {
      cwd: process.cwd(),
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(dir, name), JSON.stringify(counts));
  }
}

module.exports = CountReporter;
