/**
 * The real transaction.sh, run by `sh -s` on this machine with its /proc/sys, /etc/sysctl.d and /run roots in a
 * temporary folder (TCPMEM_PROC_SYS, TCPMEM_SYSCTL_D, TCPMEM_RUN), driven by the real Conversation: what it
 * changes, when, and what it leaves behind. Needs no root; a sysctl the kernel refuses is a symlink to a
 * read-only one of this machine (/proc/sys/kernel/ngroups_max).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fingerprint, persistedState, sysctlDirs, type SysctlFile } from '@tcpmem/plan';
import { LocalTransport, type ExecOptions, type ExecResult } from '../transport';
import { Conversation } from './conversation';
import { readOnShell } from './read-host';
import { parseRead, readScript } from './read-script';
import { RemoteShell } from './remote-shell';
import { dataDelimiter, emptyLog, foldLine, parseProtocolLine, sendableScript, tempFileOf, transactionData, transactionScript, transactionScriptPath, type TransactionInput, type TransactionLog } from './transaction-script';

interface Roots {
  readonly base: string;
  readonly proc: string;
  readonly sysctlD: string;
  readonly run: string;
}

let roots: Roots;
beforeEach(() => {
  const base = mkdtempSync(join(tmpdir(), 'tcpmem-txn-'));
  roots = { base, proc: join(base, 'proc-sys'), sysctlD: join(base, 'sysctl.d'), run: join(base, 'run') };
  for (const dir of [roots.proc, roots.sysctlD, roots.run]) mkdirSync(dir, { recursive: true });
  setProc('net.core.somaxconn', '4096\n');
  setProc('net.ipv4.tcp_rmem', '4096 131072 6291456\n');
  writeFileSync(join(roots.sysctlD, '10-other.conf'), 'net.ipv4.tcp_rmem = 4096 131072 6291456\n');
});
afterEach(() => {
  rmSync(roots.base, { recursive: true, force: true });
});

const procFile = (name: string): string => join(roots.proc, ...name.split('.'));
function setProc(name: string, text: string): void {
  mkdirSync(dirname(procFile(name)), { recursive: true });
  writeFileSync(procFile(name), text);
}

/** Everything the transaction could change, byte for byte: the proc root, the sysctl.d root, the run root. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[path.slice(roots.base.length)] = entry.isSymbolicLink() ? '(link)' : readFileSync(path, 'latin1');
    }
  };
  walk(roots.base);
  return out;
}

/** `exec` of the transport, run here: `sh -s` with the roots in its environment (under `prefix`, say strace). */
function localShell(prefix: readonly string[] = []): { exec(command: string, options?: ExecOptions): Promise<ExecResult>; pid(): number | undefined } {
  let child: ReturnType<typeof spawn> | undefined;
  return {
    pid: () => child?.pid,
    exec(command, options = {}) {
      return new Promise<ExecResult>((resolve) => {
        const env = { ...process.env, TCPMEM_PROC_SYS: roots.proc, TCPMEM_SYSCTL_D: roots.sysctlD, TCPMEM_RUN: roots.run };
        const [program = 'sh', ...args] = [...prefix, 'sh', ...command.split(' ').slice(1)];
        const c = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        child = c;
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          options.onStdout?.(chunk);
        });
        c.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
        });
        c.stdin.on('error', () => undefined);
        const input = options.stdin;
        if (typeof input === 'string' || Buffer.isBuffer(input)) c.stdin.end(input);
        else if (input !== undefined) input.pipe(c.stdin);
        c.on('close', (code, signal) => {
          resolve({ stdout, stderr, code, signal: signal ?? undefined });
        });
      });
    },
  };
}

const nonce = '0123456789abcdef';
/** (`it.each` tables are built before any root exists: they get /etc/sysctl.d, which they never run.) */
const input = (extra: Partial<TransactionInput> = {}): TransactionInput => ({
  nonce,
  readNames: ['net.core.somaxconn', 'net.ipv4.tcp_rmem'],
  scanDirs: [(roots as Roots | undefined)?.sysctlD ?? '/etc/sysctl.d'],
  writes: [
    { sysctl: 'net.core.somaxconn', values: [8192] },
    { sysctl: 'net.ipv4.tcp_rmem', values: [4096, 131072, 8388608] },
  ],
  file: { mode: 'write', text: '# managed by tcpmem\nnet.core.somaxconn = 8192\nnet.ipv4.tcp_rmem = 4096 131072 8388608\n' },
  waitSeconds: 5,
  ...extra,
});

/**
 * strace's arguments that record every program a command and its children execute (one file a process), and a
 * reader of what they recorded: the programs' names, sorted, without the `sh -s` the command itself is.
 */
function execTrace(): { prefix: string[]; programs(): string[]; removals(): string[][] } {
  const dir = mkdtempSync(join(tmpdir(), 'tcpmem-execs-'));
  const processes = (): string[][] => readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8').split('\n'));
  return {
    prefix: ['strace', '-ff', '-qq', '-e', 'trace=execve,unlink,unlinkat,rmdir', '-e', 'signal=none', '-o', join(dir, 'p')],
    programs: () => {
      const names: string[] = [];
      for (const line of processes().flat()) {
        const exec = /^execve\("([^"]*)", \[(.*)\], .*\) = 0$/.exec(line);
        if (exec !== null && exec[2] !== '"sh", "-s"') names.push(exec[1]!.slice(exec[1]!.lastIndexOf('/') + 1));
      }
      return names.sort();
    },
    /** Per process that removed anything (unlink, unlinkat, rmdir), the paths it removed, in its order. */
    removals: () => {
      const each = processes()
        .map((lines) => lines.filter((l) => /^(unlink|unlinkat|rmdir)\(.* = 0$/.test(l)).map((l) => /"([^"]*)"/.exec(l)?.[1] ?? '?'))
        .filter((paths) => paths.length > 0);
      rmSync(dir, { recursive: true, force: true });
      return each;
    },
  };
}

