import { createModelMemo } from '../src/memo/model-memo';
import { computeBootDefaults } from '../src/tcp-init/compute-boot-defaults';
import { failures } from './acceptance-bars';
import { loadFixtureCases } from './fixture-cases';

const cases = loadFixtureCases();

describe('boot defaults against real kernel boots (fixtures/qemu, fixtures/host)', () => {
  it('finds captured boots to check', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: the model matches the captured boot within the acceptance bars', (_id, c) => {
    const fromHardware = computeBootDefaults(c.hardware, c.assumptions);
    const fromFacts = computeBootDefaults(c.facts, c.assumptions);
    expect(failures(c, fromHardware, fromFacts)).toEqual([]);
  });

  // One memo across every boot, as a plan of a fleet has: sharing never changes an answer.
  const memo = createModelMemo();
  it.each(cases.map((c) => [c.id, c] as const))('%s: the memoised model gives exactly what the pure one gives', (_id, c) => {
    expect(memo.computeBootDefaults(c.hardware, c.assumptions)).toEqual(computeBootDefaults(c.hardware, c.assumptions));
    expect(memo.computeBootDefaults(c.facts, c.assumptions)).toEqual(computeBootDefaults(c.facts, c.assumptions));
  });
});
