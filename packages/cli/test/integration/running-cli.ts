import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ApplyEvent } from '@tcpmem/apply';
import { repoRoot } from '../run-cli';

/** The real `tcpmem` binary, running: its stdout lines as they come, and how it ended. */
export interface Running {
  readonly lines: string[];
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>;
  readonly kill: (signal: NodeJS.Signals) => void;
  /** Resolves once a stdout (or stderr) line matches. */
  readonly until: (match: (line: string) => boolean, stream?: 'stdout' | 'stderr') => Promise<void>;
}

/** The real binary, started and left running, its lines seen as they come. */
export function start(args: readonly string[]): Running {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  const child = spawn(process.execPath, [path.join(repoRoot, 'packages/cli/bin/run.js'), ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { match: (line: string) => boolean; stream: 'stdout' | 'stderr'; resolve: () => void }[] = [];
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const feed = (stream: 'stdout' | 'stderr', text: string): void => {
    const all = (stream === 'stdout' ? (out += text) : (err += text)).split('\n');
    lines[stream] = all.slice(0, -1);
    for (const w of [...waiters]) {
      if (w.stream === stream && lines[stream].some(w.match)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (t: string) => feed('stdout', t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => feed('stderr', t));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout: out, stderr: err, ms: Date.now() - started }));
  });
  return {
    lines: lines.stdout,
    stderr: () => err,
    exited,
    kill: (signal) => child.kill(signal),
    until: (match, stream = 'stdout') =>
      new Promise<void>((resolve, reject) => {
        if (lines[stream].some(match)) return resolve();
        waiters.push({ match, stream, resolve });
        void exited.then((e) => reject(new Error(`tcpmem ended (exit ${String(e.code)}) before the moment came:\n${e.stdout}\n${e.stderr}`)));
      }),
  };
}

export const isEvent = (type: ApplyEvent['type'], host?: string) => (line: string): boolean => {
  try {
    const e = JSON.parse(line) as { type: string; host?: string };
    return e.type === type && (host === undefined || e.host === host);
  } catch {
    return false;
  }
};
