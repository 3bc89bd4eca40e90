import { randomBytes } from 'node:crypto';
import { checkWrite, getSysctl, isSysctlName, listSysctls, parseKernelRelease } from '@tcpmem/kernel-model';
import { fingerprint, persistedFile, sameValues, valueText } from '@tcpmem/plan';
import type { HostPlan } from '@tcpmem/schema';
import type { EmitEvent, HostTimings } from '../engine/apply-events';
import type { HostApplyResult, HostFailure, StaleSetting } from '../engine/apply-report';
import type { CheckOutcome, CommitGate, Executor, HostTask, StopSignal } from '../engine/executor';
import { hostFileText } from '../engine/host-work';
import { fail, resultBuilder, resultWithoutContact, type ResultBuilder } from '../engine/host-result';
import { describeStale, staleSettings } from '../engine/stale';
import { LocalTransportError, SshTransport, SshTransportError, type SshTransportOptions } from '../transport';
import { rootShellCommand, transportOptions } from './connect';
import { Conversation } from './conversation';
import { parseRead, type HostRead } from './read-script';
import { readOverTransport } from './read-host';
import type { RemoteShell } from './remote-shell';
import type { SessionPool } from './session-pool';
import { stageOf, step, type ClientEvent, type ClientPhase, type ClientTransition, type ClientVerdict } from './transaction-client';
import { transactionData, transactionScript, type FilePlan, type TransactionLog } from './transaction-script';

export interface SshExecutorOptions {
  /** Overrides every host's connectTimeout. */
  readonly connectTimeoutMs?: number;
  /** Overrides every host's commandTimeout: the whole transaction of one host must end within it. */
  readonly commandTimeoutMs?: number;
  /** How long the remote script waits for each of the client's lines before it gives up. Default 60 s. */
  readonly remoteWaitSeconds?: number;
  /** Where passphrases and SSH_AUTH_SOCK come from. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** For tests that break a host at a precise moment. */
  readonly testHooks?: TestHooks;
  /**
   * The live plan's connections, kept open (`apply CONFIG`): a host's transaction runs on its connection instead
   * of connecting again. A host without one (or whose connection was lost meanwhile) is connected to as before.
   */
  readonly sessions?: SessionPool;
}

export interface TestHooks {
  /** Awaited after PREPARED and before COMMIT is sent (the host is prepared and untouched). */
  readonly beforeCommit?: (host: string) => Promise<void>;
  /** Makes the remote commit step sleep after the live writes, before the file (to kill it half-way). */
  readonly pauseInCommitSeconds?: number;
}

/** The sysctls the read section reads: the registry's, as `plan` reads them, so that fingerprints compare. */
export const readNames = (): string[] => listSysctls().map((s) => s.name);

/**
 * The remote command: the script on stdin, as root through `sudo -n`, unless the host says `sudo: false` or the
 * SSH user (as the transport resolved it: the config's, else the local user's) is root.
 */
export function remoteCommand(plan: HostPlan, username: string): string {
  return rootShellCommand(plan.ssh, username);
}

/** One open session on a host, where its transaction's commands run: an SSH connection, or this machine. */
export interface HostSession {
  exec: SshTransport['exec'];
  /** False once the session is closed or lost. */
  readonly connected: boolean;
  /** Ends the session: politely within `waitMs` (when given), else at once. */
  close(waitMs?: number): Promise<void>;
}

/**
 * Where the transactions run: hosts over SSH, or this machine (`apply --local`). The one difference between the
 * two executors; the transaction, its client and every verdict are shared.
 */
export interface TransactionSite {
  readonly kind: 'ssh' | 'local';
  /**
   * Opens a session on the host; throws (an SshTransportError over SSH) when it cannot be reached. Host keys
   * accept-new trusts on the way are told to `emit`; `connectWithinMs` caps the time to connect.
   */
  open(plan: HostPlan, emit: EmitEvent, connectWithinMs?: number): Promise<OpenSession>;
  /** What to do when the transaction may not take its lock (it does not run as root), for `command`. */
  notRootFix(command: string): string;
}

/** A session opened for a host, with the command that runs the transaction there and how long it may take. */
export interface OpenSession {
  readonly session: HostSession;
  /** `sudo -n sh -s` or `sh -s`. */
  readonly command: string;
  /** The whole transaction must end within it. */
  readonly timeoutMs: number;
  /** Set when the session is the live plan's connection, kept open: what connecting and reading cost then. */
  readonly reused?: { readonly connectMs: number; readonly readMs: number; readonly shell: boolean };
  /**
   * The shell (running `command`) the live plan's read ran on, kept waiting for the transaction (`apply CONFIG`):
   * the transaction runs on it instead of starting one.
   */
  readonly shell?: RemoteShell;
}

