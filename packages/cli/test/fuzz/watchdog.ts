import { spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * A watchdog for the in-process cases. Offline planning is synchronous, so a case that never ends blocks the
 * test process itself: jest's timeout cannot fire and the run would hang without saying which case. The test
 * writes the case it is about to run to `progressFile`; a small child process watches that file, and when one
 * case has run longer than `hangMs` it prints the case (seed and how to re-run it), ends the test process and
 * removes the test's temp folder, where `progressFile` lives.
 */
export interface Watchdog {
  /** Records the case about to run (its description, with the seed and how to re-run it). */
  running(description: string): void;
  /** Nothing runs in-process now (binary runs have their own timeout). */
  idle(): void;
  stop(): void;
}

const script = `
const fs = require('node:fs');
const [file, hangMs, parent] = process.argv.slice(1);
const alive = () => { try { process.kill(Number(parent), 0); return true; } catch { return false; } };
const timer = setInterval(() => {
  // The test process ended (normally or not): nothing left to watch.
  if (!alive()) process.exit(0);
  let stat;
  try { stat = fs.statSync(file); } catch { return; }
  const age = Date.now() - stat.mtimeMs;
  if (age < Number(hangMs)) return;
  const text = fs.readFileSync(file, 'utf8');
  if (text === '') return;
  process.stderr.write('\\nbad input: one in-process case has run for ' + Math.round(age / 1000) + ' s — a hang; ending the test run.\\n' + text + '\\n');
  clearInterval(timer);
  try { process.kill(Number(parent), 'SIGKILL'); } catch {}
  // The test's afterAll will not run: once the process is gone, remove its temp folder (where the file lives).
  const gone = () => { try { process.kill(Number(parent), 0); return false; } catch { return true; } };
  const removeWhenGone = (tries) => {
    if (!gone() && tries > 0) return setTimeout(() => removeWhenGone(tries - 1), 50);
    try { fs.rmSync(require('node:path').dirname(file), { recursive: true, force: true }); } catch {}
    process.exit(1);
  };
  removeWhenGone(100);
}, 1000);
try { process.on('disconnect', () => process.exit(0)); } catch {}
`;

export function startWatchdog(progressFile: string, hangMs: number): Watchdog {
  fs.writeFileSync(progressFile, '');
  const child = spawn(process.execPath, ['-e', script, progressFile, String(hangMs), String(process.pid)], { stdio: ['ignore', 'ignore', 'inherit'] });
  child.unref();
  return {
    running: (description) => fs.writeFileSync(progressFile, description),
    idle: () => fs.writeFileSync(progressFile, ''),
    stop: () => {
      fs.writeFileSync(progressFile, '');
      child.kill();
    },
  };
}