/** Starts the transaction with `input`; the client's words are the test's to send. */
function start(i: TransactionInput = input(), prefix: readonly string[] = []): { conversation: Conversation; shell: ReturnType<typeof localShell> } {
  const shell = localShell(prefix);
  return { conversation: Conversation.start(shell, 'sh -s', transactionScript(), transactionData(i), i.nonce, 30_000), shell };
}

/** Starts a transaction that pauses in its commit, and resolves once it sits in that pause (its `sleep`). */
async function pausedInCommit(): Promise<ReturnType<typeof start>> {
  const started = start(input({ pauseInCommitSeconds: 30 }));
  const { conversation } = started;
  await conversation.until((l) => l.readDone && l.prepared);
  conversation.send('COMMIT');
  await conversation.until(() => conversation.output.includes(' pausing\n')); // into its sleep
  return started;
}

/** Runs a whole transaction: COMMIT once read and prepared (protocol 2 prepares on its own); resolves with its log once it ended. */
async function runToEnd(i: TransactionInput = input(), prefix: readonly string[] = []): Promise<Conversation> {
  const { conversation } = start(i, prefix);
  if (await conversation.until((l) => l.prepared || l.refused)) conversation.send('COMMIT');
  await conversation.until((l) => l.outcome !== undefined || l.refused || l.busy !== undefined || l.lockFailed !== undefined);
  conversation.end();
  await conversation.done;
  return conversation;
}