/** The code of a transport's error (SSH's or this machine's), undefined for any other error. */
const transportCode = (error: unknown): string | undefined => (error instanceof SshTransportError || error instanceof LocalTransportError ? error.code : undefined);

/** How long to wait for the remote lock of a transaction that lost its connection while committing. */
const RECHECK_ATTEMPTS = 20;
const RECHECK_DELAY_MS = 250;
/** After the command timeout, what is left to read the host again (and close) before the host's result is given. */
const SETTLE_GRACE_MS = 1_000;
/** How long a polite close of a connection may take before it is dropped. */
const CLOSE_WAIT_MS = 2_000;

/**
 * The SSH executor: per host, one connection and one remote transaction (see transaction-script.ts) that reads
 * the host again, checks the plan's fingerprint, prepares, and commits on the client's word.
 */
export function sshExecutor(options: SshExecutorOptions = {}): Executor {
  const env = options.env ?? process.env;
  /** The host's transport options; every host key accept-new adds on the way is told to `emit`. */
  const connectOptions = (plan: HostPlan, emit: EmitEvent): SshTransportOptions => {
    const base = transportOptions(plan.address ?? plan.name, plan.ssh ?? {}, env);
    return {
      ...base,
      onHostKeyAccepted: (key) => {
        emit({ type: 'host-key-accepted', host: plan.name, address: key.host, port: key.port, keyType: key.keyType, fingerprint: key.fingerprint, file: key.file });
      },
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
    };
  };
  return transactionExecutor(
    {
      kind: 'ssh',
      open: async (plan, emit, connectWithinMs) => {
        const base = connectOptions(plan, emit);
        const pooled = options.sessions?.take(plan.name);
        if (pooled !== undefined) {
          const command = remoteCommand(plan, base.username);
          // the shell the plan's read ran on, still waiting (the same command): the transaction runs on it
          const shell = pooled.shell !== undefined && pooled.shell.running && pooled.shell.command === command ? pooled.shell : undefined;
          if (shell === undefined) pooled.shell?.end();
          return { session: pooled.transport, command, timeoutMs: base.commandTimeoutMs ?? 60_000, reused: { connectMs: pooled.connectMs, readMs: pooled.readMs, shell: shell !== undefined }, ...(shell === undefined ? {} : { shell }) };
        }
        const opts = connectWithinMs === undefined ? base : { ...base, connectTimeoutMs: Math.min(base.connectTimeoutMs ?? 10_000, connectWithinMs) };
        const session = await SshTransport.connect(opts);
        return { session, command: remoteCommand(plan, opts.username), timeoutMs: opts.commandTimeoutMs ?? 60_000 };
      },
      notRootFix: (command) =>
        command.startsWith('sudo')
          ? 'check that sudo runs sh as root on the host'
          : 'the transaction runs as the SSH user itself (ssh.sudo: false, or the user is not root); connect as root (ssh.user: root) or let it use sudo (ssh.sudo: true)',
    },
    options,
  );
}

/** What a transaction executor needs besides its site: the remote wait, the clock, the test hooks. */
export type TransactionExecutorOptions = Pick<SshExecutorOptions, 'remoteWaitSeconds' | 'testHooks'>;

/** Resolves when `work` settles or after `ms`, whichever comes first; never rejects. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.then(() => undefined, () => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * An executor that runs transaction.sh per host at a site (over SSH, or on this machine): per host, one session
 * and one transaction that reads the host again, checks the plan's fingerprint, prepares, and commits on the
 * client's word; a connection lost after COMMIT is settled by reading the host again under its lock.
 */
