import { computeBootDefaults } from '../tcp-init/compute-boot-defaults';
import { parseKernelRelease } from '../series/kernel-version';
import { crashkernelRoundsUpRam, parseCrashkernel } from './parse-crashkernel';

const gib = 2 ** 30;

describe('parseCrashkernel', () => {
  it.each([
    ['256M', 8 * gib, 256 * 2 ** 20],
    ['256M@16M', 8 * gib, 256 * 2 ** 20],
    ['512M-2G:64M,2G-:256M', 1 * gib, 64 * 2 ** 20],
    ['512M-2G:64M,2G-:256M', 16 * gib, 256 * 2 ** 20],
  ])('resolves %j on %i bytes of RAM to %i bytes', (text, ram, bytes) => {
    expect(parseCrashkernel(text, ram)?.bytes).toBe(bytes);
  });

  it('reserves nothing when no range matches', () => {
    expect(parseCrashkernel('1G-2G:128M', 512 * 2 ** 20)).toBeUndefined();
  });

  it('notes a ,high reservation', () => {
    expect(parseCrashkernel('1G,high', 8 * gib)).toEqual({ bytes: gib, high: true, low: false });
  });
});

describe('crashkernel= as the kernel matches it (system RAM rounded up to 128 MiB from 5.17 and in RHEL 8/9)', () => {
  const present = 1014 * 2 ** 20; // a "1 GiB" VM after firmware holes
  it.each([
    ['1G-4G:192M', true, 192 * 2 ** 20],
    ['1G-4G:192M', false, undefined],
    ['1G-4G:192M,4G-64G:256M', true, 192 * 2 ** 20],
    ['1G-:1G', true, undefined],
  ])('%j on 1014 MiB of RAM, rounding %s, reserves %s bytes', (text, round, bytes) => {
    expect(parseCrashkernel(text, present, { roundUpSystemRam: round })?.bytes).toBe(bytes);
  });

  it.each([
    ['5.14.0-427.13.1.el9_4.x86_64', true],
    ['4.18.0-553.el8_10.x86_64', true],
    ['5.15.0-105-generic', false],
    ['5.17.0', true],
    ['6.1.0-26-amd64', true],
    ['3.10.0-1160.el7.x86_64', false],
  ])('%s rounds system RAM up: %s', (release, rounds) => {
    expect(crashkernelRoundsUpRam(parseKernelRelease(release)!)).toBe(rounds);
  });

  it('a 1 GiB RHEL 9 VM booted with crashkernel=1G-4G:192M loses 192 MiB before tcp_init', () => {
    const without = computeBootDefaults({ kernel: '5.14.0-427.13.1.el9_4.x86_64', memory: '1GiB', cpus: 1 });
    const withCrash = computeBootDefaults({ kernel: '5.14.0-427.13.1.el9_4.x86_64', memory: '1GiB', cpus: 1, cmdline: 'crashkernel=1G-4G:192M' });
    expect(without.memory.totalram_pages - withCrash.memory.totalram_pages).toBe(49152);
    expect(withCrash.explain.some((s) => s.step === 'reserved: crashkernel' && s.result === '49152 pages')).toBe(true);
  });
});
