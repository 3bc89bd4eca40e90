// Preload (`node -r bench/plan/thread-cpu.js …`): at exit, the CPU (user + sys, s, from /proc/self/task/*/stat) of
// the main thread, which loads and plans, and of the threads still alive besides it (V8's, libuv's; a read worker
// that already ended is not counted: take the process's CPU from /usr/bin/time), on stderr.
//
//   TCPMEM_READ_WORKERS=1 node -r ./bench/plan/thread-cpu.js packages/cli/bin/run.js plan DIR --offline > /dev/null
'use strict';

const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const ticksPerSecond = 100; // USER_HZ on Linux

if (isMainThread) {
  process.on('exit', () => {
    let main = 0;
    let others = 0;
    for (const tid of fs.readdirSync('/proc/self/task')) {
      try {
        const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cpu = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime, stime
        if (Number(tid) === process.pid) main += cpu;
        else others += cpu;
      } catch {
        // a thread that ended while this read the list
      }
    }
    process.stderr.write(`threads: main ${main.toFixed(2)} s, others ${others.toFixed(2)} s\n`);
  });
}
