// The held-out boots (fixtures/qemu-heldout): Debian builds whose numbers are NOT in the build table, held against
// the model three ways, as issue 14 asks — from the hardware alone (the real value inside `ranges`), calibrated from
// another boot of the same build, and from the captured zoneinfo with the boot log. Test code only (reads files).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calibrateBuild } from '../src/calibration/calibrate-build';
import { bootDefaultRanges, memoryDerivedSysctls, type SysctlRange } from '../src/tcp-init/boot-default-ranges';
import { computeBootDefaults, type BootDefaults } from '../src/tcp-init/compute-boot-defaults';
import { parseSize } from '../src/hardware/parse-size';
import { loadCase, type FixtureCase } from './fixture-cases';

export const heldoutRoot = join(__dirname, '..', 'fixtures', 'qemu-heldout');

/** Every held-out boot, sorted by id. */
export function loadHeldoutCases(): FixtureCase[] {
  if (!existsSync(heldoutRoot)) return [];
  return readdirSync(heldoutRoot)
    .sort()
    .filter((id) => existsSync(join(heldoutRoot, id, 'case.json')) && existsSync(join(heldoutRoot, id, 'sysctls.json')))
    .map((id) => loadCase(heldoutRoot, id));
}

const numbers = (text: string | undefined): number[] => (text ?? '').split(/\s+/).filter(Boolean).map(Number);
const list = (v: SysctlRange['low']): number[] => (typeof v === 'number' ? [v] : [...v]);
const read = (c: FixtureCase, file: string): string | undefined => (existsSync(join(c.dir, file)) ? readFileSync(join(c.dir, file), 'utf8') : undefined);

/** RAM given to the guest, bytes. */
export function ramOf(c: FixtureCase): number {
  const h = c.hardware;
  if (h.memory !== undefined) return parseSize(h.memory) ?? 0;
  return (h.nodes ?? []).reduce<number>((s, n) => s + (parseSize(typeof n === 'object' ? n.memory : n) ?? 0), 0);
}

/** The build a boot belongs to: its release (one Debian package = one release string). */
export const buildOf = (c: FixtureCase): string => c.hardware.kernel;

/** The teacher of a build for the calibrated mode: its 1 GiB single-node boot, else its first single-node boot. */
export function teacherOf(c: FixtureCase, all: readonly FixtureCase[]): FixtureCase | undefined {
  const same = all.filter((x) => buildOf(x) === buildOf(c) && x.id !== c.id && x.hardware.memory !== undefined);
  return same.find((x) => ramOf(x) === 2 ** 30) ?? same[0];
}

/** The largest relative error (signed, %) over tcp_mem, udp_mem and tcp_rmem[2]/tcp_wmem[2]. */
export function worstError(c: FixtureCase, model: BootDefaults): number {
  let worst = 0;
  for (const name of ['net.ipv4.tcp_mem', 'net.ipv4.udp_mem', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']) {
    const value = model.sysctls[name];
    const real = numbers(c.sysctls[name]);
    if (typeof value !== 'object') continue;
    const indices = name.endsWith('mem') && !name.includes('_rmem') && !name.includes('_wmem') ? [0, 1, 2] : [2];
    for (const i of indices) {
      const r = real[i];
      if (r === undefined || r === 0) continue;
      const e = ((value[i]! - r) / r) * 100;
      if (Math.abs(e) > Math.abs(worst)) worst = e;
    }
  }
  return worst;
}

/** The memory-derived values outside the hardware-only `ranges`, as readable lines (empty = all inside). */
export function outsideRanges(c: FixtureCase, model: BootDefaults): string[] {
  const ranges = bootDefaultRanges(c.hardware, c.assumptions, model);
  const out: string[] = [];
  for (const name of memoryDerivedSysctls) {
    const real = numbers(c.sysctls[name]);
    const range = ranges[name];
    if (range === undefined) continue;
    real.forEach((v, i) => {
      if (v < list(range.low)[i]! || v > list(range.high)[i]!) out.push(`${name}[${i}] ${v} not in ${list(range.low)[i]} … ${list(range.high)[i]}`);
    });
  }
  return out;
}

/** The half-width of the tcp_mem[1] range, relative to its middle (%). */
export function halfWidth(c: FixtureCase, model: BootDefaults): number {
  const range = bootDefaultRanges(c.hardware, c.assumptions, model)['net.ipv4.tcp_mem']!;
  const [low, high] = [list(range.low)[1]!, list(range.high)[1]!];
  return ((high - low) / 2 / ((high + low) / 2)) * 100;
}

export interface HeldoutRow {
  readonly id: string;
  readonly build: string;
  readonly ramMiB: number;
  readonly kind: string;
  readonly hardwareError: number;
  readonly inside: boolean;
  readonly halfWidth: number;
  readonly calibratedFrom: string | undefined;
  readonly calibratedError: number | undefined;
  readonly factsError: number;
}

/** The three modes for one held-out boot. */
export function heldoutRow(c: FixtureCase, all: readonly FixtureCase[]): HeldoutRow {
  const fromHardware = computeBootDefaults(c.hardware, c.assumptions);
  const teacher = teacherOf(c, all);
  const calibrated =
    teacher === undefined
      ? undefined
      : computeBootDefaults(c.hardware, { ...c.assumptions, build: calibrateBuild({ dmesg: teacher.dmesg, zoneinfo: read(teacher, 'zoneinfo'), meminfo: read(teacher, 'meminfo'), source: teacher.id }) });
  const fromFacts = computeBootDefaults(c.facts, c.assumptions);
  return {
    id: c.id,
    build: buildOf(c),
    ramMiB: ramOf(c) / 2 ** 20,
    kind: fromHardware.kernel.buildProfile.kind,
    hardwareError: worstError(c, fromHardware),
    inside: outsideRanges(c, fromHardware).length === 0,
    halfWidth: halfWidth(c, fromHardware),
    calibratedFrom: teacher?.id,
    calibratedError: calibrated === undefined ? undefined : worstError(c, calibrated),
    factsError: worstError(c, fromFacts),
  };
}

/** The rows as the Markdown table of docs/kernel-model.md ("Held-out builds"). */
export function heldoutTable(rows: readonly HeldoutRow[]): string {
  const f = (v: number | undefined, d = 3): string => (v === undefined ? '—' : (v >= 0 ? '+' : '') + v.toFixed(d));
  const lines = [
    '| boot | release | RAM MiB | profile | hardware: worst err % | inside ranges | ranges ± % (tcp_mem[1]) | calibrated from | calibrated: worst err % | zoneinfo + boot log: worst err % |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows)
    lines.push(`| ${r.id} | ${r.build} | ${r.ramMiB} | ${r.kind} | ${f(r.hardwareError)} | ${r.inside ? 'yes' : '**no**'} | ${r.halfWidth.toFixed(2)} | ${r.calibratedFrom ?? '—'} | ${f(r.calibratedError)} | ${f(r.factsError)} |`);
  return lines.join('\n');
}
