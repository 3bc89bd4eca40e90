import { persistedFile } from '@tcpmem/plan';
import type { LiveWrite } from '../engine/host-work';
import { readScript } from './read-script';

/** What one host's transaction does to tcpmem's file. */
export type FilePlan = { readonly mode: 'keep' } | { readonly mode: 'write'; readonly text: string } | { readonly mode: 'remove' };

export interface TransactionInput {
  /** 16 hex digits, fresh per run: marks the script's output lines and names the temporary file. */
  readonly nonce: string;
  /** The sysctls the read section reads (the registry's, as plan read them, so fingerprints compare). */
  readonly readNames: readonly string[];
  readonly writes: readonly LiveWrite[];
  readonly file: FilePlan;
  /** How long the script waits for each of the client's lines (PREPARE, COMMIT) before it gives up. */
  readonly waitSeconds: number;
  /** Tests only: sleep this long in the commit step, after the live writes and before the file. */
  readonly pauseInCommitSeconds?: number;
}

/** Where the lock and the journal live: /run (cleared at boot), one per network + mount namespace. */
export const lockRoot = '/run/tcpmem';

/** The temporary file's name: hidden and not ending in `.conf`, so systemd-sysctl never reads it. */
export const tempFileOf = (nonce: string): string => `${persistedFile.replace(/\/([^/]+)$/, '/.$1')}.${nonce}.tmp`;

const sysctlDir = persistedFile.slice(0, persistedFile.lastIndexOf('/'));

/** Single-quotes a word for sh. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function checkInput(input: TransactionInput): void {
  if (!/^[0-9a-f]{16}$/.test(input.nonce)) throw new Error('the nonce must be 16 hex digits');
  if (!Number.isSafeInteger(input.waitSeconds) || input.waitSeconds < 1) throw new Error('waitSeconds must be a positive integer');
  const pause = input.pauseInCommitSeconds;
  if (pause !== undefined && (!Number.isSafeInteger(pause) || pause < 0)) throw new Error('pauseInCommitSeconds must be a whole number');
  for (const w of input.writes) {
    if (!/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(w.sysctl)) throw new Error(`refusing sysctl name ${JSON.stringify(w.sysctl)}`);
    if (w.path !== `/proc/sys/${w.sysctl.replace(/\./g, '/')}`) throw new Error(`refusing path ${JSON.stringify(w.path)} for ${w.sysctl}`);
    if (w.values.length === 0 || !w.values.every((v) => Number.isSafeInteger(v))) throw new Error(`refusing values for ${w.sysctl}`);
  }
  if (input.file.mode === 'write' && !/^[\x20-\x7e\n]*$/.test(input.file.text)) throw new Error('the file text must be printable ASCII');
}

/**
 * The POSIX sh script that runs one host's apply as a transaction, under `sudo -n sh -s`, fed on stdin. The
 * whole script is one `{ … }` group, so the shell has read all of it before it runs, and later lines on stdin are
 * the client's. It converses with the client in lines marked `@@tcpmem-NONCE`:
 *
 * 0. lock (`/run/tcpmem/ns-…`, one per network + mount namespace; a dead holder's lock is taken over, and a
 *    journal it left is recovered first: `recovered rolled-back|committed`), then remove any stale temporary file;
 * 1. read the host exactly like `plan` does (`… end`), and wait for `PREPARE` (the client compares fingerprints);
 * 2. prepare, changing nothing: record each sysctl's live value (`old NAME V`), check that /etc/sysctl.d is
 *    writable; print `prepared` (or `refused`), and wait for `COMMIT`;
 * 3. commit: write a journal, then each live value (`wrote`), read it back (`verified`), write the new file to a
 *    temporary file, fsync, rename over /etc/sysctl.d/99-tcpmem.conf, fsync the folder (`persisted`), or remove
 *    the file when it would be empty (`removed`); drop the journal; `committed`.
 *    On any failure: restore the recorded values, read them back, remove the temporary file (`failed …`,
 *    `restored …`, `rolled-back`, or `rollback-failed` when a restore did not take).
 *
 * Anything else than the expected line — EOF from a dropped connection, a timeout — ends the script before step 3
 * with the host untouched. Nothing is written before `COMMIT`, so a session killed while waiting (sshd killed
 * with all its children) leaves the host exactly as it was; the commit step takes milliseconds, ignores HUP, PIPE,
 * INT and TERM, and if it is SIGKILLed half-way, its journal lets the next transaction on that host undo it.
 * Names come from the sysctl registry and values are integers; nothing else from a config reaches the script.
 */
