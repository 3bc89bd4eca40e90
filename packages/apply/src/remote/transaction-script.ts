import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { persistedFile, sysctlDirs } from '@tcpmem/plan';
import type { LiveWrite } from '../engine/host-work';

/** What one host's transaction does to tcpmem's file. */
export type FilePlan = { readonly mode: 'keep' } | { readonly mode: 'write'; readonly text: string } | { readonly mode: 'remove' };

/** The data the transaction reads from the here-document that follows the script (see transaction.sh). */
export interface TransactionInput {
  /** 16 hex digits, fresh per run: marks the script's output lines and names the temporary file. */
  readonly nonce: string;
  /** The sysctls the read section reads (the registry's, as plan read them, so fingerprints compare). */
  readonly readNames: readonly string[];
  /** The sysctl.d folders the read section lists. Default: plan's sysctlDirs (tests pass temporary folders). */
  readonly scanDirs?: readonly string[];
  readonly writes: readonly Pick<LiveWrite, 'sysctl' | 'values'>[];
  readonly file: FilePlan;
  /** How long the script waits for the client's COMMIT before it gives up. */
  readonly waitSeconds: number;
  /** Tests only: sleep this long in the commit step, after the live writes and before the file. */
  readonly pauseInCommitSeconds?: number;
}

/** Where the lock and the journal live: /run (cleared at boot), one per network + mount namespace. */
export const lockRoot = '/run/tcpmem';

/** The temporary file's name: hidden and not ending in `.conf`, so systemd-sysctl never reads it. */
export const tempFileOf = (nonce: string): string => `${persistedFile.replace(/\/([^/]+)$/, '/.$1')}.${nonce}.tmp`;

/**
 * The delimiter of the here-document that carries the data behind the script (`} 3<&0 <<'@@tcpmem-data'`): the
 * script file's last line, which the client replaces by the data lines and this line. No data line equals it
 * (each starts with its keyword).
 */
export const dataDelimiter = '@@tcpmem-data';

/** The marker of every later line the script prints. */
export const markerOf = (nonce: string): string => `@@tcpmem-${nonce}`;

/** Where transaction.sh lives: beside this module, in src/ (tests) and in dist/ (the build copies it). */
export const transactionScriptPath = join(__dirname, 'transaction.sh');

let scriptText: string | undefined;

/**
 * The static POSIX sh transaction (transaction.sh) as sent to `sh -s`, the data to follow it (transactionData):
 * without its last line (the here-document's delimiter, which ends the data), without comment lines, blank lines
 * and indentation, which every host's shell would otherwise read and skip (13 KB → about 7 KB). Nothing in it
 * spans lines but one assignment whose continuation starts in the first column.
 */
export function transactionScript(): string {
  scriptText ??= sendableScript(readFileSync(transactionScriptPath, 'utf8'));
  return scriptText;
}

/** transaction.sh as sent: see transactionScript. Throws when the file does not end with the delimiter line. */
export function sendableScript(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines.pop() !== dataDelimiter) throw new Error(`transaction.sh must end with its here-document's delimiter line ${dataDelimiter}`);
  const kept = lines.map((line) => line.replace(/^[ \t]+/, '')).filter((line) => line !== '' && !line.startsWith('#'));
  return `${kept.join('\n')}\n`;
}

const namePattern = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

/**
 * The data lines the script reads from its here-document, ending with `go` and the delimiter. Throws on anything
 * the script would refuse: names come from the sysctl registry and values are integers; nothing else from a config
 * reaches the host.
 */
