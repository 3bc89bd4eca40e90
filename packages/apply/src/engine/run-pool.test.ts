import { runPool } from './run-pool';

describe('runPool', () => {
  it.each`
    count | limit | most
    ${0}  | ${1}  | ${0}
    ${5}  | ${1}  | ${1}
    ${5}  | ${2}  | ${2}
    ${5}  | ${16} | ${5}
    ${3}  | ${0}  | ${1}
  `('over $count items with a limit of $limit runs at most $most at once and every item once', async ({ count, limit, most }: { count: number; limit: number; most: number }) => {
    const items = Array.from({ length: count }, (_, i) => i);
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(items, limit, async (item, index) => {
      expect(index).toBe(item);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1 + (item % 3)));
      seen.push(item);
      inFlight -= 1;
    });
    expect(peak).toBe(most);
    expect([...seen].sort((a, b) => a - b)).toEqual(items);
  });

  it('starts the items in their order', async () => {
    const started: number[] = [];
    await runPool([0, 1, 2, 3, 4, 5], 3, async (item) => {
      started.push(item);
      await new Promise((resolve) => setTimeout(resolve, 5 - item));
    });
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