export function transactionExecutor(site: TransactionSite, options: TransactionExecutorOptions = {}): Executor {
  const names = readNames();
  const managed = new Set(names);
  /** Sessions of finished hosts still closing (their exit status, then the connection): awaited by drain(). */
  const closing = new Set<Promise<void>>();
  const timings = new Map<string, HostTimings>();
  const closed = new Map<string, number>();
  const inBackground = (work: Promise<void>): void => {
    closing.add(work);
    void work.finally(() => closing.delete(work));
  };

  const check = async (task: HostTask, emit: EmitEvent): Promise<CheckOutcome> => {
    let session: HostSession | undefined;
    try {
      session = (await site.open(task.plan, emit)).session;
      const read = await readOverTransport(session, names);
      return compare(task.plan, read);
    } catch (error) {
      const code = transportCode(error);
      if (code !== undefined) return { unreachable: true, code, message: (error as Error).message };
      return { unreachable: true, code: 'TCPMEM_APPLY_READ_FAILED', message: (error as Error).message };
    } finally {
      await session?.close();
    }
  };

  const apply = async (task: HostTask, emit: EmitEvent, stop?: StopSignal, gate?: CommitGate): Promise<HostApplyResult> => {
    const clock: PhaseClock = { started: Date.now() };
    try {
      return await transact(task, emit, clock, stop, gate);
    } finally {
      timings.set(task.plan.name, phaseTimings(clock));
    }
  };

  const transact = async (task: HostTask, emit: EmitEvent, clock: PhaseClock, stop?: StopSignal, gate?: CommitGate): Promise<HostApplyResult> => {
    const started = clock.started;
    const { plan, work } = task;
    const host = plan.name;
    const result = resultBuilder(task, started);
    emit({ type: 'host-started', host, ...(plan.address === undefined ? {} : { address: plan.address }) });

    let opened: OpenSession;
    try {
      opened = await site.open(plan, emit);
    } catch (error) {
      const e = error instanceof SshTransportError || error instanceof LocalTransportError ? error : new SshTransportError('CONNECT_FAILED', { host: plan.address ?? plan.name, port: plan.ssh?.port ?? 22, via: [] }, String(error));
      emit({ type: 'host-unreachable', host, code: e.code, message: e.message });
      return result.unreachable(e.code, e.message);
    }
    const { session: transport, command } = opened;
    clock.connected = Date.now();
    if (opened.reused !== undefined) clock.reused = opened.reused;

    const nonce = randomBytes(8).toString('hex');
    const file: FilePlan = !work.fileChanged
      ? { mode: 'keep' }
      : work.fileEntries.length === 0
        ? { mode: 'remove' }
        : { mode: 'write', text: hostFileText(work, task.header.tcpmemVersion) };
    const data = transactionData({
      nonce,
      readNames: names,
      writes: work.writes,
      file,
      waitSeconds: options.remoteWaitSeconds ?? 60,
      ...(options.testHooks?.pauseInCommitSeconds === undefined ? {} : { pauseInCommitSeconds: options.testHooks.pauseInCommitSeconds }),
    });
    // the command timeout bounds the whole transaction, and what is done after it to tell the host's state
    const deadline = Date.now() + opened.timeoutMs;
    const conversation = opened.shell !== undefined ? new Conversation(opened.shell, transactionScript(), data, nonce, opened.timeoutMs) : Conversation.start(transport, command, transactionScript(), data, nonce, opened.timeoutMs);
    const log = conversation.log;

    // the client's state machine (transaction-client.ts): each event moves it on, sends the script its word,
    // and, once the transaction is over for the client, ends stdin and says how the host's apply ends
    let phase: ClientPhase = 'reading';
    let lost: Error | undefined;
    const advance = (event: ClientEvent): ClientTransition => {
      const transition = step(phase, event);
      phase = transition.to;
      if (transition.send !== undefined) conversation.send(transition.send);
      if (transition.verdict !== undefined) conversation.end();
      return transition;
    };
    /** Waits until the log says `ready`, then names what was heard; `ended` or `lost` when the command went. */
    const listen = async (ready: (l: TransactionLog) => boolean, heard: (l: TransactionLog) => ClientEvent): Promise<ClientEvent> => {
      try {
        return (await conversation.until(ready)) ? heard(log) : 'ended';
      } catch (error) {
        lost = error instanceof Error ? error : new Error(String(error));
        return 'lost';
      }
    };
    const phaseNow = (): ClientPhase => phase;
    let stale: readonly StaleSetting[] = [];
    let stoppedIn: ClientPhase = phase;

    const conclude = async (verdict: ClientVerdict): Promise<HostApplyResult> => {
      const lostCode = transportCode(lost);
      switch (verdict) {
        case 'busy':
          if (log.lockFailed !== undefined) return fail(emit, result, 'untouched', lockFailure(log.lockFailed, site.notRootFix(command)));
          return fail(emit, result, 'untouched', { stage: 'lock', code: 'TCPMEM_APPLY_BUSY', message: `${log.busy ?? 'the host is locked'}; nothing was changed` });
        case 'start-failed': {
          const ended = await conversation.done;
          return fail(emit, result, 'untouched', startFailure(command, ended.code, ended.stderr));
        }
        case 'stale':
          emit({ type: 'host-stale', host, settings: stale });
          return result.stale(stale);
        case 'prepare-failed':
          return fail(emit, result, 'untouched', prepareFailure(log));
        case 'lost-untouched': {
          const stage = stageOf(stoppedIn);
          const waited = stoppedIn === 'confirming' ? ' while the transaction waited for COMMIT' : '';
          return fail(emit, result, 'untouched', {
            stage,
            code: lostCode ?? (lost === undefined ? 'CONNECTION_LOST' : 'TCPMEM_APPLY_FAILED'),
            message: `${lost?.message ?? 'the connection was lost'}${waited}; the host was not changed (nothing is written before COMMIT)`,
          });
        }
        case 'interrupted':
          return fail(emit, result, 'untouched', {
            stage: stageOf(stoppedIn),
            code: 'TCPMEM_APPLY_INTERRUPTED',
            message: 'stopped by a second interrupt before COMMIT was sent; the host was not changed (nothing is written before COMMIT)',
          });
        case 'withdrawn':
          // the run replaces this result (the saved plan is refused as a whole); nothing was changed
          return resultWithoutContact(task, 'skipped', 'the plan was refused: other hosts are stale; the host was not changed (nothing is written before COMMIT)');
        case 'finished':
          // committed: the host is done; its exit status and the close are awaited in the background (drain)
          if (log.outcome !== 'committed') await conversation.done.catch(() => undefined);
          return await finish(task, emit, result, log, deadline);
        case 'settle':
          await conversation.done.catch(() => undefined);
          return await settleUnknown(task, emit, result, lost === undefined ? undefined : { code: lostCode ?? 'TCPMEM_APPLY_FAILED', message: lost.message }, deadline);
      }
    };
    const move = async (event: ClientEvent): Promise<HostApplyResult | undefined> => {
      stoppedIn = phase;
      const transition = advance(event);
      return transition.verdict === undefined ? undefined : await conclude(transition.verdict);
    };

    try {
      let over: HostApplyResult | undefined;
      // 1. the host read again, under the lock
      over = await move(await listen((l) => l.readDone || lockedOut(l), (l) => (lockedOut(l) ? 'locked-out' : 'read')));
      if (over !== undefined) return over;
      clock.read = Date.now();
      const read = parseRead(conversation.output, nonce, managed);
      const freshness = compare(plan, read);
      const recovered = log.recovered === undefined ? undefined : recoveryNote(log.recovered);
      const fresh = 'fresh' in freshness && freshness.fresh;
      emit({ type: 'host-read', host, fresh, ...(recovered === undefined ? {} : { recovered }) });
      if (recovered !== undefined) result.warn(recovered);
      if (!fresh) stale = 'stale' in freshness ? freshness.stale : [];
      over = await move(!fresh ? 'stale' : stop?.stopped === true ? 'interrupted' : 'fresh');
      if (over !== undefined) return over;

      // 2. prepare: nothing changes on the host (the script prepares on its own, in the read's reply)
      over = await move(await listen((l) => l.prepared || l.refused || l.aborted, (l) => (l.prepared ? 'prepared' : 'refused')));
      if (over !== undefined) return over;
      clock.prepared = Date.now();
      // changed between the read and the prepare by something other than tcpmem (we hold the lock)
      const moved = work.writes.filter((w) => !sameOrAbsent(log.old.get(w.sysctl), w.before));
      if (moved.length > 0) {
        stale = moved.map((w) => ({ sysctl: w.sysctl, where: 'live' as const, planned: w.before === null ? null : valueText(w.before), now: textOrNull(log.old.get(w.sysctl)) }));
        return (await move('moved')) ?? result.stale(stale);
      }
      emit({ type: 'host-prepared', host, recorded: work.writes.map((w) => ({ sysctl: w.sysctl, values: log.old.get(w.sysctl) ?? [] })) });
      // a saved plan checked inside its transactions: every host waits here, locked and prepared, until the run
      // knows that none is stale (else it withdraws them all, untouched)
      if (gate !== undefined) {
        const go = await gate();
        clock.gated = Date.now();
        if (!go) return (await move('withdrawn')) ?? resultWithoutContact(task, 'skipped', 'withdrawn');
      }
      if (options.testHooks?.beforeCommit !== undefined) await options.testHooks.beforeCommit(host);
      // the session may be gone (connection lost, command timeout) before COMMIT could be sent
      const gone = !transport.connected || conversation.outcome !== undefined;
      if (gone && conversation.outcome instanceof Error) lost = conversation.outcome;
      over = await move(gone ? 'lost' : stop?.stopped === true ? 'interrupted' : 'go');
      if (over !== undefined) return over;

      // 3. commit
      clock.commitSent = Date.now();
      over = await move(await listen((l) => l.outcome !== undefined, () => 'outcome'));
      clock.committed = Date.now();
      return over ?? (await conclude('settle'));
    } catch (error) {
      conversation.end();
      lost = error instanceof Error ? error : new Error(String(error));
      const where = phaseNow();
      stoppedIn = where;
      return await conclude(where === 'committing' ? 'settle' : 'lost-untouched');
    } finally {
      // in the background: the host is done once its outcome is known; its exit status (briefly) and the close of
      // its connection are awaited by drain() before the run ends. Past the deadline, the connection is dropped at
      // once rather than closed politely.
      conversation.end();
      const closeFrom = Date.now();
      const waitMs = Math.max(0, Math.min(CLOSE_WAIT_MS, deadline + SETTLE_GRACE_MS - closeFrom));
      inBackground(
        (async () => {
          await within(conversation.done, waitMs);
          await transport.close(Math.max(0, waitMs - (Date.now() - closeFrom)));
          closed.set(host, Date.now() - closeFrom);
        })(),
      );
    }
  };

  /**
   * The connection went away after COMMIT was sent: the remote commit step finishes (or rolls back) on its
   * own. Read the host again, under the lock (which also recovers a journal left by a killed commit), to tell —
   * within what is left of the command timeout (and a second of grace), so that the timeout holds.
   */
  const settleUnknown = async (task: HostTask, emit: EmitEvent, result: ResultBuilder, lost: { code: string; message: string } | undefined, deadline: number): Promise<HostApplyResult> => {
    const why = lost === undefined ? 'the transaction ended without saying how' : `the connection was lost after COMMIT (${lost.message})`;
    const again = await reread(task, result, emit, deadline + SETTLE_GRACE_MS);
    if (again === undefined) {
      const within = Date.now() >= deadline ? ' within the command timeout' : '';
      return fail(emit, result, 'unknown', { stage: 'commit', code: 'TCPMEM_APPLY_OUTCOME_UNKNOWN', message: `${why}, and the host could not be read again${within}; run \`tcpmem plan\` to see its state (a journal on the host lets the next apply undo a half-done commit)` });
    }
    if (again.state === 'changed') {
      result.warn(`${why}; reading the host again shows every change in place`);
      return result.appliedFromRead(again.read.observation.sysctls);
    }
    if (again.state === 'as-planned') {
      return fail(emit, result, again.recovered?.outcome === 'rolled-back' ? 'rolled-back' : 'untouched', { stage: 'commit', code: lost?.code ?? 'TCPMEM_APPLY_FAILED', message: `${why}; reading the host again shows it as it was before` });
    }
    return fail(emit, result, 'unknown', { stage: 'commit', code: 'TCPMEM_APPLY_OUTCOME_UNKNOWN', message: `${why}; the host now matches neither the plan nor its state before: ${describeStale(staleSettings(task.plan.observed, again.read.observation))}` });
  };

  /**
   * Reads the host again under its lock (waiting while another transaction holds it; recovering a journal
   * first), and judges what it holds. Undefined when it cannot be read.
   */
  const reread = async (task: HostTask, result: ResultBuilder, emit: EmitEvent, until: number): Promise<{ read: HostRead; recovered: TransactionLog['recovered']; state: 'changed' | 'as-planned' | 'other' } | undefined> => {
    for (let attempt = 0; attempt < RECHECK_ATTEMPTS && Date.now() < until; attempt++) {
      const read = await readUnderLock(task, emit, until).catch(() => undefined);
      if (read === 'busy') {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(RECHECK_DELAY_MS, until - Date.now()))));
        continue;
      }
      if (read === undefined) return undefined;
      if (read.recovered !== undefined) result.warn(recoveryNote(read.recovered));
      return { ...read, state: judge(task, read.read) };
    }
    return undefined;
  };

  /** Runs the transaction script only up to its read section (taking the lock, recovering a journal), then ends. */
  const readUnderLock = async (task: HostTask, emit: EmitEvent, until: number): Promise<{ read: HostRead; recovered: TransactionLog['recovered'] } | 'busy'> => {
    const left = (): number => Math.max(1, until - Date.now());
    const { session: transport, command } = await site.open(task.plan, emit, left());
    try {
      const nonce = randomBytes(8).toString('hex');
      const data = transactionData({ nonce, readNames: names, writes: [], file: { mode: 'keep' }, waitSeconds: 5 });
      const conversation = Conversation.start(transport, command, transactionScript(), data, nonce, Math.min(30_000, left()));
      const ok = await conversation.until((l) => l.readDone || lockedOut(l));
      conversation.end();
      await conversation.done.catch(() => undefined);
      if (!ok) throw new Error('the read did not finish');
      if (conversation.log.lockFailed !== undefined) throw new Error(conversation.log.lockFailed);
      if (conversation.log.busy !== undefined) return 'busy';
      return { read: parseRead(conversation.output, nonce, managed), recovered: conversation.log.recovered };
    } finally {
      await transport.close(Math.min(CLOSE_WAIT_MS, left()));
    }
  };

  const compare = (plan: HostPlan, read: HostRead): CheckOutcome => {
    if (!read.complete) return { unreachable: true, code: 'TCPMEM_APPLY_READ_FAILED', message: 'the read script did not finish' };
    const now = fingerprint(read.observation.sysctls, read.observation.persisted);
    if (plan.observed !== undefined && now === plan.observed.fingerprint) return { fresh: true };
    return { fresh: false, stale: staleSettings(plan.observed, read.observation) };
  };

  /** Whether a host read again holds the plan's result, its state before, or neither. */
  const judge = (task: HostTask, read: HostRead): 'changed' | 'as-planned' | 'other' => {
    const o = read.observation;
    if (fingerprint(o.sysctls, o.persisted) === task.plan.observed?.fingerprint) return task.work.writes.length === 0 && !task.work.fileChanged ? 'changed' : 'as-planned';
    const liveOk = task.work.writes.every((w) => sameValues(o.sysctls.get(w.sysctl), w.values));
    const own = o.persisted?.own ?? new Map<string, readonly number[]>();
    const fileOk = !task.work.fileChanged || (own.size === task.work.fileEntries.length && task.work.fileEntries.every(([n, v]) => sameValues(own.get(n), v)));
    return liveOk && fileOk ? 'changed' : 'other';
  };

  const finish = async (task: HostTask, emit: EmitEvent, result: ResultBuilder, log: TransactionLog, deadline: number): Promise<HostApplyResult> => {
    const host = task.plan.name;
    const values = (names: Iterable<[string, readonly number[]]>) => [...names].map(([sysctl, v]) => ({ sysctl, values: v }));
    const wrote = task.work.writes.filter((w) => log.wrote.includes(w.sysctl)).map((w) => ({ sysctl: w.sysctl, values: w.values }));
    if (wrote.length > 0) emit({ type: 'host-written', host, sysctls: wrote });
    if (log.outcome === 'committed') {
      if (log.verified.size > 0) emit({ type: 'host-verified', host, sysctls: values(log.verified) });
      if (log.persisted !== undefined) emit({ type: 'host-persisted', host, file: persistedFile, action: log.persisted });
      return result.committed(log);
    }
    const failure = commitFailure(task, log);
    if (log.outcome === 'rolled-back') {
      const restored = values(log.restored);
      const touched = log.wrote.length > 0 || log.failed?.stage === 'write';
      if (touched) emit({ type: 'host-rolled-back', host, failure, restored });
      return fail(emit, result, touched ? 'rolled-back' : 'untouched', failure, log);
    }
    // a restore did not take: say what the host holds now, read again (that transaction retries the journal)
    const detail = [...log.restoreFailed].map(([sysctl, why]) => `${sysctl}: ${why || 'the value read back differs'}`).join('; ');
    const failedRestore = `${failure.message}; then restoring failed (${detail})`;
    const again = await reread(task, result, emit, deadline + SETTLE_GRACE_MS);
    if (again?.state === 'as-planned') {
      return fail(emit, result, 'rolled-back', { ...failure, message: `${failedRestore}; reading the host again shows it as it was before` }, log);
    }
    if (again?.state === 'changed') {
      return fail(emit, result, 'changed', { ...failure, message: `${failedRestore}; reading the host again shows the plan's values in place` }, log);
    }
    const now = again === undefined ? 'the host could not be read again' : `reading the host again shows it changed: ${describeStale(staleSettings(task.plan.observed, again.read.observation))}`;
    return fail(emit, result, 'unknown', { ...failure, message: `${failedRestore}; ${now}; the journal on the host lets the next apply try again` }, log);
  };

  /** Waits for every session still closing in the background (each bounded by CLOSE_WAIT_MS). */
  const drain = async (): Promise<Record<string, number>> => {
    while (closing.size > 0) await Promise.all([...closing]);
    return Object.fromEntries(closed);
  };

  return { kind: site.kind, check, apply, gated: true, drain, timingsOf: (host) => timings.get(host) };
}

