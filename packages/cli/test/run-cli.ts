import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The repository root, where examples/ and docs/ live. */
export const repoRoot = path.resolve(__dirname, '../../..');

/** What one run of the real `tcpmem` binary printed and how it exited. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `tcpmem` binary (bin/run.js over dist/), from the repository root unless told otherwise. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd: string = repoRoot): CliRun {
  const bin = path.resolve(__dirname, '../bin/run.js');
  // nx sets FORCE_COLOR for the tasks it runs; the CLI is tested as a user would run it, without it.
  const inherited = { ...process.env };
  delete inherited['FORCE_COLOR'];
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