describe('transaction.sh', () => {
  jest.setTimeout(30_000); // each case runs sh a few times; the machine is shared
  it('is a POSIX sh script that shellcheck passes, made of one { … } group reading its data from a here-document, so the shell reads all of it first', () => {
    execFileSync('sh', ['-n', transactionScriptPath]);
    execFileSync('shellcheck', ['-s', 'sh', transactionScriptPath]);
    const body = transactionScript()
      .split('\n')
      .filter((l) => !l.startsWith('#') && l.trim() !== '');
    expect(body[0]).toBe('{');
    expect(body[body.length - 1]).toBe(`} 3<&0 <<'${dataDelimiter}'`);
  });

  it('commits: writes each live value, reads it back, installs the new file, and leaves no lock, journal or temporary file', async () => {
    const { log } = await runToEnd();
    expect(log).toMatchObject({ readDone: true, prepared: true, outcome: 'committed', persisted: 'written', wrote: ['net.core.somaxconn', 'net.ipv4.tcp_rmem'] });
    expect([...log.old]).toEqual([
      ['net.core.somaxconn', [4096]],
      ['net.ipv4.tcp_rmem', [4096, 131072, 6291456]],
    ]);
    expect([...log.verified]).toEqual([
      ['net.core.somaxconn', [8192]],
      ['net.ipv4.tcp_rmem', [4096, 131072, 8388608]],
    ]);
    expect(readFileSync(procFile('net.ipv4.tcp_rmem'), 'utf8')).toBe('4096 131072 8388608\n');
    expect(readFileSync(join(roots.sysctlD, '99-tcpmem.conf'), 'utf8')).toBe(input().file.mode === 'write' ? (input().file as { text: string }).text : '');
    expect(readdirSync(roots.sysctlD).sort()).toEqual(['10-other.conf', '99-tcpmem.conf']);
    expect(readdirSync(join(roots.run, 'tcpmem'))).toEqual([]);
  });

  it('commits with one process a step: readlink and mkdir for the lock, one grep for the sysctls, a cat a sysctl.d file and a value read back, timeout and sh to wait for COMMIT, sync, mv, sync, and one rm for the journal and the lock', async () => {
    const trace = execTrace();
    const { conversation } = start(input(), trace.prefix);
    if (await conversation.until((l) => l.prepared)) conversation.send('COMMIT');
    await conversation.until((l) => l.outcome !== undefined);
    // once it says committed, its journal and its lock are gone: the one rm removed them, the journal first
    expect(readdirSync(join(roots.run, 'tcpmem'))).toEqual([]);
    conversation.end();
    await conversation.done;
    expect(conversation.log.outcome).toBe('committed');
    // (mkdir twice: the first transaction makes the run folder's tcpmem/ too)
    expect(trace.programs()).toEqual(['cat', 'cat', 'cat', 'grep', 'mkdir', 'mkdir', 'mv', 'readlink', 'rm', 'sh', 'sync', 'sync', 'timeout']);
    const removed = trace.removals();
    expect(removed).toHaveLength(1);
    expect(removed[0]).toEqual([expect.stringMatching(/\/tcpmem\/ns-[0-9-]*journal$/), 'pid', expect.stringMatching(/\/tcpmem\/ns-[0-9-]*lock$/)]);
  });

  it('removes tcpmem\'s file when it would be empty, and leaves it alone when nothing in it changes', async () => {
    writeFileSync(join(roots.sysctlD, '99-tcpmem.conf'), 'net.core.somaxconn = 4096\n');
    expect((await runToEnd(input({ file: { mode: 'remove' } }))).log).toMatchObject({ outcome: 'committed', persisted: 'removed' });
    expect(existsSync(join(roots.sysctlD, '99-tcpmem.conf'))).toBe(false);
    writeFileSync(join(roots.sysctlD, '99-tcpmem.conf'), 'kept\n');
    expect((await runToEnd(input({ file: { mode: 'keep' } }))).log.persisted).toBeUndefined();
    expect(readFileSync(join(roots.sysctlD, '99-tcpmem.conf'), 'utf8')).toBe('kept\n');
  });

  it.each([
    ['once it has read (preparing on its own)', (l: TransactionLog) => l.readDone],
    ['after PREPARED, before COMMIT', (l: TransactionLog) => l.prepared],
  ])('changes nothing when the client goes away %s', async (_when, ready) => {
    const before = snapshot();
    const { conversation } = start();
    await conversation.until(ready);
    conversation.end();
    await conversation.done;
    expect(conversation.log.aborted).toBe(true);
    expect(snapshot()).toEqual(before);
  });

  it('rolls back what it wrote when the kernel refuses a later write, and says which write and why', async () => {
    // a read-only sysctl of this machine: the kernel refuses every write to it, even root's
    symlinkSync('/proc/sys/kernel/ngroups_max', procFile('net.ipv4.tcp_rmem').replace(/tcp_rmem$/, 'tcp_wmem'));
    const limit = readFileSync('/proc/sys/kernel/ngroups_max', 'utf8').trim();
    const before = snapshot();
    const { log } = await runToEnd(input({ writes: [{ sysctl: 'net.core.somaxconn', values: [8192] }, { sysctl: 'net.ipv4.tcp_wmem', values: [Number(limit) + 1] }] }));
    expect(log).toMatchObject({ outcome: 'rolled-back', wrote: ['net.core.somaxconn'], failed: { stage: 'write', sysctl: 'net.ipv4.tcp_wmem' } });
    expect(log.failed?.detail).not.toBe('');
    // newest first; the refused value reads back as it was, so it needs no write to be restored
    expect([...log.restored]).toEqual([
      ['net.ipv4.tcp_wmem', [Number(limit)]],
      ['net.core.somaxconn', [4096]],
    ]);
    expect(snapshot()).toEqual(before);
  });

  it('is undone from its journal by the next transaction when it is killed half-way through its commit', async () => {
    const before = snapshot();
    const { conversation, shell } = await pausedInCommit();
    process.kill(-shell.pid()!, 'SIGKILL'); // the script and its sleep, as a killed session would be
    await conversation.done;
    expect(readFileSync(procFile('net.core.somaxconn'), 'utf8')).toBe('8192\n');

    const next = await runToEnd(input({ nonce: 'fedcba9876543210', writes: [], file: { mode: 'keep' } }));
    expect(next.log.recovered).toEqual({ outcome: 'rolled-back', cause: 'killed' });
    expect(snapshot()).toEqual(before);
  });

  it('stops what a killed holder left running before it takes over, so that nothing of it can change the host after the recovery', async () => {
    const { conversation, shell } = await pausedInCommit();
    const childOf = (pid: number | undefined): string | undefined =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .find((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('sleep\0') && readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
          } catch {
            return false;
          }
        });
    let sleeper = childOf(shell.pid());
    while (sleeper === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      sleeper = childOf(shell.pid());
    }
    process.kill(shell.pid()!, 'SIGKILL'); // the script alone: its `sleep` lives on, as an orphaned `mv` would
    // SIGKILL is delivered asynchronously: until the holder has ended (gone, or a zombie its parent has not reaped
    // yet), the next transaction rightly sees it alive and says busy. On a loaded machine that window is not empty.
    const holderEnded = (): boolean => {
      try {
        return /^State:\s*Z/m.test(readFileSync(`/proc/${shell.pid()!}/status`, 'utf8'));
      } catch {
        return true;
      }
    };
    while (!holderEnded()) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(existsSync(`/proc/${sleeper}`)).toBe(true);
    const next = await runToEnd(input({ nonce: 'fedcba9876543210', writes: [], file: { mode: 'keep' } }));
    expect(next.log.recovered).toEqual({ outcome: 'rolled-back', cause: 'killed' });
    const state = existsSync(`/proc/${sleeper}/stat`) ? readFileSync(`/proc/${sleeper}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
    expect(['gone', 'Z']).toContain(state);
    await conversation.done; // (its stdout closed with the sleep)
  });

  const netId = (): string => readlinkSync('/proc/self/ns/net').replace(/[^0-9]/g, '');
  const namespaceKey = (): string => `${netId()}-`;
  it.each<[string, string[], { tmp: boolean; own: boolean }, { outcome: string; cause: string }, string]>([
    ['killed before its file was staged', [], { tmp: true, own: true }, { outcome: 'rolled-back', cause: 'killed' }, '4096\n'],
    ['killed with its file staged, the rename not done', ['staged'], { tmp: true, own: true }, { outcome: 'rolled-back', cause: 'killed' }, '4096\n'],
    ['killed with its file staged and renamed', ['staged'], { tmp: false, own: true }, { outcome: 'committed', cause: 'killed' }, '8192\n'],
    ['killed while removing its file, the file gone', ['removing'], { tmp: false, own: false }, { outcome: 'committed', cause: 'killed' }, '8192\n'],
    ['killed while removing its file, the file still there', ['removing'], { tmp: false, own: true }, { outcome: 'rolled-back', cause: 'killed' }, '4096\n'],
    ['whose rollback failed', ['rollback-failed'], { tmp: false, own: true }, { outcome: 'rolled-back', cause: 'rollback-failed' }, '4096\n'],
  ])('recovers the journal of a transaction %s', async (_name, tail, files, recovered, somaxconn) => {
    const temp = join(roots.sysctlD, '.99-tcpmem.conf.1111111111111111.tmp');
    setProc('net.core.somaxconn', '8192\n');
    if (files.tmp) writeFileSync(temp, 'new\n');
    if (files.own) writeFileSync(join(roots.sysctlD, '99-tcpmem.conf'), 'old\n');
    mkdirSync(join(roots.run, 'tcpmem'));
    writeFileSync(join(roots.run, 'tcpmem', `ns-${namespaceKey()}journal`), [`tmp ${temp}`, `set ${procFile('net.core.somaxconn')} 4096`, ...tail, ''].join('\n'));
    const { log } = await runToEnd(input({ writes: [], file: { mode: 'keep' } }));
    expect(log.recovered).toEqual(recovered);
    expect(readFileSync(procFile('net.core.somaxconn'), 'utf8')).toBe(somaxconn);
    expect(readdirSync(roots.sysctlD).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(readdirSync(join(roots.run, 'tcpmem'))).toEqual([]);
  });

  it('recovers the journal an older tcpmem left under its network + mount namespace key', async () => {
    setProc('net.core.somaxconn', '8192\n');
    mkdirSync(join(roots.run, 'tcpmem'));
    writeFileSync(join(roots.run, 'tcpmem', `ns-${netId()}-4026531840-journal`), [`set ${procFile('net.core.somaxconn')} 4096`, ''].join('\n'));
    const { log } = await runToEnd(input({ writes: [], file: { mode: 'keep' } }));
    expect(log.recovered).toEqual({ outcome: 'rolled-back', cause: 'killed' });
    expect(readFileSync(procFile('net.core.somaxconn'), 'utf8')).toBe('4096\n');
    expect(readdirSync(join(roots.run, 'tcpmem'))).toEqual([]);
  });

  it("says busy while an older tcpmem's transaction holds its network + mount namespace lock, and leaves it", async () => {
    const holder = spawn('sleep', ['30']);
    try {
      const oldLock = join(roots.run, 'tcpmem', `ns-${netId()}-4026531840-lock`);
      mkdirSync(oldLock, { recursive: true });
      writeFileSync(join(oldLock, 'pid'), `${holder.pid ?? ''} 0123456789abcdef\n`);
      const before = snapshot();
      const { log } = await runToEnd();
      expect(log.busy).toMatch(new RegExp(`\\(pid ${holder.pid ?? ''}\\)`));
      expect(snapshot()).toEqual(before);
    } finally {
      holder.kill();
    }
  });

  it("takes over an older tcpmem's lock whose holder is dead, with the journal it kept inside", async () => {
    setProc('net.core.somaxconn', '8192\n');
    const oldLock = join(roots.run, 'tcpmem', `ns-${netId()}-4026531840-lock`);
    mkdirSync(oldLock, { recursive: true });
    writeFileSync(join(oldLock, 'pid'), '2147483646 0123456789abcdef\n');
    writeFileSync(join(oldLock, 'journal'), [`set ${procFile('net.core.somaxconn')} 4096`, ''].join('\n'));
    const { log } = await runToEnd(input({ writes: [], file: { mode: 'keep' } }));
    expect(log.recovered).toEqual({ outcome: 'rolled-back', cause: 'killed' });
    expect(log.outcome).toBe('committed');
    expect(readdirSync(join(roots.run, 'tcpmem'))).toEqual([]);
  });

  it('names why it cannot take the lock (a run folder it may not write), instead of calling the host busy', async () => {
    writeFileSync(join(roots.run, 'tcpmem'), 'not a folder\n');
    const { log } = await runToEnd();
    expect(log.busy).toBeUndefined();
    expect(log.lockFailed).toMatch(/mkdir: .*Not a directory/);
  });

  it('reads the host exactly as plan does, so a host changed since the plan has another fingerprint', async () => {
    const read = async (): Promise<string> => {
      const { conversation } = start(input());
      await conversation.until((l) => l.readDone);
      conversation.end();
      await conversation.done;
      const r = parseRead(conversation.output, nonce, new Set(input().readNames));
      expect(r.complete).toBe(true);
      return fingerprint(r.observation.sysctls, r.observation.persisted);
    };
    const planned = await read();
    expect(await read()).toBe(planned);
    setProc('net.core.somaxconn', '1024\n');
    expect(await read()).not.toBe(planned);
  });

  it("prints the sysctls and sysctl.d files plan's read script prints, on this machine's /proc/sys and /etc/sysctl.d: the same sections, values and fingerprint, and none of the other facts", () => {
    const names = ['net.core.somaxconn', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_mem', 'net.core.no_such_sysctl'];
    const planNonce = 'fedcba9876543210';
    const planned = execFileSync('sh', ['-s'], { input: readScript(names, planNonce), encoding: 'utf8' });
    const env: NodeJS.ProcessEnv = { ...process.env, TCPMEM_PROC_SYS: '/proc/sys', TCPMEM_RUN: roots.run };
    delete env['TCPMEM_SYSCTL_D'];
    const data = transactionData(input({ readNames: names, scanDirs: sysctlDirs, writes: [], file: { mode: 'keep' } }));
    const transacted = execFileSync('sh', ['-s'], { input: `${transactionScript()}${data}${dataDelimiter}\n`, env, encoding: 'utf8' });
    const heads = (out: string, n: string): string[] => out.split('\n').filter((l) => l.startsWith(`@@tcpmem-${n} `)).map((l) => l.slice(26));
    // the transaction's read section, to its end, is plan's without the facts plan reads besides
    const facts = /^(release|pagesize|cpus|meminfo|zoneinfo|cmdline|version|thp)$/;
    const compared = heads(planned, planNonce).filter((h) => !facts.test(h));
    expect(heads(transacted, nonce).slice(0, compared.length)).toEqual(compared);
    expect(compared.at(-1)).toBe('end');
    expect(heads(planned, planNonce)).toContain('missing net.core.no_such_sysctl');
    expect(heads(planned, planNonce)).toContain('zoneinfo');
    const a = parseRead(planned, planNonce, new Set(names));
    const b = parseRead(transacted, nonce, new Set(names));
    expect(b.complete).toBe(true);
    expect(b.observation.sysctls).toEqual(a.observation.sysctls);
    expect(b.files).toEqual(a.files);
    expect(b.missing).toEqual(a.missing);
    expect(a.observation.sysctls.get('net.ipv4.tcp_rmem')).toHaveLength(3);
    expect(a.observation.facts?.release).toBe(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
    expect(b.observation.facts?.release).toBeUndefined();
    expect(fingerprint(b.observation.sysctls, b.observation.persisted)).toBe(fingerprint(a.observation.sysctls, a.observation.persisted));
    expect(readdirSync(roots.run)).toEqual(['tcpmem']);
  });

  it('does not read a sysctl.d file that one of the same name in an earlier folder masks, as plan\'s read does not', () => {
    const folders = maskedFolders(join(roots.base, 'dirs'));
    const names = ['net.core.somaxconn', 'net.core.rmem_max'];
    const data = transactionData(input({ readNames: names, scanDirs: folders.dirs, writes: [], file: { mode: 'keep' } }));
    const env = { ...process.env, TCPMEM_PROC_SYS: roots.proc, TCPMEM_SYSCTL_D: roots.sysctlD, TCPMEM_RUN: roots.run };
    const read = parseRead(execFileSync('sh', ['-s'], { input: `${transactionScript()}${data}${dataDelimiter}\n`, env, encoding: 'utf8' }), nonce, new Set(names));
    expect(read.files.map((f) => folders.real(f.path))).toEqual(['/etc/sysctl.d/50-x.conf', '/etc/sysctl.d/99-z.conf', '/lib/sysctl.d/99-zz.conf']);
    expect(read.files.map((f) => f.text)).toEqual(['net.core.somaxconn = 1\n', '', 'net.core.somaxconn = 7\n']);
  });

  it('records as old the values its read under the lock found (blanks made one space), and reads a name it did not read then', async () => {
    setProc('net.ipv4.tcp_rmem', '4096\t131072\t6291456\n');
    const { conversation } = start(input({ readNames: ['net.core.somaxconn'] }));
    await conversation.until((l) => l.prepared || l.refused);
    conversation.end();
    await conversation.done;
    expect(conversation.log.old).toEqual(new Map([['net.core.somaxconn', [4096]], ['net.ipv4.tcp_rmem', [4096, 131072, 6291456]]]));
  });

  it('gives up, changing nothing, when COMMIT does not come within its wait while the connection stays open', async () => {
    const before = snapshot();
    const { conversation } = start(input({ waitSeconds: 1 }));
    expect(await conversation.until((l) => l.prepared)).toBe(true);
    expect(await conversation.until((l) => l.aborted)).toBe(true);
    conversation.end();
    await conversation.done;
    expect(snapshot()).toEqual(before);
  });

  it('says busy, changing nothing, while another transaction holds the host', async () => {
    const first = start();
    await first.conversation.until((l) => l.readDone);
    const second = await runToEnd();
    expect(second.log.busy).toMatch(/another tcpmem transaction is running on the host \(pid \d+\)/);
    first.conversation.end();
    await first.conversation.done;
  });

  it('holds the lock for the network namespace, whatever mount namespace the other transaction runs in', async () => {
    // a new mount namespace of the same network namespace: sshd restarted by `ip netns exec`, a unit with
    // PrivateTmp, a DaemonSet's container with the node's /run/tcpmem; user namespace too, so no root is needed
    const first = start(input(), ['unshare', '--user', '--map-root-user', '--mount']);
    await first.conversation.until((l) => l.readDone);
    const second = await runToEnd();
    expect(second.log.busy).toMatch(/another tcpmem transaction is running on the host \(pid \d+\)/);
    first.conversation.end();
    await first.conversation.done;
  });

  it.each([
    ['a nonce that is not hex', 'nonce zz; rm -rf /\ngo\n'],
    ['a sysctl name with shell in it', `nonce ${nonce}\nwrite net.core.somaxconn;reboot 1\ngo\n`],
    ['values that are not integers', `nonce ${nonce}\nwrite net.core.somaxconn $(reboot)\ngo\n`],
    ['a line it does not know', `nonce ${nonce}\nexec reboot\ngo\n`],
    ['data cut short', `nonce ${nonce}\n`],
  ])('refuses %s before it takes the lock', (_name, data) => {
    const out = execFileSync('sh', ['-s'], { input: `${transactionScript()}${data}${dataDelimiter}\n`, env: { ...process.env, TCPMEM_RUN: roots.run }, encoding: 'utf8' });
    expect(out).toMatch(/^@@tcpmem bad-data /);
    expect(readdirSync(roots.run)).toEqual([]);
  });

  it('refuses to run as the file is, with its here-document empty', () => {
    const out = execFileSync('sh', [transactionScriptPath], { input: '', env: { ...process.env, TCPMEM_RUN: roots.run }, encoding: 'utf8' });
    expect(out).toBe('@@tcpmem bad-data no go line\n');
    expect(readdirSync(roots.run)).toEqual([]);
  });
});

/**
 * Three sysctl.d folders under `base` standing for /etc/sysctl.d, /usr/lib/sysctl.d and /lib/sysctl.d, with files of
 * the same names in several of them (one of them a link to /dev/null: an administrator's mask of the vendor file of
 * its name, read as an empty file); `real` gives a path the name it stands for, and `all` every file as systemd-sysctl
 * sees it (regular files, and a mask as an empty file).
 */
function maskedFolders(base: string): { dirs: string[]; real(path: string): string; all(): SysctlFile[] } {
  const stands = ['/etc/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];
  const dirs = ['etc', 'usr-lib', 'lib'].map((d) => join(base, d));
  for (const dir of dirs) mkdirSync(dir, { recursive: true });
  const put = (dir: number, name: string, text: string): void => writeFileSync(join(dirs[dir]!, name), text);
  put(0, '50-x.conf', 'net.core.somaxconn = 1\n');
  symlinkSync('/dev/null', join(dirs[0]!, '99-z.conf'));
  put(1, '50-x.conf', 'net.core.somaxconn = 2\n');
  put(1, '99-z.conf', 'net.core.rmem_max = 5\n');
  put(2, '50-x.conf', 'net.core.somaxconn = 3\n');
  put(2, '99-zz.conf', 'net.core.somaxconn = 7\n');
  put(2, '99-z.conf', 'net.core.rmem_max = 6\n');
  const real = (path: string): string => dirs.reduce((p, dir, i) => (p.startsWith(`${dir}/`) ? stands[i]! + p.slice(dir.length) : p), path);
  const all = (): SysctlFile[] =>
    dirs.flatMap((dir) =>
      readdirSync(dir)
        .sort()
        .filter((name) => statSync(join(dir, name)).isFile() || statSync(join(dir, name)).isCharacterDevice())
        .map((name) => ({ path: join(dir, name), text: statSync(join(dir, name)).isFile() ? readFileSync(join(dir, name), 'utf8') : '' })),
    );
  return { dirs, real, all };
}

describe("plan's read script", () => {
  const m = '@@tcpmem-fedcba9876543210';
  /** The read script with meminfo and zoneinfo at `meminfo` and `zoneinfo`, run by sh: its whole output. */
  const readWith = (meminfo: string, zoneinfo: string): string =>
    execFileSync('sh', ['-s'], { input: readScript(['net.core.somaxconn'], 'fedcba9876543210').replaceAll('/proc/meminfo', meminfo).replaceAll('/proc/zoneinfo', zoneinfo), encoding: 'latin1' });

  it.each<[string, string | undefined, string | undefined]>([
    ['both files', 'MemTotal:  8000000 kB\nMemFree:  1 kB\n', 'Node 0, zone   Normal\n  pages free     3\n'],
    ['meminfo missing', undefined, 'Node 0, zone   Normal\n'],
    ['zoneinfo missing', 'MemTotal:  8000000 kB\n', undefined],
    ['both missing', undefined, undefined],
    ['an empty meminfo', '', 'Node 0, zone   DMA\n'],
    ['a meminfo without its last newline', 'MemTotal:  8000000 kB', 'Node 0, zone   DMA\n'],
    ['lines with colons and a line like a marker of another nonce', 'a:b:c\n@@tcpmem-0000000000000000 end\n', 'x: 1\n'],
  ])('prints meminfo and zoneinfo with one cat, byte for byte what a cat, an echo and a cat print: %s', (_case, meminfo, zoneinfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpmem-read-'));
    try {
      const at = (name: string, text: string | undefined): string => {
        const path = join(dir, name);
        if (text !== undefined) writeFileSync(path, text);
        return path;
      };
      const out = readWith(at('meminfo', meminfo), at('zoneinfo', zoneinfo));
      const from = out.indexOf(`${m} meminfo\n`);
      const to = out.indexOf(`${m} cmdline\n`);
      expect(out.slice(from, to)).toBe(`${m} meminfo\n${meminfo ?? ''}${m} zoneinfo\n${zoneinfo ?? ''}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not read a sysctl.d file that one of the same name in an earlier folder masks, and so finds what persistedState finds in every file', () => {
    const folders = maskedFolders(join(roots.base, 'dirs'));
    const names = ['net.core.somaxconn', 'net.core.rmem_max'];
    const trace = execTrace();
    const [program, ...args] = trace.prefix;
    const script = readScript(names, 'fedcba9876543210').replace(sysctlDirs.join(' '), folders.dirs.join(' '));
    const read = parseRead(execFileSync(program!, [...args, 'sh', '-s'], { input: script, encoding: 'utf8' }), 'fedcba9876543210', new Set(names));
    expect(read.files.map((f) => folders.real(f.path))).toEqual(['/etc/sysctl.d/50-x.conf', '/etc/sysctl.d/99-z.conf', '/lib/sysctl.d/99-zz.conf']);
    expect(read.files.map((f) => f.text)).toEqual(['net.core.somaxconn = 1\n', '', 'net.core.somaxconn = 7\n']);
    // the two regular files, and meminfo with zoneinfo: the mask is not read
    expect(trace.programs().filter((p) => p === 'cat')).toHaveLength(2 + 1);
    trace.removals();
    const asOnHost = (files: readonly SysctlFile[]): ReturnType<typeof persistedState> => persistedState(files.map((f) => ({ ...f, path: folders.real(f.path) })), new Set(names));
    expect(asOnHost(read.files)).toEqual(asOnHost(folders.all()));
    // The vendor's 99-z.conf (rmem_max) is masked by the administrator's link to /dev/null, as systemd-sysctl masks it.
    expect([...asOnHost(read.files).overriding]).toEqual([['net.core.somaxconn', { values: [7], file: '/lib/sysctl.d/99-zz.conf' }]]);
  });

  it('reads this machine with getconf, a grep for the CPUs, a grep for every sysctl, a cat a sysctl.d file, and one cat for meminfo and zoneinfo', () => {
    const trace = execTrace();
    const names = ['net.core.somaxconn', 'net.ipv4.tcp_rmem', 'net.core.no_such_sysctl'];
    const [program, ...args] = trace.prefix;
    const out = execFileSync(program!, [...args, 'sh', '-s'], { input: readScript(names, 'fedcba9876543210'), encoding: 'utf8' });
    const read = parseRead(out, 'fedcba9876543210', new Set(names));
    expect(read.complete).toBe(true);
    expect(read.observation.facts?.meminfo).toMatch(/^MemTotal:/);
    expect(read.observation.facts?.zoneinfo).toMatch(/^Node 0, zone/);
    expect(trace.programs()).toEqual([...read.files.map(() => 'cat'), 'cat', 'getconf', 'grep', 'grep']);
    trace.removals();
  });
});