/** A recorded live value equals the plan's `before` (both absent counts as equal). */
const sameOrAbsent = (recorded: readonly number[] | undefined, before: readonly number[] | null): boolean =>
  recorded === undefined || before === null ? recorded === undefined && before === null : sameValues(recorded, before);

const textOrNull = (values: readonly number[] | undefined): string | null => (values === undefined ? null : valueText(values));

function recoveryNote(recovered: NonNullable<TransactionLog['recovered']>): string {
  const what = recovered.cause === 'killed' ? 'was killed during its commit' : 'could not roll back its commit';
  switch (recovered.outcome) {
    case 'committed':
      return recovered.cause === 'killed'
        ? 'an earlier tcpmem transaction on this host was killed right after its commit; its journal was cleared'
        : `an earlier tcpmem transaction on this host ${what}, but its file was in place; its journal was cleared`;
    case 'rolled-back':
      return `an earlier tcpmem transaction on this host ${what}; its journal was used to restore the values it had written`;
    case 'failed':
      return `an earlier tcpmem transaction on this host ${what} and its journal could not be fully applied`;
  }
}

/** The script stopped at its lock: another transaction holds it, or it could not be made at all. */
const lockedOut = (log: TransactionLog): boolean => log.busy !== undefined || log.lockFailed !== undefined;