export function transactionScript(input: TransactionInput): string {
  checkInput(input);
  const { writes } = input;
  const m = `@@tcpmem-${input.nonce}`;
  const temp = tempFileOf(input.nonce);
  const q = shQuote;
  const lines: string[] = [];
  const add = (...more: string[]) => lines.push(...more);

  add(
    '{',
    'LC_ALL=C; export LC_ALL; umask 022; set -f',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH',
    // a dropped connection (HUP, EPIPE on stdout) or a stray signal must not stop the commit step half-way
    "trap '' HUP PIPE INT TERM QUIT",
    `M=${q(m)}; D=${q(sysctlDir)}; F=${q(persistedFile)}; T=${q(temp)}; W=${input.waitSeconds}; KEEP=`,
    `t_say() { printf '%s %s\\n' "$M" "$*"; }`,
    `t_one() { printf '%s' "$1" | tr '\\n\\t' '  '; }`,
    // the client's next line, or nothing after W seconds (timeout -s KILL: TERM is ignored here)
    'TO=; timeout -s KILL 5 true 2>/dev/null && TO=1',
    `t_line() { L=; if [ -n "$TO" ]; then L=$(timeout -s KILL "$W" sh -c 'IFS= read -r l || exit 1; printf %s "$l"') || L=; else IFS= read -r L || L=; fi; }`,
    // a sysctl's value with runs of blanks made one space (the kernel prints triples with tabs)
    't_get() { v=$(cat "$1" 2>/dev/null) || return 1; set -- $v; v="$*"; }',
    // one write(2) of the value; coreutils printf reports the errno (dash\'s builtin says only "I/O error")
    `t_put() { if [ -x /usr/bin/printf ]; then e=$(/usr/bin/printf '%s\\n' "$2" 2>&1 >"$1"); else e=$(printf '%s\\n' "$2" 2>&1 >"$1"); fi && return 0; e=$(t_one "$e"); return 1; }`,
    `t_int() { case "$1" in ''|*[!0-9\\ -]*) return 1 ;; esac; return 0; }`,
    `t_alive() { [ -n "$1" ] && [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }`,
    `K=$(readlink /proc/self/ns/net /proc/self/ns/mnt 2>/dev/null | tr -cd '0-9\\n' | tr '\\n' '-')`,
    `R="${lockRoot}/ns-\${K}lock"; J="$R/journal"`,
    // recover what a transaction killed in its commit step left: finish it if its rename happened, else undo it
    't_recover() {',
    '  tmp=; st=',
    '  while IFS=" " read -r k a b; do case "$k" in tmp) tmp=$a ;; staged|removing) st=$k ;; esac; done < "$J"',
    '  if { [ "$st" = staged ] && [ -n "$tmp" ] && [ ! -e "$tmp" ]; } || { [ "$st" = removing ] && [ ! -e "$F" ]; }; then rm -f "$J"; t_say recovered committed; return 0; fi',
    '  okr=1',
    '  while IFS=" " read -r k a b; do',
    '    [ "$k" = set ] || continue',
    '    case "$a" in /proc/sys/*) ;; *) continue ;; esac',
    '    t_int "$b" || continue',
    '    t_put "$a" "$b" || okr=',
    '  done < "$J"',
    `  case "$tmp" in "$D"/.*.tmp) rm -f "$tmp" ;; esac`,
    '  if [ -n "$okr" ]; then rm -f "$J"; t_say recovered rolled-back; return 0; fi',
    '  t_say recovered failed; return 1',
    '}',
    `mkdir -p ${lockRoot} 2>/dev/null`,
    'if ! mkdir "$R" 2>/dev/null; then',
    `  [ -d ${lockRoot} ] || { t_say nolock "cannot create ${lockRoot}"; exit 0; }`,
    '  p=$(cat "$R/pid" 2>/dev/null)',
    // a holder that has not written its pid yet (and is less than a minute old) is alive
    '  if [ -z "$p" ] && [ -z "$(find "$R" -maxdepth 0 -mmin +1 2>/dev/null)" ]; then t_say busy starting; exit 0; fi',
    '  if t_alive "$p"; then t_say busy "$p"; exit 0; fi',
    '  if [ -f "$J" ]; then t_recover || { t_say busy "a journal in $R could not be recovered"; exit 0; }; fi',
    '  rm -rf "$R"; mkdir "$R" 2>/dev/null || { t_say busy unknown; exit 0; }',
    'fi',
    'echo $$ > "$R/pid"',
    't_exit() { rm -f "$T"; if [ -n "$KEEP" ]; then rm -f "$R/pid"; else rm -rf "$R"; fi; }',
    'trap t_exit EXIT',
    // temporary files of transactions that were killed (we hold the lock: none is in progress)
    `set +f; for x in "$D"/.${persistedFile.slice(sysctlDir.length + 1)}.*.tmp; do [ -e "$x" ] && rm -f "$x"; done; set -f`,
  );

  // 1. read, exactly as plan does, then wait for PREPARE
  // (the read section globs the sysctl folders: filename expansion back on for it)
  add('set +f', readScript(input.readNames, input.nonce), 'set -f', 't_line', '[ "$L" = PREPARE ] || { t_say aborted; exit 0; }');

  // 2. prepare: record, probe; nothing changes
  add('PF=');
  writes.forEach((w, i) => {
    add(`if t_get ${q(w.path)} && t_int "$v"; then o${i}=$v; t_say old ${w.sysctl} "$v"; else t_say missing ${w.sysctl}; PF=1; fi`);
  });
  if (input.file.mode !== 'keep') {
    add(
      '[ -d "$D" ] || { t_say unwritable "$D does not exist"; PF=1; }',
      'if [ -z "$PF" ]; then if e=$( { : > "$T"; } 2>&1 ); then rm -f "$T"; else t_say unwritable "$(t_one "$e")"; PF=1; fi; fi',
    );
  }
  add('if [ -n "$PF" ]; then t_say refused; exit 0; fi', 't_say prepared', 't_line', '[ "$L" = COMMIT ] || { t_say aborted; exit 0; }');

  // 3. commit, with a rollback that restores every value it may have touched
  const rollback = writes
    .map((w, i) => `  if [ -n "$w${i}" ]; then if t_put ${q(w.path)} "$o${i}" && t_get ${q(w.path)} && [ "$v" = "$o${i}" ]; then t_say restored ${w.sysctl} "$o${i}"; else t_say restore-failed ${w.sysctl} "$e"; ok=; fi; fi`)
    .reverse();
  add(
    't_fail() {',
    '  t_say failed "$1" "$2" "$(t_one "$3")"',
    '  rm -f "$T"; ok=1',
    ...rollback,
    '  if [ -n "$ok" ]; then rm -f "$J"; t_say rolled-back; else KEEP=1; t_say rollback-failed; fi',
    '  exit 0',
    '}',
  );
  add(
    `{ echo "tmp $T"; ${writes.map((w, i) => `echo "set ${w.path} $o${i}"; `).join('')}} > "$J" 2>/dev/null || t_fail commit - "cannot write the journal $J"`,
  );
  writes.forEach((w, i) => {
    const value = q(w.values.join(' '));
    add(
      `w${i}=`,
      `if [ "$o${i}" != ${value} ]; then w${i}=1; t_put ${q(w.path)} ${value} || t_fail write ${w.sysctl} "$e"; t_say wrote ${w.sysctl} ${value}; fi`,
      `t_get ${q(w.path)} || t_fail verify ${w.sysctl} "cannot read it back"`,
      `[ "$v" = ${value} ] || t_fail verify ${w.sysctl} "read back $v"`,
      `t_say verified ${w.sysctl} "$v"`,
    );
  });
  if (input.pauseInCommitSeconds !== undefined && input.pauseInCommitSeconds > 0) add('t_say pausing', `sleep ${input.pauseInCommitSeconds}`);
  if (input.file.mode === 'write') {
    const fileLines = input.file.text.replace(/\n$/, '').split('\n').map(q).join(' ');
    add(
      `if [ -x /usr/bin/printf ]; then P=/usr/bin/printf; else P=printf; fi`,
      `e=$( { "$P" '%s\\n' ${fileLines} > "$T"; } 2>&1 ) || t_fail persist - "$e"`,
      'sync "$T" 2>/dev/null || sync',
      'echo staged >> "$J" || t_fail persist - "cannot write the journal $J"',
      'e=$(mv -f "$T" "$F" 2>&1) || t_fail persist - "$e"',
      'sync "$D" 2>/dev/null || sync',
      't_say persisted "$F"',
    );
  } else if (input.file.mode === 'remove') {
    add(
      'echo removing >> "$J" || t_fail persist - "cannot write the journal $J"',
      'e=$(rm -f "$F" 2>&1) || t_fail persist - "$e"',
      '[ ! -e "$F" ] || t_fail persist - "$F is still there"',
      'sync "$D" 2>/dev/null || sync',
      't_say removed "$F"',
    );
  }
  add('rm -f "$J"', 't_say committed', 'exit 0', '}', '');
  return lines.join('\n');
}

