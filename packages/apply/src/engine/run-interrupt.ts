import type { StopSignal } from './executor';

/** The signals that interrupt a run. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/**
 * A run's interruption, told from outside (the CLI's signal handlers): the first `interrupt()` asks the engine to
 * start no new host; the second forces the hosts under way to stop before their COMMIT (a StopSignal for the
 * executor). Plain and synchronous, so tests drive it without signals.
 */
export class RunInterrupt implements StopSignal {
  private count = 0;
  private signal: InterruptSignal | undefined;
  private readonly interruptListeners = new Set<(signal: InterruptSignal, forced: boolean) => void>();
  private readonly stopListeners = new Set<() => void>();

  /** The first signal received, if any. */
  get received(): InterruptSignal | undefined {
    return this.signal;
  }

  /** True after a second signal: transactions not yet sent COMMIT are to stop. */
  get stopped(): boolean {
    return this.count >= 2;
  }

  /** Records a signal; the first interrupts, the second forces, later ones change nothing. */
  interrupt(signal: InterruptSignal): void {
    this.count += 1;
    if (this.count > 2) return;
    this.signal ??= signal;
    for (const listener of [...this.interruptListeners]) listener(signal, this.count === 2);
    if (this.count === 2) for (const listener of [...this.stopListeners]) listener();
  }

  /** Calls `listener` on the first and the second signal; returns the function that stops listening. */
  onInterrupt(listener: (signal: InterruptSignal, forced: boolean) => void): () => void {
    this.interruptListeners.add(listener);
    return () => this.interruptListeners.delete(listener);
  }

  onStop(listener: () => void): () => void {
    if (this.stopped) {
      listener();
      return () => undefined;
    }
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }
}