describe("the plan's read and the transaction on one shell (apply CONFIG)", () => {
  jest.setTimeout(30_000);
  const names = ['net.core.somaxconn', 'net.ipv4.tcp_rmem', 'net.core.no_such_sysctl'];

  it("reads as plan's read script does, leaves the shell waiting, and then runs the whole transaction on it", async () => {
    const transport = localShell();
    const shell = RemoteShell.start(transport, 'sh -s');
    const read = await readOnShell(shell, names, 10_000);
    const planned = parseRead(execFileSync('sh', ['-s'], { input: readScript(names, 'fedcba9876543210'), encoding: 'utf8' }), 'fedcba9876543210', new Set(names));
    expect(read?.complete).toBe(true);
    expect(read?.missing).toEqual(['net.core.no_such_sysctl']);
    expect(read?.observation.sysctls).toEqual(planned.observation.sysctls);
    expect(fingerprint(read!.observation.sysctls, read!.observation.persisted)).toBe(fingerprint(planned.observation.sysctls, planned.observation.persisted));
    // the shell waits for its next script, with no timeout, as long as the plan and the confirmation take
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(shell.running).toBe(true);
    const pid = transport.pid()!;

    const conversation = new Conversation(shell, transactionScript(), transactionData(input()), nonce, 30_000);
    expect(await conversation.until((l) => l.prepared)).toBe(true);
    // the transaction's own locked read, in this conversation's output only (not the plan's read before it)
    expect(conversation.output.startsWith(`@@tcpmem-${nonce} `)).toBe(true);
    expect(parseRead(conversation.output, nonce, new Set(input().readNames)).complete).toBe(true);
    expect(readFileSync(join(roots.run, 'tcpmem', readdirSync(join(roots.run, 'tcpmem'))[0]!, 'pid'), 'utf8')).toBe(`${pid} ${nonce}\n`);
    conversation.send('COMMIT');
    expect(await conversation.until((l) => l.outcome !== undefined)).toBe(true);
    conversation.end();
    expect((await conversation.done).code).toBe(0);
    expect(conversation.log).toMatchObject({ outcome: 'committed', persisted: 'written', wrote: ['net.core.somaxconn', 'net.ipv4.tcp_rmem'] });
    expect(readFileSync(procFile('net.core.somaxconn'), 'utf8')).toBe('8192\n');
    expect(readdirSync(join(roots.run, 'tcpmem'))).toEqual([]);
  });

  it('says there is no read when the shell ends before its read finished (sudo refused, say)', async () => {
    const shell = RemoteShell.start(localShell(), 'sh -c exit 1');
    expect(await readOnShell(shell, names, 10_000)).toBeUndefined();
    expect(shell.running).toBe(false);
  });

  it('kills a kept shell that does not end within the time the transaction arms, and says so', async () => {
    const transport = new LocalTransport({ env: { ...process.env, TCPMEM_PROC_SYS: roots.proc, TCPMEM_SYSCTL_D: roots.sysctlD, TCPMEM_RUN: roots.run } });
    const shell = RemoteShell.start(transport, 'sh -s');
    expect(await readOnShell(shell, names, 10_000)).toBeDefined();
    const before = snapshot();
    // the transaction waits for COMMIT (60 s) longer than the command may take (1 s)
    const conversation = new Conversation(shell, transactionScript(), transactionData(input({ waitSeconds: 60 })), nonce, 1_000);
    expect(await conversation.until((l) => l.prepared)).toBe(true);
    await expect(conversation.done).rejects.toMatchObject({ code: 'COMMAND_TIMEOUT', message: expect.stringContaining('the command did not finish within 1000 ms') });
    expect(shell.running).toBe(false);
    conversation.end(); // what the killed shell left waiting for COMMIT reads EOF
    // nothing changed; the killed holder's lock is left, as after any kill, and the next transaction takes it over
    const after = snapshot();
    const lock = Object.keys(after).filter((k) => !(k in before));
    expect(lock).toEqual([expect.stringMatching(/^\/run\/tcpmem\/ns-[0-9-]*lock\/pid$/)]);
    expect({ ...after, [lock[0]!]: undefined }).toEqual({ ...before, [lock[0]!]: undefined });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await runToEnd()).log.outcome).toBe('committed');
  });
});

