import type { ApplyEvent } from '@tcpmem/apply';
import { printable } from '@tcpmem/schema';
import { renderAcceptedHostKey } from './host-keys';
import { terminalSafe } from './terminal-safe';
import type { Style } from './style';

/** What a host is doing, in a word, from its last event. */
const stateOf: Partial<Record<ApplyEvent['type'], string>> = {
  'host-started': 'connecting',
  'host-read': 'read, fingerprint checked',
  'host-prepared': 'prepared, committing',
  'host-written': 'written',
  'host-verified': 'verified',
  'host-persisted': 'persisted',
};

/** Lines of in-flight hosts shown at most. */
const MAX_ACTIVE_LINES = 8;

/**
 * The progress display of `tcpmem apply` on a terminal (stderr): a counts line (done, applied, failed,
 * unreachable, stale, elapsed) and the hosts in flight with their state, redrawn in place. On a stream that is
 * not a terminal it prints one line per finished host instead. It renders events; it decides nothing.
 */
export class ApplyProgress {
  private readonly active = new Map<string, string>();
  private total = 0;
  private done = 0;
  private readonly counts = { applied: 0, unchanged: 0, failed: 0, stale: 0, unreachable: 0, skipped: 0 };
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  private started = Date.now();
  private checking: { total: number; done: number } | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly style: Style,
  ) {}

  /** Feeds one event. */
  on(event: ApplyEvent): void {
    switch (event.type) {
      case 'run-started':
        this.total = event.hosts;
        this.started = Date.now() - event.elapsedMs;
        if (this.tty) this.timer = setInterval(() => { this.draw(); }, 250);
        break;
      case 'check-started':
        this.checking = { total: event.hosts, done: 0 };
        break;
      case 'host-checked':
        if (this.checking !== undefined) this.checking.done += 1;
        break;
      case 'batch-started':
        this.checking = undefined;
        break;
      case 'host-done':
        this.active.delete(event.host);
        this.done += 1;
        this.counts[event.result.status] += 1;
        if (!this.tty && event.result.status !== 'unchanged') this.stream.write(`${printable(`${event.host}: ${event.result.status}${event.result.failure === undefined ? '' : ` (${event.result.failure.message})`}`)}\n`);
        break;
      case 'run-done':
        this.stop();
        return;
      case 'host-key-accepted':
        this.note(renderAcceptedHostKey(event, this.style));
        return;
      case 'run-interrupted':
        this.note(
          this.style.yellow(
            event.forced
              ? `${event.signal} again: hosts not yet committing stop before COMMIT; waiting for those committing${event.running.length === 0 ? '' : ` (${event.running.map(printable).join(', ')})`}`
              : `${event.signal}: no new host is started; waiting for the hosts under way to finish or roll back${event.running.length === 0 ? '' : ` (${event.running.map(printable).join(', ')})`}; press Ctrl-C again to stop those not yet committing`,
          ),
        );
        return;
      default: {
        const state = stateOf[event.type];
        if (state !== undefined && 'host' in event) this.active.set(event.host, state);
      }
    }
    this.draw();
  }

  /** Prints a line above the display, which is then drawn again. */
  private note(line: string): void {
    this.clear();
    this.stream.write(`${terminalSafe(line)}\n`);
    this.draw();
  }

  /** Clears the display (before the summary is printed). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private get tty(): boolean {
    return this.stream.isTTY;
  }

  private clear(): void {
    if (!this.tty || this.drawn === 0) return;
    this.stream.write(`\u001b[${this.drawn}A\r\u001b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    if (!this.tty) return;
    const s = this.style;
    const elapsed = `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
    const c = this.counts;
    const head = this.checking !== undefined
      ? `checking the saved plan against the hosts: ${this.checking.done}/${this.checking.total} · ${elapsed}`
      : [
          `applying: ${this.done}/${this.total} done`,
          s.green(`${c.applied} applied`),
          `${c.unchanged} unchanged`,
          c.failed > 0 ? s.red(`${c.failed} failed`) : '',
          c.unreachable > 0 ? s.yellow(`${c.unreachable} unreachable`) : '',
          c.stale > 0 ? s.yellow(`${c.stale} stale`) : '',
          c.skipped > 0 ? `${c.skipped} skipped` : '',
          elapsed,
        ].filter((p) => p !== '').join(' · ');
    const hosts = [...this.active.entries()];
    const lines = [head, ...hosts.slice(0, MAX_ACTIVE_LINES).map(([host, state]) => s.dim(`  ${printable(host)}  ${state}`))];
    if (hosts.length > MAX_ACTIVE_LINES) lines.push(s.dim(`  … ${hosts.length - MAX_ACTIVE_LINES} more in flight`));
    this.clear();
    this.stream.write(`${terminalSafe(lines.join('\n'))}\n`);
    this.drawn = lines.length;
  }
}