/** The lock could not be made (not `busy`): almost always the transaction not running as root. */
function lockFailure(detail: string, fix: string): HostFailure {
  return { stage: 'lock', code: 'TCPMEM_APPLY_NOT_ROOT', message: `cannot take tcpmem's lock on the host (${detail}); nothing was changed: the transaction must run as root; ${fix}` };
}

/** The command ended before its read section: sudo refused, no sh, the script failed. */
function startFailure(command: string, code: number | null, stderr: string): HostFailure {
  const text = stderr.trim().replace(/\s+/g, ' ').slice(0, 300);
  if (command.startsWith('sudo') && /sudo|password|tty|not allowed|not in the sudoers/i.test(text)) {
    return { stage: 'sudo', code: 'TCPMEM_APPLY_SUDO_REFUSED', message: `sudo -n was refused (${text || `exit ${String(code)}`}); nothing was changed. Give the SSH user passwordless sudo for \`sh\`, or connect as root (ssh.user: root)` };
  }
  return { stage: 'read', code: 'TCPMEM_APPLY_READ_FAILED', message: `the remote script ended before reading the host (exit ${String(code)}${text === '' ? '' : `: ${text}`}); nothing was changed` };
}

function prepareFailure(log: TransactionLog): HostFailure {
  if (log.missing.length > 0) {
    return { stage: 'prepare', code: 'TCPMEM_APPLY_SYSCTL_MISSING', sysctl: log.missing[0]!, message: `${log.missing.join(', ')} cannot be read on the host any more; nothing was changed` };
  }
  if (log.unwritable !== undefined) {
    return { stage: 'prepare', code: 'TCPMEM_APPLY_UNWRITABLE', message: `${persistedFile.slice(0, persistedFile.lastIndexOf('/'))} is not writable (${log.unwritable}); nothing was changed, since a value tcpmem cannot persist would be lost at the next boot` };
  }
  return { stage: 'prepare', code: 'TCPMEM_APPLY_ABORTED', message: 'the remote transaction stopped before its commit; nothing was changed' };
}