describe('transactionData', () => {
  it('says what to do in data lines, values as integers', () => {
    expect(transactionData(input({ scanDirs: ['/etc/sysctl.d'], readNames: ['net.core.somaxconn'], file: { mode: 'write', text: 'a\nb\n' } }))).toBe(
      [`nonce ${nonce}`, 'wait 5', 'read net.core.somaxconn', 'scan /etc/sysctl.d', 'write net.core.somaxconn 8192', 'write net.ipv4.tcp_rmem 4096 131072 8388608', 'file write', 'text a', 'text b', 'go', '@@tcpmem-data', ''].join('\n'),
    );
  });

  it('never writes a data line that ends the here-document early', () => {
    const data = transactionData(input({ file: { mode: 'write', text: `${dataDelimiter}\n@@tcpmem-data\n` } }));
    expect(data.split('\n').filter((line) => line === dataDelimiter)).toEqual([dataDelimiter]);
    expect(data.endsWith(`go\n${dataDelimiter}\n`)).toBe(true);
  });

  it.each([
    ['a nonce that is not hex', input({ nonce: 'zz; rm -rf /' })],
    ['a sysctl name with shell in it', input({ writes: [{ sysctl: 'net.core.somaxconn;reboot', values: [1] }] })],
    ['a value that is not an integer', input({ writes: [{ sysctl: 'net.core.somaxconn', values: [Number.NaN] }] })],
    ['file text with control characters', input({ file: { mode: 'write', text: 'x\u001b[2J' } })],
    ['a folder with shell in it', input({ scanDirs: ['/etc/$(reboot)'] })],
  ])('refuses %s', (_name, i) => {
    expect(() => transactionData(i)).toThrow();
  });

  it('names its temporary file so that systemd-sysctl never reads it', () => {
    expect(tempFileOf(nonce)).toBe('/etc/sysctl.d/.99-tcpmem.conf.0123456789abcdef.tmp');
  });
});

