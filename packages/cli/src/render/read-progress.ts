import type { LiveReadProgress } from '@tcpmem/app';

/**
 * Draws the progress of live reads on one terminal line (`reading hosts: 3/40 done, 1 unreachable, 2.1 s`) and
 * clears it at the end; draws nothing when the stream is not a terminal. Returns the callback to hand to makePlan.
 */
export function readProgressLine(stream: NodeJS.WriteStream | undefined): ((progress: LiveReadProgress) => void) | undefined {
  const tty = stream?.isTTY === true ? stream : undefined;
  if (tty === undefined) return undefined;
  let started: number | undefined;
  return (progress) => {
    started ??= Date.now();
    if (progress.finished) tty.write('\r\u001b[K');
    else tty.write(`\r\u001b[Kreading hosts: ${progress.done}/${progress.total} done, ${progress.unreachable} unreachable, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
}