const errnoNames: readonly [RegExp, string][] = [
  [/invalid argument/i, 'EINVAL'],
  [/permission denied/i, 'EACCES'],
  [/operation not permitted/i, 'EPERM'],
  [/read-only file system/i, 'EROFS'],
  [/no such file|nonexistent/i, 'ENOENT'],
  [/no space left/i, 'ENOSPC'],
  [/input\/output error|I\/O error/i, 'EIO'],
];

const errnoOf = (detail: string): string | undefined => errnoNames.find(([re]) => re.test(detail))?.[1];

/** The failure of a commit step that rolled back, in an operator's words, with kernel-model's reading of it. */
function commitFailure(task: HostTask, log: TransactionLog): HostFailure {
  const failed = log.failed ?? { stage: 'commit', sysctl: undefined, detail: 'the commit step failed' };
  const sysctl = failed.sysctl;
  const write = task.work.writes.find((w) => w.sysctl === sysctl);
  const errno = errnoOf(failed.detail);
  switch (failed.stage) {
    case 'write': {
      const value = write?.values.join(' ') ?? '?';
      if (errno === 'EROFS') {
        // Not the value: /proc/sys is mounted read-only here (a container, a locked-down namespace).
        return {
          stage: 'write',
          code: 'TCPMEM_APPLY_KERNEL_REJECTED',
          ...(sysctl === undefined ? {} : { sysctl }),
          message: `${sysctl ?? '?'} = ${value} could not be written: /proc/sys is read-only on this host (EROFS: ${failed.detail}), as in a container or a read-only mount; the value itself was not refused`,
        };
      }
      let explained = '';
      const version = parseKernelRelease(task.plan.observed?.release ?? task.plan.kernel?.release ?? '');
      if (write !== undefined && version !== undefined && isSysctlName(write.sysctl)) {
        const check = checkWrite(write.sysctl, write.values, version);
        if (!check.accepted) {
          const field = check.elementIndex === undefined ? '' : ` on element ${check.elementIndex} (${getSysctl(write.sysctl).fields[check.elementIndex] ?? '?'})`;
          explained = `; kernel-model agrees${field}: ${check.reason}`;
        } else {
          explained = '; kernel-model expected this kernel to accept it';
        }
      }
      return {
        stage: 'write',
        code: 'TCPMEM_APPLY_KERNEL_REJECTED',
        ...(sysctl === undefined ? {} : { sysctl }),
        message: `the kernel refused ${sysctl ?? '?'} = ${value} (${errno ?? 'error'}: ${failed.detail})${explained}`,
      };
    }
    case 'verify':
      return {
        stage: 'verify',
        code: 'TCPMEM_APPLY_VERIFY_MISMATCH',
        ...(sysctl === undefined ? {} : { sysctl }),
        message: `${sysctl ?? '?'} was written as ${write?.values.join(' ') ?? '?'} but ${failed.detail}`,
      };
    case 'persist':
      return { stage: 'persist', code: 'TCPMEM_APPLY_PERSIST_FAILED', message: `writing ${persistedFile} failed (${errno === undefined ? '' : `${errno}: `}${failed.detail})` };
    default:
      return { stage: 'commit', code: 'TCPMEM_APPLY_FAILED', message: failed.detail };
  }
}


