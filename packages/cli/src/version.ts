import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The tcpmem version, recorded in plans. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const version: string = (require('../package.json') as { version: string }).version;

/** Set by the packed bundle (scripts/pack.js, esbuild `define`) to the commit it was built from. */
declare const TCPMEM_BUILD_COMMIT: string | undefined;

/**
 * The commit this tcpmem was built from: embedded when the bundle is packed; in a checkout, what `git rev-parse`
 * says of it; else "unknown" (an installed package without git, or git missing).
 */
export function buildCommit(): string {
  if (typeof TCPMEM_BUILD_COMMIT === 'string' && TCPMEM_BUILD_COMMIT !== '') return TCPMEM_BUILD_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What `tcpmem --version` prints: `tcpmem 0.1.0 (commit 1a2b3c4d5e6f) node-v20.11.1 linux-x64`. */
export function versionLine(): string {
  return `tcpmem ${version} (commit ${buildCommit()}) node-${process.version} ${process.platform}-${process.arch}`;
}
