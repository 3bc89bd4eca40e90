import { tripleStepsDown } from './triple-order';

describe('tripleStepsDown', () => {
  it.each([
    ['in order', [4096, 16384, 4194304], undefined, []],
    ['min above default', [65536, 16384, 16777216], undefined, [0]],
    ['default above max', [4096, 131072, 65536], undefined, [1]],
    ['both', [3, 2, 1], undefined, [0, 1]],
    ["the kernel default's own step (64 KiB pages: tcp_wmem 65536 16384), the max raised", [65536, 16384, 16777216], [65536, 16384, 4194304], []],
    ['a step down the user wrote, though the kernel default has one elsewhere', [65536, 20000, 16777216], [65536, 16384, 4194304], [0]],
    ['a step down of other values than the default has', [70000, 16384, 16777216], [65536, 16384, 4194304], [0]],
  ])('%s', (_what, values, kernelDefault, steps) => {
    expect(tripleStepsDown(values, kernelDefault)).toEqual(steps);
  });
});
