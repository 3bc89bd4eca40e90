import { spawn } from 'node:child_process';
import path from 'node:path';
import { validateDefinition, type Problem } from '@tcpmem/schema';
import { repoRoot } from '../run-cli';
import { checkProblems, type Command, type Violation } from './oracle';

/** One run of the real binary, bounded in time. */
export interface BinaryRun {
  readonly args: readonly string[];
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs the built `tcpmem` binary like `runCli` (test/run-cli.ts) does — same binary, working folder and
 * environment — but asynchronously, so that runs overlap on every core, and killed after `timeoutMs`; with
 * `slowReader`, its pipes are read in chunks 200 ms apart.
 */
export function runBinary(args: readonly string[], timeoutMs: number, options: { slowReader?: boolean } = {}): Promise<BinaryRun> {
  const bin = path.resolve(__dirname, '../../bin/run.js');
  const start = performance.now();
  return new Promise((resolve) => {
    // As runCli: nx sets FORCE_COLOR for its tasks; the binary is run as a user would run it, without it.
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    // A slow reader (a pager, a busy CI runner) leaves the pipe full for a while: output the binary does not wait
    // to drain before it exits is then lost, every time instead of now and then.
    const read = (stream: NodeJS.ReadableStream, into: Buffer[]) =>
      stream.on('data', (chunk: Buffer) => {
        into.push(chunk);
        if (options.slowReader === true) {
          stream.pause();
          setTimeout(() => stream.resume(), 200);
        }
      });
    read(child.stdout, stdout);
    read(child.stderr, stderr);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ args, status, signal, timedOut, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), ms: performance.now() - start });
    });
  });
}

/** Runs `tasks` with at most `limit` at a time, results in order. */
export async function inPool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next;
      next += 1;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

/** A character that drives a terminal or reorders its text: C0 (but LF), DEL, C1, line and bidi controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const terminalControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const stackTrace = /^\s+at .+[(:]\d+:\d+\)?$|\bat Object\.|\b(TypeError|RangeError|ReferenceError|EvalError|AggregateError|SyntaxError: Unexpected)\b|TCPMEM_INTERNAL|Error: .*\n\s+at /m;
/** Errors that are about the run, not about a place in a file: they may stand without a location. */
const unlocatable = new Set(['TCPMEM_INVALID_CONFIG', 'TCPMEM_PATH', 'TCPMEM_USAGE']);

/**
 * Checks one run of the binary: it ended in time with 0, 1, 4 or 64; stderr holds no stack trace nor, for a person,
 * a control character; with `--json`
 * stdout is exactly one JSON document (the result, or `{ "error": … }`), and an exit 1 comes with located errors
 * somewhere the user can see them.
 */
export function checkBinary(command: Command, json: boolean, run: BinaryRun, violations: Violation[]): void {
  const mode = `${command}${json ? ' --json' : ''}`;
  const add = (rule: string, what: string, detail: string): void => {
    violations.push({ command, rule, signature: `binary ${mode}/${rule}/${what}`, detail: `tcpmem ${run.args.join(' ')}: ${detail}` });
  };
  if (run.timedOut) {
    add('hang', 'timeout', `killed after ${Math.round(run.ms)} ms`);
    return;
  }
  if (run.status === null || ![0, 1, 4, 64].includes(run.status)) add('exit', `exit ${run.status ?? run.signal ?? '?'}`, `exit ${run.status ?? ''} ${run.signal ?? ''}; stderr: ${run.stderr.slice(0, 2000)}; stdout: ${run.stdout.slice(0, 500)}`);
  // Output cut short (the process exiting before a pipe drained) ends mid-line, at a multiple of the pipe's 64 KiB.
  for (const [stream, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    if (text !== '' && !text.endsWith('\n')) add('truncated', `${stream} cut`, `${stream} ends without a newline after ${text.length} bytes${text.length % 65536 === 0 ? ' (a multiple of 64 KiB: the pipe was not drained before exit)' : ''}: …${text.slice(-200)}`);
  }
  const trace = stackTrace.exec(run.stderr);
  if (trace !== null) add('stderr', 'stack trace', `stderr has ${JSON.stringify(trace[0])}: ${run.stderr.slice(0, 2000)}`);
  // Text for a person (NO_COLOR: not even tcpmem's colours) holds no control character but its line ends, however
  // the config quotes one: an escape sequence or a carriage return from a file must not drive the terminal.
  for (const [stream, text] of (json ? [['stderr', run.stderr]] : [['stdout', run.stdout], ['stderr', run.stderr]]) as [string, string][]) {
    const control = terminalControl.exec(text);
    if (control !== null) add('terminal', `${stream} control character`, `${stream} holds ${JSON.stringify(control[0])} at ${control.index}: …${JSON.stringify(text.slice(Math.max(0, control.index - 200), control.index + 100))}`);
  }

  if (!json) {
    const errorLines = run.stderr.split('\n').filter((l) => /\berror (TCPMEM_[A-Z0-9_]+):/.test(l));
    for (const line of errorLines) {
      const code = /\berror (TCPMEM_[A-Z0-9_]+):/.exec(line)?.[1] ?? '';
      if (!unlocatable.has(code) && !/^.+:\d+:\d+: error TCPMEM_/.test(line)) add('unlocated', code, `stderr line without file:line:column: ${line}`);
    }
    if (run.status === 1 && !errorLines.some((l) => /:\d+:\d+: error TCPMEM_|error TCPMEM_PATH/.test(l))) add('unlocated', 'no located error', `exit 1 without a located error on stderr: ${run.stderr.slice(0, 1500)}`);
    return;
  }

  let doc: unknown;
  try {
    doc = JSON.parse(run.stdout);
  } catch (error) {
    add('stdout', 'not one JSON document', `${(error as Error).message}; stdout: ${run.stdout.slice(0, 500)}`);
    return;
  }
  if (typeof doc !== 'object' || doc === null) {
    add('stdout', 'not an object', run.stdout.slice(0, 200));
    return;
  }
  const record = doc as Record<string, unknown>;
  if ('error' in record) {
    const error = record['error'] as Record<string, unknown>;
    if (error['code'] === 'TCPMEM_INTERNAL' || typeof error['code'] !== 'string') add('exit', 'internal error', JSON.stringify(error));
    if (error['exitCode'] !== run.status) add('stdout', 'error.exitCode differs from the exit code', `${String(error['exitCode'])} vs ${run.status ?? ''}`);
    const problems = Array.isArray(error['problems']) ? (error['problems'] as Problem[]) : [];
    checkProblems(command, problems, repoRoot, violations);
    if (error['code'] === 'TCPMEM_INVALID_CONFIG' && !problems.some((p) => p.severity === 'error')) {
      add('unlocated', 'TCPMEM_INVALID_CONFIG without problems', `stdout names no file, line or column: ${run.stdout.slice(0, 500)}`);
    }
    return;
  }
  const definition = command === 'validate' ? 'ValidationReport' : 'Plan';
  const shape = validateDefinition(definition, doc);
  if (!shape.ok) add('stdout', `not a ${definition}`, JSON.stringify(shape.errors.slice(0, 3)));
  const problems =
    command === 'validate'
      ? ((record['problems'] as Problem[] | undefined) ?? [])
      : [...((record['problems'] as Problem[] | undefined) ?? []), ...((record['hosts'] as { problems?: Problem[] }[] | undefined) ?? []).flatMap((h) => h.problems ?? [])];
  checkProblems(command, problems, repoRoot, violations);
  if (run.status === 1 && !problems.some((p) => p.severity === 'error')) add('unlocated', 'exit 1 without errors', run.stdout.slice(0, 500));
}
