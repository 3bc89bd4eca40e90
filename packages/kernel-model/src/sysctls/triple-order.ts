/**
 * The places where a triple (min default max, low pressure high) goes down: `[0]` when its first value is above
 * its second, `[1]` when its second is above its third. A step down that the kernel's own default has, with the
 * same two values (tcp_wmem on a 64 KiB-page kernel: PAGE_SIZE 65536, then 16384), is the kernel's, not the
 * user's: a config that raises only the max keeps it, and it is not counted.
 */
export function tripleStepsDown(values: readonly number[], kernelDefault?: readonly number[]): number[] {
  const steps: number[] = [];
  for (const i of [0, 1]) {
    const [a, b] = [values[i], values[i + 1]];
    if (a === undefined || b === undefined || a <= b) continue;
    if (kernelDefault !== undefined && kernelDefault[i] === a && kernelDefault[i + 1] === b) continue;
    steps.push(i);
  }
  return steps;
}
