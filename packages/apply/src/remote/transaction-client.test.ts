import { clientTransitions, stageOf, step, type ClientEvent, type ClientPhase, type ClientTransition } from './transaction-client';

describe('the transaction client', () => {
  it.each<[ClientPhase, ClientEvent, ClientTransition]>([
    // reading: the script takes the lock and reads the host
    ['reading', 'read', { to: 'checking' }],
    ['reading', 'locked-out', { to: 'done', verdict: 'busy' }],
    ['reading', 'ended', { to: 'done', verdict: 'start-failed' }],
    ['reading', 'lost', { to: 'done', verdict: 'lost-untouched' }],
    // checking: the client compares fingerprints while the script prepares on its own (no word is sent)
    ['checking', 'fresh', { to: 'preparing' }],
    ['checking', 'stale', { to: 'done', verdict: 'stale' }],
    ['checking', 'interrupted', { to: 'done', verdict: 'interrupted' }],
    // preparing: nothing changes on the host
    ['preparing', 'prepared', { to: 'confirming' }],
    ['preparing', 'refused', { to: 'done', verdict: 'prepare-failed' }],
    ['preparing', 'ended', { to: 'done', verdict: 'prepare-failed' }],
    ['preparing', 'lost', { to: 'done', verdict: 'lost-untouched' }],
    // confirming: COMMIT goes only to a host whose recorded values are the plan's, over a live session
    ['confirming', 'go', { to: 'committing', send: 'COMMIT' }],
    ['confirming', 'moved', { to: 'done', verdict: 'stale' }],
    ['confirming', 'lost', { to: 'done', verdict: 'lost-untouched' }],
    ['confirming', 'interrupted', { to: 'done', verdict: 'interrupted' }],
    ['confirming', 'withdrawn', { to: 'done', verdict: 'withdrawn' }],
    // committing: the script finishes or rolls back on its own; a lost last word is settled by reading again
    ['committing', 'outcome', { to: 'done', verdict: 'finished' }],
    ['committing', 'ended', { to: 'done', verdict: 'settle' }],
    ['committing', 'lost', { to: 'done', verdict: 'settle' }],
  ])('in %s, on %s, goes to %o', (phase, event, transition) => {
    expect(step(phase, event)).toEqual(transition);
  });

  it.each<[ClientPhase, ClientEvent]>([
    ['reading', 'go'],
    ['checking', 'prepared'],
    ['preparing', 'go'],
    ['confirming', 'outcome'],
    ['committing', 'interrupted'],
    ['committing', 'withdrawn'],
    ['checking', 'withdrawn'],
    ['done', 'read'],
  ])('refuses, as a bug of its driver, %s on %s', (phase, event) => {
    expect(() => step(phase, event)).toThrow(/no transition/);
  });

  it('sends one word, COMMIT, on one transition only, reached only through a fresh and prepared host', () => {
    const sends = Object.entries(clientTransitions).flatMap(([from, events]) =>
      Object.entries(events).flatMap(([event, t]) => (t.send === undefined ? [] : [`${from} --${event}--> ${t.send}`])),
    );
    expect(sends).toEqual(['confirming --go--> COMMIT']);
    expect(clientTransitions.preparing.prepared?.to).toBe('confirming');
    expect(clientTransitions.checking.fresh?.to).toBe('preparing');
  });

  it('ends every failure before COMMIT as untouched and every one after it by reading the host again', () => {
    for (const [phase, events] of Object.entries(clientTransitions) as [ClientPhase, Record<string, ClientTransition>][]) {
      for (const t of Object.values(events)) {
        if (t.verdict === 'settle') expect(phase).toBe('committing');
        if (phase !== 'committing' && t.verdict !== undefined) expect(['busy', 'start-failed', 'stale', 'prepare-failed', 'lost-untouched', 'interrupted', 'withdrawn']).toContain(t.verdict);
      }
    }
  });

  it.each<[ClientPhase, string]>([
    ['reading', 'read'],
    ['checking', 'read'],
    ['preparing', 'prepare'],
    ['confirming', 'prepare'],
    ['committing', 'commit'],
  ])('reports a failure in %s at the %s stage', (phase, stage) => {
    expect(stageOf(phase)).toBe(stage);
  });
});