describe('sendableScript', () => {
  it('sends transaction.sh without its delimiter line, comments, blank lines and indentation', () => {
    const file = readFileSync(transactionScriptPath, 'utf8');
    const sent = transactionScript();
    expect(file.trimEnd().endsWith(`\n${dataDelimiter}`)).toBe(true);
    expect(sent).not.toMatch(/^[ \t]*#/m);
    expect(sent).not.toMatch(/^[ \t]/m);
    expect(sent).not.toContain(`\n${dataDelimiter}\n`);
    expect(sent.trimEnd().endsWith(`} 3<&0 <<'${dataDelimiter}'`)).toBe(true);
    expect(sent.length).toBeLessThan(file.length * 0.6);
  });

  it('refuses a script that does not end with the delimiter line', () => {
    expect(() => sendableScript('{\necho x\n}\n')).toThrow(/delimiter/);
  });
});

describe('parseProtocolLine', () => {
  it.each([
    ['old net.core.somaxconn 4096', { kind: 'old', sysctl: 'net.core.somaxconn', values: [4096] }],
    ['verified net.ipv4.tcp_rmem 4096 131072 8388608', { kind: 'verified', sysctl: 'net.ipv4.tcp_rmem', values: [4096, 131072, 8388608] }],
    ['failed write net.ipv4.tcp_rmem printf: write error: Invalid argument', { kind: 'failed', stage: 'write', sysctl: 'net.ipv4.tcp_rmem', detail: 'printf: write error: Invalid argument' }],
    ['failed persist - mv: Read-only file system', { kind: 'failed', stage: 'persist', sysctl: undefined, detail: 'mv: Read-only file system' }],
    ['recovered rolled-back killed', { kind: 'recovered', outcome: 'rolled-back', cause: 'killed' }],
    ['recovered committed rollback-failed', { kind: 'recovered', outcome: 'committed', cause: 'rollback-failed' }],
    ['busy 4242', { kind: 'busy', holder: '4242' }],
    ['committed', { kind: 'committed' }],
    ['old net.core.somaxconn 12abc', undefined],
    ['sysctl net.core.somaxconn', undefined],
  ])('reads "%s"', (line, expected) => {
    expect(parseProtocolLine(line)).toEqual(expected);
  });

  it('tells a sysctl missing from the read section from one missing at prepare', () => {
    const log = emptyLog();
    for (const line of ['missing net.ipv4.tcp_mem', 'end', 'missing net.core.somaxconn']) foldLine(log, line);
    expect(log.missing).toEqual(['net.core.somaxconn']);
  });
});
