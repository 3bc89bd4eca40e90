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
});
