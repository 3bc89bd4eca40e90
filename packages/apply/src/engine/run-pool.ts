/**
 * Runs `work` over `items`, at most `limit` at a time, starting them in order: the one worker pool of tcpmem
 * (the apply engine's hosts in flight, live reads, discovery). `work` reports its own results; the pool only
 * waits for all of them. `limit` below 1 is taken as 1.
 */
export async function runPool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}
