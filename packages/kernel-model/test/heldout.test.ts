// Held-out boots: Debian builds the model has not measured (fixtures/qemu-heldout, cases in
// tools/qemu/cases-heldout.tsv), held against issue 14's bars. `TCPMEM_HELDOUT_REPORT=1 npx jest test/heldout.test.ts`
// prints the table of docs/kernel-model.md ("Held-out builds").
import { heldoutRow, heldoutTable, loadHeldoutCases, outsideRanges, ramOf, teacherOf } from './heldout-errors';
import { computeBootDefaults } from '../src/tcp-init/compute-boot-defaults';
import { kernelBuildFor } from '../src/series/kernel-build';
import { parseKernelRelease } from '../src/series/kernel-version';

const cases = loadHeldoutCases();
const rows = cases.map((c) => heldoutRow(c, cases));

describe('held-out boots of builds the model has not measured (fixtures/qemu-heldout)', () => {
  it('has boots of at least four builds at 256 MiB … 8 GiB, one NUMA each', () => {
    const builds = new Set(cases.map((c) => c.hardware.kernel));
    expect(builds.size).toBeGreaterThanOrEqual(4);
    expect(cases.some((c) => c.hardware.nodes !== undefined)).toBe(true);
  });

  it.each(cases.map((c) => [c.id, c.hardware.kernel] as const))('%s: its release (%s) is not one the build table was measured on', (_id, release) => {
    const build = kernelBuildFor(parseKernelRelease(release)!, release.includes('arm64') ? 'aarch64' : 'x86_64');
    expect(build.kind === 'estimated' || build.estimate !== undefined).toBe(true);
  });

  it('from the hardware alone, at least 95 % of the boots lie inside `ranges` (every memory-derived sysctl)', () => {
    const outside = cases.flatMap((c) => outsideRanges(c, computeBootDefaults(c.hardware, c.assumptions)).map((line) => `${c.id}: ${line}`));
    const inside = rows.filter((r) => r.inside).length;
    expect({ inside: inside / rows.length >= 0.95, outside }).toEqual({ inside: true, outside: expect.any(Array) as unknown });
  });

  it.each(cases.filter((c) => ramOf(c) >= 2 * 2 ** 30).map((c) => [c.id, c] as const))('%s: at 2 GiB and more the half-width of tcp_mem is at most 1 %', (id) => {
    expect(rows.find((r) => r.id === id)!.halfWidth).toBeLessThanOrEqual(1);
  });

  it.each(cases.filter((c) => teacherOf(c, cases) !== undefined).map((c) => [c.id, teacherOf(c, cases)!.id] as const))(
    '%s: calibrated from %s, tcp_mem, udp_mem and rmem[2]/wmem[2] are within 0.1 %',
    (id) => {
      expect(Math.abs(rows.find((r) => r.id === id)!.calibratedError!)).toBeLessThanOrEqual(0.1);
    },
  );

  it.each(cases.map((c) => [c.id] as const))('%s: from its zoneinfo and boot log, within 0.1 %', (id) => {
    expect(Math.abs(rows.find((r) => r.id === id)!.factsError)).toBeLessThanOrEqual(0.1);
  });

  if (process.env['TCPMEM_HELDOUT_REPORT'] === '1') {
    it('prints the table', () => {
      process.stdout.write(`${heldoutTable(rows)}\n`);
    });
  }
});