/** Everything the transaction printed after its read section, as data. */
export interface TransactionLog {
  /** `busy PID|starting|unknown`, `nolock …`: another transaction holds the host; nothing was done. */
  busy?: string;
  recovered?: 'committed' | 'rolled-back' | 'failed';
  readDone: boolean;
  aborted: boolean;
  old: Map<string, string>;
  missing: string[];
  unwritable?: string;
  refused: boolean;
  prepared: boolean;
  wrote: string[];
  verified: Map<string, string>;
  failed?: { stage: string; sysctl: string | undefined; detail: string };
  restored: Map<string, string>;
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

/**
 * Folds one protocol line (the text after `@@tcpmem-NONCE `) into the log. Lines of the read section are left
 * to parseRead; this keeps only what the transaction says about itself. Pure.
 */
export function foldLine(log: TransactionLog, line: string): void {
  const [kind = '', ...rest] = line.split(' ');
  const arg = rest.join(' ');
  const [first = '', ...tail] = rest;
  const second = tail.join(' ');
  switch (kind) {
    case 'busy':
    case 'nolock':
      log.busy = kind === 'nolock' ? arg : `another tcpmem transaction is running on the host (${arg === 'starting' || arg === 'unknown' ? 'starting' : `pid ${arg}`})`;
      break;
    case 'recovered':
      if (arg === 'committed' || arg === 'rolled-back' || arg === 'failed') log.recovered = arg;
      break;
    case 'end':
      log.readDone = true;
      break;
    case 'aborted':
      log.aborted = true;
      break;
    case 'old':
      log.old.set(first, second);
      break;
    case 'missing':
      if (log.readDone) log.missing.push(arg);
      break;
    case 'unwritable':
      log.unwritable = arg;
      break;
    case 'refused':
      log.refused = true;
      break;
    case 'prepared':
      log.prepared = true;
      break;
    case 'wrote':
      log.wrote.push(first);
      break;
    case 'verified':
      log.verified.set(first, second);
      break;
    case 'failed': {
      const [stage = '', sysctl = '-', ...detail] = rest;
      log.failed = { stage, sysctl: sysctl === '-' ? undefined : sysctl, detail: detail.join(' ') };
      break;
    }
    case 'restored':
      log.restored.set(first, second);
      break;
    case 'restore-failed':
      log.restoreFailed.set(first, second);
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
      log.outcome = kind;
      break;
    default:
      break;
  }
}

