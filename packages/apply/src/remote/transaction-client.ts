/**
 * The client side of one host's transaction (transaction.sh) as a small explicit state machine: what the client
 * has heard or decided is an event, and the table below says, for each phase, where each event leads, which word
 * the client sends the script, and how the host's apply ends. Pure; ssh-executor.ts drives it.
 */

/** Where the client is in one host's transaction. */
export type ClientPhase =
  /** The script takes the lock and reads the host; the client waits for its `end` (or `busy`). */
  | 'reading'
  /**
   * The host was read under the lock; the client compares the fingerprint with the plan's while the script, on its
   * own (protocol 2), goes on to prepare.
   */
  | 'checking'
  /** The host is fresh; the script records the live values and checks the folder, changing nothing (in the read's reply). */
  | 'preparing'
  /** The script is prepared; the client compares the recorded values and decides to commit. */
  | 'confirming'
  /** COMMIT was sent; the script writes, verifies, persists or rolls back on its own. */
  | 'committing'
  | 'done';

/** What the client heard from the script or the transport, or decided. */
export type ClientEvent =
  /** `busy` / `nolock`: another transaction holds the host, or the lock could not be taken. */
  | 'locked-out'
  /** `end`: the read section is complete. */
  | 'read'
  /** The fingerprint matches the plan's. */
  | 'fresh'
  /** The fingerprint does not match: the host changed since the plan. */
  | 'stale'
  | 'prepared'
  /** `refused` or `aborted`: prepare found a sysctl missing or the folder unwritable. */
  | 'refused'
  /** A recorded live value differs from the plan's (changed between the read and the prepare). */
  | 'moved'
  /** The client decided to commit (its test hook is done, the session is still up). */
  | 'go'
  /** `committed`, `rolled-back` or `rollback-failed`. */
  | 'outcome'
  /** The command exited without the word the client waited for. */
  | 'ended'
  /** The transport failed: the connection was lost or the command timed out. */
  | 'lost'
  /** The run was interrupted twice (Ctrl-C, Ctrl-C): stop before COMMIT is sent. */
  | 'interrupted'
  /**
   * The run withdrew the host before COMMIT: a saved plan checked inside its transactions was refused because
   * another host is stale.
   */
  | 'withdrawn';

/** How a host's apply ends, decided by the last transition. */
export type ClientVerdict =
  /** Another transaction holds the host; nothing was changed. */
  | 'busy'
  /** The command ended before its read section (sudo refused, no sh). */
  | 'start-failed'
  | 'stale'
  /** Prepare refused (or the script stopped) before COMMIT; nothing was changed. */
  | 'prepare-failed'
  /** The session was lost before COMMIT was sent; nothing was changed. */
  | 'lost-untouched'
  /** The script said how its commit step ended. */
  | 'finished'
  /** COMMIT was sent and the script's last word was lost: read the host again to tell. */
  | 'settle'
  /** Stopped by the run's forced interruption before COMMIT; nothing was changed. */
  | 'interrupted'
  /** The run refused the saved plan (another host is stale) before COMMIT; nothing was changed. */
  | 'withdrawn';

export interface ClientTransition {
  readonly to: ClientPhase;
  /** The word the client sends the script on this transition (its only one: the script prepares on its own). */
  readonly send?: 'COMMIT';
  /** Set when the transaction is over for the client (it ends stdin). */
  readonly verdict?: ClientVerdict;
}

const over = (verdict: ClientVerdict): ClientTransition => ({ to: 'done', verdict });

/** The whole protocol, as data: every phase, every event it accepts, and where that leads. */
export const clientTransitions: Readonly<Record<ClientPhase, Partial<Record<ClientEvent, ClientTransition>>>> = {
  reading: { 'locked-out': over('busy'), read: { to: 'checking' }, ended: over('start-failed'), lost: over('lost-untouched') },
  checking: { fresh: { to: 'preparing' }, stale: over('stale'), interrupted: over('interrupted') },
  preparing: { prepared: { to: 'confirming' }, refused: over('prepare-failed'), ended: over('prepare-failed'), lost: over('lost-untouched') },
  confirming: { moved: over('stale'), go: { to: 'committing', send: 'COMMIT' }, ended: over('lost-untouched'), lost: over('lost-untouched'), interrupted: over('interrupted'), withdrawn: over('withdrawn') },
  committing: { outcome: over('finished'), ended: over('settle'), lost: over('settle') },
  done: {},
};

/** The transition for an event; throws on one the phase does not accept (a bug in the driver, not the host). */
export function step(phase: ClientPhase, event: ClientEvent): ClientTransition {
  const next = clientTransitions[phase][event];
  if (next === undefined) throw new Error(`transaction client: no transition from ${phase} on ${event}`);
  return next;
}

/** The failure stage a verdict reached in a phase reports (where the transaction stopped). */
export const stageOf = (phase: ClientPhase): 'read' | 'prepare' | 'commit' => (phase === 'reading' || phase === 'checking' ? 'read' : phase === 'committing' ? 'commit' : 'prepare');