export function transactionData(input: TransactionInput): string {
  if (!/^[0-9a-f]{16}$/.test(input.nonce)) throw new Error('the nonce must be 16 hex digits');
  if (!Number.isSafeInteger(input.waitSeconds) || input.waitSeconds < 1) throw new Error('waitSeconds must be a positive integer');
  const pause = input.pauseInCommitSeconds ?? 0;
  if (!Number.isSafeInteger(pause) || pause < 0) throw new Error('pauseInCommitSeconds must be a whole number');
  const lines = [`nonce ${input.nonce}`, `wait ${String(input.waitSeconds)}`];
  if (pause > 0) lines.push(`pause ${String(pause)}`);
  for (const name of input.readNames) {
    if (!/^[a-z0-9_.]+$/.test(name)) throw new Error(`refusing to read sysctl name ${JSON.stringify(name)}`);
    lines.push(`read ${name}`);
  }
  for (const dir of input.scanDirs ?? sysctlDirs) {
    if (!/^\/[A-Za-z0-9_./-]*$/.test(dir)) throw new Error(`refusing sysctl folder ${JSON.stringify(dir)}`);
    lines.push(`scan ${dir}`);
  }
  for (const w of input.writes) {
    if (!namePattern.test(w.sysctl)) throw new Error(`refusing sysctl name ${JSON.stringify(w.sysctl)}`);
    if (w.values.length === 0 || !w.values.every((v) => Number.isSafeInteger(v))) throw new Error(`refusing values for ${w.sysctl}`);
    lines.push(`write ${w.sysctl} ${w.values.join(' ')}`);
  }
  lines.push(`file ${input.file.mode}`);
  if (input.file.mode === 'write') {
    if (!/^[\x20-\x7e\n]*$/.test(input.file.text)) throw new Error('the file text must be printable ASCII');
    for (const line of input.file.text.replace(/\n$/, '').split('\n')) lines.push(`text ${line}`);
  }
  lines.push('go', dataDelimiter);
  return `${lines.join('\n')}\n`;
}

/** Integers as the script prints them ("v v v"); undefined when a word is not a safe integer. */
export function parseValues(text: string): number[] | undefined {
  const words = text.trim().split(/\s+/);
  const values = words.map(Number);
  return text.trim() !== '' && values.every(Number.isSafeInteger) ? values : undefined;
}

/** Why a journal was left: a transaction killed in its commit step, or one whose rollback failed. */
export type RecoveryCause = 'killed' | 'rollback-failed';

/** One line the transaction prints about itself (the text after `@@tcpmem-NONCE `), as data. */
export type ProtocolLine =
  | { readonly kind: 'busy'; readonly holder: string }
  | { readonly kind: 'nolock'; readonly detail: string }
  | { readonly kind: 'recovered'; readonly outcome: 'committed' | 'rolled-back' | 'failed'; readonly cause: RecoveryCause }
  | { readonly kind: 'end' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'old'; readonly sysctl: string; readonly values: readonly number[] }
  | { readonly kind: 'missing'; readonly sysctl: string }
  | { readonly kind: 'unwritable'; readonly detail: string }
  | { readonly kind: 'refused' }
  | { readonly kind: 'prepared' }
  | { readonly kind: 'wrote'; readonly sysctl: string; readonly values: readonly number[] }
  | { readonly kind: 'verified'; readonly sysctl: string; readonly values: readonly number[] }
  | { readonly kind: 'failed'; readonly stage: string; readonly sysctl: string | undefined; readonly detail: string }
  | { readonly kind: 'restored'; readonly sysctl: string; readonly values: readonly number[] }
  | { readonly kind: 'restore-failed'; readonly sysctl: string; readonly detail: string }
  | { readonly kind: 'persisted' | 'removed'; readonly file: string }
  | { readonly kind: 'committed' | 'rolled-back' | 'rollback-failed' };