/** When one host's transaction reached each step, on the client's clock (ms since the epoch). */
interface PhaseClock {
  readonly started: number;
  connected?: number;
  /** The live plan's connection was kept for the transaction: what connecting and reading cost then. */
  reused?: { readonly connectMs: number; readonly readMs: number; readonly shell: boolean };
  read?: number;
  prepared?: number;
  /** A saved plan's hosts wait at the gate until every host is known fresh. */
  gated?: number;
  commitSent?: number;
  committed?: number;
}

/** The per-phase durations of one host's transaction (what `host-timings` carries). */
function phaseTimings(clock: PhaseClock): HostTimings {
  const span = (from: number | undefined, to: number | undefined): number | undefined => (from === undefined || to === undefined ? undefined : to - from);
  const entries: [keyof HostTimings, number | undefined][] = [
    ['connectMs', span(clock.started, clock.connected)],
    ['readMs', span(clock.connected, clock.read)],
    ['prepareMs', span(clock.read, clock.prepared)],
    ['gateMs', span(clock.prepared, clock.gated)],
    ['commitMs', span(clock.commitSent, clock.committed)],
    ['planConnectMs', clock.reused?.connectMs],
    ['planReadMs', clock.reused?.readMs],
  ];
  const timings: Record<string, number | boolean> = { reused: clock.reused !== undefined, ...(clock.reused === undefined ? {} : { reusedShell: clock.reused.shell }) };
  for (const [key, value] of entries) if (value !== undefined) timings[key] = value;
  return timings as unknown as HostTimings;
}
