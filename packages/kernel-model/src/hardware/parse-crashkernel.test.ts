import { computeBootDefaults } from '../tcp-init/compute-boot-defaults';
import { parseKernelRelease } from '../series/kernel-version';
import { crashkernelAutoRanges, crashkernelLowBytes, crashkernelRoundsUpRam, parseCrashkernel, selectCrashkernelArgs } from './parse-crashkernel';

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

describe('which crashkernel= arguments the kernel acts on (get_last_crashkernel)', () => {
  it.each([
    [['256M'], '256M', undefined],
    [['128M', '256M'], '256M', undefined],
    [['512M,high', '72M,low'], '512M,high', '72M,low'],
    [['72M,low', '512M,high'], '512M,high', '72M,low'],
    [['256M', '512M,high'], '256M', undefined],
    [['512M,high', '256M', '64M,low', '0,low'], '256M', '0,low'],
    [['72M,low'], undefined, '72M,low'],
  ])('%j acts on region %j and low part %j', (values, main, low) => {
    expect(selectCrashkernelArgs(values)).toEqual({ main, low });
  });

  it.each([
    [undefined, 'x86_64', 64 * 2 ** 20, 256 * 2 ** 20],
    [undefined, 'x86_64', 512 * 2 ** 20, 520 * 2 ** 20],
    [undefined, 'aarch64', 64 * 2 ** 20, 128 * 2 ** 20],
    ['72M,low', 'x86_64', 64 * 2 ** 20, 72 * 2 ** 20],
    ['0,low', 'x86_64', 64 * 2 ** 20, 0],
  ] as const)('the low part for %j on %s with a %i-byte swiotlb is %i bytes', (low, arch, swiotlb, bytes) => {
    expect(crashkernelLowBytes(low, arch, swiotlb)).toBe(bytes);
  });

  it.each([
    ['4.18.0-553.el8_10.x86_64', 'x86_64', 4 * gib, 160 * 2 ** 20],
    ['4.18.0-553.el8_10.x86_64', 'x86_64', 96 * gib, 256 * 2 ** 20],
    ['4.18.0-553.el8_10.aarch64', 'aarch64', 4 * gib, 448 * 2 ** 20],
    ['4.18.0-553.el8_10.aarch64', 'aarch64', 1 * gib, undefined],
    ['5.14.0-427.13.1.el9_4.x86_64', 'x86_64', 4 * gib, undefined],
    ['6.1.0-26-amd64', 'x86_64', 4 * gib, undefined],
    // RHEL 7: 160 MiB + (RAM − 160 MiB)/16384 rounded up to 1 MiB, from 2 GiB (RAM rounded up to 128 MiB).
    ['3.10.0-1160.el7.x86_64', 'x86_64', 2 * gib, 160 * 2 ** 20 + 1 * 2 ** 20],
    ['3.10.0-1160.el7.x86_64', 'x86_64', 2 * gib - 100 * 2 ** 20, 160 * 2 ** 20 + 1 * 2 ** 20],
    ['3.10.0-1160.el7.x86_64', 'x86_64', 2 * gib - 129 * 2 ** 20, undefined],
    ['3.10.0-1160.el7.x86_64', 'x86_64', 8 * gib, 160 * 2 ** 20 + 1 * 2 ** 20],
    ['3.10.0-1160.el7.x86_64', 'x86_64', 64 * gib, 160 * 2 ** 20 + 4 * 2 ** 20],
    ['3.10.0-1160.el7.x86_64', 'x86_64', 1024 * gib, 160 * 2 ** 20 + 64 * 2 ** 20],
    // A real RHEL 7.9 boot log (3.10.0-1160.71.1.el7, linuxhw/Dmesg): "Reserving 168MB of memory at 720MB for
    // crashkernel (System RAM: 130563MB)".
    ['3.10.0-1160.71.1.el7.x86_64', 'x86_64', 130563 * 2 ** 20, 168 * 2 ** 20],
    ['3.10.0-1160.el7.x86_64', 'x86_64', 1 * gib, undefined],
    ['3.10.0-1160.el7.aarch64', 'aarch64', 8 * gib, undefined],
  ] as const)('crashkernel=auto on %s (%s) with %i bytes of RAM reserves %s bytes', (release, arch, ram, bytes) => {
    const autoRanges = crashkernelAutoRanges(parseKernelRelease(release)!, arch);
    expect(parseCrashkernel('auto', ram, { roundUpSystemRam: true, autoRanges })?.bytes).toBe(bytes);
  });
});

describe('crashkernel= regions through the whole model', () => {
  it('says what crashkernel=auto was read as and what it reserved, as the distribution decides it', () => {
    const notesOf = (kernel: string, memory: string, cmdline: string) => computeBootDefaults({ kernel, memory, cpus: 2, cmdline }).notes.filter((n) => n.startsWith('crashkernel='));
    expect(notesOf('3.10.0-1160.el7.x86_64', '64GiB', 'crashkernel=auto')).toEqual([expect.stringMatching(/^crashkernel=auto: read as RHEL 7's arch_default_crash_size\(\).*; 164 MiB reserved/)]);
    expect(notesOf('4.18.0-553.el8_10.x86_64', '96GiB', 'crashkernel=auto')).toEqual([expect.stringMatching(/^crashkernel=auto: read as the distribution's range table 1G-64G:160M,64G-1T:256M,1T-:512M; 256 MiB reserved/)]);
    expect(notesOf('6.1.0-26-amd64', '8GiB', 'crashkernel=auto')).toEqual([expect.stringMatching(/nothing reserved/)]);
    expect(notesOf('3.10.0-1160.el7.x86_64', '64GiB', 'crashkernel=256M')).toEqual([]);
  });
  const pages = (mib: number) => (mib * 2 ** 20) / 4096;
  const lost = (memory: string, cmdline: string, kernel = '6.1.0-26-amd64') =>
    computeBootDefaults({ kernel, memory, cpus: 2 }).memory.totalram_pages - computeBootDefaults({ kernel, memory, cpus: 2, cmdline }).memory.totalram_pages;
  it.each([
    ['8GiB', 'crashkernel=512M,high crashkernel=72M,low', pages(512 + 72)],
    ['8GiB', 'crashkernel=72M,low crashkernel=512M,high', pages(512 + 72)],
    ['8GiB', 'crashkernel=512M,high', pages(512 + 256)],
    ['8GiB', 'crashkernel=512M,high crashkernel=0,low', pages(512)],
    ['2GiB', 'crashkernel=512M,high', pages(512)],
    ['8GiB', 'crashkernel=72M,low', 0],
    ['8GiB', 'crashkernel=256M crashkernel=512M,high', pages(256)],
  ])('%s booted with %j loses the reserved pages', (memory, cmdline, expected) => {
    expect(lost(memory, cmdline)).toBe(expected);
  });

  it('a RHEL 8 guest with crashkernel=auto loses 160 MiB at 4 GiB', () => {
    expect(lost('4GiB', 'crashkernel=auto', '4.18.0-553.el8_10.x86_64')).toBe(pages(160));
  });

  it.each([
    ['8GiB', pages(161)],
    ['64GiB', pages(164)],
    ['1GiB', 0],
  ])('a RHEL 7 guest of %s with crashkernel=auto loses what arch_default_crash_size() reserves', (memory, expected) => {
    expect(lost(memory, 'crashkernel=auto', '3.10.0-1160.el7.x86_64')).toBe(expected);
  });
});