/** Parses one protocol line; undefined for the read section's headers and anything it does not know. Pure. */
export function parseProtocolLine(line: string): ProtocolLine | undefined {
  const [kind = '', ...rest] = line.split(' ');
  const arg = rest.join(' ');
  const [first = '', ...tail] = rest;
  const second = tail.join(' ');
  const valued = (k: 'old' | 'wrote' | 'verified' | 'restored'): ProtocolLine | undefined => {
    const values = parseValues(second);
    return values === undefined ? undefined : { kind: k, sysctl: first, values };
  };
  switch (kind) {
    case 'busy':
      return { kind, holder: arg };
    case 'nolock':
    case 'unwritable':
      return { kind, detail: arg };
    case 'recovered':
      return first === 'committed' || first === 'rolled-back' || first === 'failed' ? { kind, outcome: first, cause: second === 'rollback-failed' ? 'rollback-failed' : 'killed' } : undefined;
    case 'end':
    case 'aborted':
    case 'refused':
    case 'prepared':
    case 'committed':
    case 'rolled-back':
    case 'rollback-failed':
      return { kind };
    case 'old':
    case 'wrote':
    case 'verified':
    case 'restored':
      return valued(kind);
    case 'missing':
      return { kind, sysctl: arg };
    case 'failed': {
      const [stage = '', sysctl = '-', ...detail] = rest;
      return { kind, stage, sysctl: sysctl === '-' ? undefined : sysctl, detail: detail.join(' ') };
    }
    case 'restore-failed':
      return { kind, sysctl: first, detail: second };
    case 'persisted':
    case 'removed':
      return { kind, file: arg };
    default:
      return undefined;
  }
}

/** Everything the transaction printed after its read section, as data. */
export interface TransactionLog {
  /** Another transaction holds the host (or the lock could not be taken); nothing was done. */
  busy?: string;
  recovered?: { readonly outcome: 'committed' | 'rolled-back' | 'failed'; readonly cause: RecoveryCause };
  /** `nolock`: the lock could not be made at all (no permission: the transaction does not run as root). */
  lockFailed?: string;
  readDone: boolean;
  aborted: boolean;
  old: Map<string, readonly number[]>;
  missing: string[];
  unwritable?: string;
  refused: boolean;
  prepared: boolean;
  wrote: string[];
  verified: Map<string, readonly number[]>;
  failed?: { stage: string; sysctl: string | undefined; detail: string };
  restored: Map<string, readonly number[]>;
  restoreFailed: Map<string, string>;
  persisted?: 'written' | 'removed';
  outcome?: 'committed' | 'rolled-back' | 'rollback-failed';
}

export const emptyLog = (): TransactionLog => ({
  readDone: false,
  aborted: false,
  old: new Map(),
  missing: [],
  refused: false,
  prepared: false,
  wrote: [],
  verified: new Map(),
  restored: new Map(),
  restoreFailed: new Map(),
});

/** Folds one protocol line into the log. Lines of the read section are left to parseRead. */
export function foldLine(log: TransactionLog, text: string): void {
  const line = parseProtocolLine(text);
  if (line === undefined) return;
  switch (line.kind) {
    case 'busy':
      log.busy = /^\d+$/.test(line.holder)
        ? `another tcpmem transaction is running on the host (pid ${line.holder})`
        : line.holder === 'starting' || line.holder === 'unknown'
          ? 'another tcpmem transaction is running on the host (starting)'
          : `the host's lock is held: ${line.holder}`;
      break;
    case 'nolock':
      log.lockFailed = line.detail;
      break;
    case 'recovered':
      log.recovered = { outcome: line.outcome, cause: line.cause };
      break;
    case 'end':
      log.readDone = true;
      break;
    case 'aborted':
      log.aborted = true;
      break;
    case 'old':
      log.old.set(line.sysctl, line.values);
      break;
    case 'missing':
      if (log.readDone) log.missing.push(line.sysctl);
      break;
    case 'unwritable':
      log.unwritable = line.detail;
      break;
    case 'refused':
      log.refused = true;
      break;
    case 'prepared':
      log.prepared = true;
      break;
    case 'wrote':
      log.wrote.push(line.sysctl);
      break;
    case 'verified':
      log.verified.set(line.sysctl, line.values);
      break;
    case 'failed':
      log.failed = { stage: line.stage, sysctl: line.sysctl, detail: line.detail };
      break;
    case 'restored':
      log.restored.set(line.sysctl, line.values);
      break;
    case 'restore-failed':
      log.restoreFailed.set(line.sysctl, line.detail);
      break;
    case 'persisted':
      log.persisted = 'written';
      break;
    case 'removed':
      log.persisted = 'removed';
      break;
    case 'committed':
    case 'rolled-back':
    case 'rollback-failed':
      log.outcome = line.kind;
      break;
  }
}
