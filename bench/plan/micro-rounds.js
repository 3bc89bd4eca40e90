// What the micro-benchmarks that compare builds in one process share (boot-defaults-micro.js, json-text-micro.js):
// their arguments (ROOT [OTHER_ROOT] [--name value]…), the rounds run in alternation (who goes first swaps each
// round; the first round is the cold one), and the line each build's figures are printed in.
'use strict';

/** The roots named and an option's value (`fallback` when it is not given). */
function microArgs(argv = process.argv.slice(2)) {
  const option = (name, fallback) => {
    const at = argv.indexOf(name);
    return at === -1 ? fallback : argv[at + 1];
  };
  const roots = argv.filter((arg, i) => !arg.startsWith('--') && (i === 0 || !argv[i - 1].startsWith('--')));
  return { option, roots, rounds: Number(option('--rounds', '9')) };
}

/** CPU (user + system) of this process, µs. */
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Runs `run(build)` for every build, `rounds` + 1 times in alternation, and adds each run's CPU to `build.times`. */
function alternate(builds, rounds, run) {
  for (let round = 0; round <= rounds; round++) {
    for (const b of round % 2 === 0 ? builds : [...builds].reverse()) {
      const start = cpu();
      run(b);
      b.times.push(cpu() - start);
    }
  }
}

/** One build's line: what was measured, the cold round, the least and median of the others, a digest of its output. */
function reportLine(b, what, digest) {
  const [cold, ...warm] = b.times;
  warm.sort((x, y) => x - y);
  return `${b.root.padEnd(16)} ${what}  cold ${(cold / 1000).toFixed(1)} ms  warm min ${(warm[0] / 1000).toFixed(1)} median ${(warm[warm.length >> 1] / 1000).toFixed(1)} ms  digest ${digest.slice(0, 12)}\n`;
}

module.exports = { microArgs, alternate, reportLine };
