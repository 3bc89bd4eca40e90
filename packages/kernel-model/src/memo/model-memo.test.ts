import { isDeepStrictEqual } from 'node:util';
import type { Hardware } from '@tcpmem/schema';
import { normalizeHardware, type Machine } from '../hardware/normalize-hardware';
import { kernelBuildFor, type KernelBuild } from '../series/kernel-build';
import { parseKernelRelease } from '../series/kernel-version';
import { seriesFactsFor, type SeriesFacts } from '../series/series-facts';
import { checkWrite } from '../sysctls/check-write';
import { getSysctl } from '../sysctls/registry';
import type { SysctlName } from '../sysctls/sysctl-definition';
import { computeBootDefaults } from '../tcp-init/compute-boot-defaults';
import { bootMemoryFromHardware, hardwareMemoryInputs, memoryLayout } from '../zones/boot-memory';
import { createModelMemo, pureKernelModel } from './model-memo';

// One memo for the whole file, as one plan run has: rows see what earlier rows left in it.
const memo = createModelMemo();
const sharedBootMemory = (machine: Machine, series: SeriesFacts, build: KernelBuild) => memo.bootMemory(hardwareMemoryInputs(machine, series, build));
const sharedMemoryLayout = memo.memoryLayout;

const shared = (hardware: Hardware) => {
  const machine = normalizeHardware(hardware);
  return sharedBootMemory(machine, seriesFactsFor(machine.kernel), kernelBuildFor(machine.kernel));
};
/** The same computation without any memo. */
const fresh = (hardware: Hardware) => {
  const machine = normalizeHardware(hardware);
  return bootMemoryFromHardware(machine, seriesFactsFor(machine.kernel), kernelBuildFor(machine.kernel));
};

const base: Hardware = { kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 4, transparentHugepage: 'always' };
const twoNodes: Hardware = { kernel: '6.1.0-26-amd64', nodes: ['4GiB', '4GiB'], cpus: 4, transparentHugepage: 'always' };
const la57: Hardware = { ...base, fiveLevelPaging: true };

// Each row: two machines that differ in one input the boot memory reads, and whose boot memory therefore differs.
const readFields: ReadonlyArray<readonly [string, Hardware, Hardware]> = [
  ['memory size', base, { ...base, memory: '12GiB' }],
  ['memory per node', base, twoNodes],
  ['node sizes', twoNodes, { ...twoNodes, nodes: ['2GiB', '6GiB'] }],
  ['firmware layout', base, { ...base, platform: 'qemu-q35' }],
  ['mem=', base, { ...base, cmdline: 'mem=6G' }],
  ['numa=off', twoNodes, { ...twoNodes, cmdline: 'numa=off' }],
  ['movablecore=', base, { ...base, cmdline: 'movablecore=1G' }],
  ['kernelcore=', base, { ...base, cmdline: 'kernelcore=4G' }],
  ['crashkernel=', base, { ...base, cmdline: 'crashkernel=256M' }],
  ['swiotlb=', base, { ...base, cmdline: 'swiotlb=noforce' }],
  ['initrd size', base, { ...base, initrd: '48MiB' }],
  ['5-level paging', base, la57],
  ['no5lvl', la57, { ...la57, cmdline: 'no5lvl' }],
  // The percpu first chunk is reserved per possible CPU, so CPUs change the managed pages and the watermarks.
  ['CPUs', base, { ...base, cpus: 32 }],
  ['THP mode', base, { ...base, transparentHugepage: 'never' }],
  ['transparent_hugepage=', base, { ...base, cmdline: 'transparent_hugepage=never' }],
  ['page size', base, { ...base, pageSize: 65536 }],
  ['build profile (flavour)', base, { ...base, kernel: '6.1.0-26-cloud-amd64' }],
  ['build profile (series)', base, { ...base, kernel: '6.12.57-amd64' }],
  ['series facts: the first MiB (5.13)', { ...base, kernel: '5.12' }, { ...base, kernel: '5.13' }],
  ['series facts: nr_kernel_pages (6.10)', { ...base, kernel: '6.9' }, { ...base, kernel: '6.10' }],
  ['series facts: watermarks (4.6)', { ...base, kernel: '4.5' }, { ...base, kernel: '4.6' }],
  ['series facts: the 4.4.y backport', { ...base, kernel: '4.4.100' }, { ...base, kernel: '4.4.178' }],
  ['series facts: the THP recompute (6.1)', { ...base, kernel: '5.15', transparentHugepage: 'never' }, { ...base, kernel: '6.1', transparentHugepage: 'never' }],
];

describe('the memo\'s boot memory', () => {
  it.each(readFields)('gives machines that differ in %s their own boot memory, whichever comes first', (_field, a, b) => {
    expect(fresh(b)).not.toEqual(fresh(a));
    for (const [first, second] of [
      [a, b],
      [b, a],
    ] as const) {
      expect(shared(first)).toEqual(fresh(first));
      expect(shared(second)).toEqual(fresh(second));
    }
  });

  it.each([
    ['the release suffix within one build profile and series', base, { ...base, kernel: '6.1.0-28-amd64' }],
    ['thash_entries=', base, { ...base, cmdline: 'thash_entries=65536' }],
    ['memory written as one node', base, { kernel: base.kernel, nodes: ['8GiB'], cpus: 4, transparentHugepage: 'always' }],
    ['a boot parameter given twice, the last the same', { ...base, cmdline: 'mem=6G' }, { ...base, cmdline: 'mem=5G mem=6G' }],
    ['facts other than zoneinfo', base, { ...base, facts: { minFreeKbytes: 90112 } }],
  ] as ReadonlyArray<readonly [string, Hardware, Hardware]>)('shares one boot memory between machines that differ only in %s', (_field, a, b) => {
    expect(shared(b)).toBe(shared(a));
    expect(shared(b)).toEqual(fresh(b));
  });
});

describe('the memo\'s boot memory across architectures', () => {
  it('gives an aarch64 machine its own boot memory: arm64 zones, no first MiB, linear-map tables (issue 14)', () => {
    const arm: Hardware = { ...base, arch: 'aarch64' };
    expect(shared(arm)).not.toEqual(shared(base));
    expect(shared(arm)).toEqual(fresh(arm));
  });
});

describe('the memo\'s memory layout', () => {
  const layout = (hardware: Hardware) => sharedMemoryLayout(normalizeHardware(hardware));

  it('shares one RAM map and zone layout between machines that differ in CPUs, THP mode, initrd, kernel or crashkernel=', () => {
    const one = layout(base);
    for (const other of [{ ...base, cpus: 64 }, { ...base, transparentHugepage: 'never' as const }, { ...base, initrd: '64MiB' }, { ...base, kernel: '5.15.0-91-generic' }, { ...base, cmdline: 'crashkernel=256M' }])
      expect(layout(other)).toBe(one);
    expect(Object.isFrozen(one.zones)).toBe(true);
  });

  it.each(readFields.filter(([field]) => ['memory size', 'memory per node', 'node sizes', 'firmware layout', 'mem=', 'numa=off', 'movablecore=', 'kernelcore='].includes(field)))(
    'gives machines that differ in %s their own layout',
    (_field, a, b) => {
      expect(layout(b)).not.toEqual(layout(a));
      expect(layout(b)).toEqual(memoryLayout(normalizeHardware(b)));
      expect(layout(a)).toEqual(memoryLayout(normalizeHardware(a)));
    },
  );
});

describe('the boot memory memo key', () => {
  type Inputs = ReturnType<typeof hardwareMemoryInputs>;
  type Alternatives<T> = { readonly [K in keyof T]-?: T[K] };
  // Another value for every input the hardware path reads; the key set is checked against hardwareMemoryInputs.
  const machineAlternatives: Alternatives<Omit<Inputs['machine'], 'boot'>> = {
    nodes: [{ memoryBytes: 6 * 2 ** 30 }],
    platform: 'qemu-q35',
    cpus: 32,
    initrdBytes: 48 * 2 ** 20,
    fiveLevelPaging: true,
    crashkernelRoundsUpRam: false,
    crashkernelAutoRanges: '2G-:448M',
    thp: 'never',
    pageSize: 65536,
  };
  const bootAlternatives: Alternatives<Inputs['machine']['boot']> = {
    numaOff: true,
    mem: 6 * 2 ** 30,
    movablecore: '1G',
    kernelcore: '4G',
    crashkernel: '256M',
    crashkernelLow: '64M,low',
    swiotlb: 'noforce',
  };
  const seriesAlternatives: Alternatives<Inputs['series']> = {
    series: '4.0',
    reservesFirstMegabyte: false,
    arm64RamProportionalReserve: true,
    nrKernelPagesMethod: 'memblock-free',
    adaptiveHashScale: false,
    initcallRegime: 'none',
    minFreeKbytesCap: 1000,
    watermarkFormula: 'min-quarter-half',
    watermarkScaleFactor: 100,
    thpZoneCounting: 'all-populated',
    thpOffRecomputesMinFree: false,
  };
  const buildAlternatives: Alternatives<Inputs['build']> = {
    id: 'another-build',
    fixedReservedPages: 20000,
    extraNodePages: 1000,
    percpuPagesPerCpu: 100,
    measured: false,
    evidence: 'another evidence',
  };
  // Machines on which, between them, every input above changes the boot memory.
  const bases: readonly Hardware[] = [
    base,
    twoNodes,
    { ...base, memory: '96GiB' },
    { ...base, kernel: '3.16' },
    { ...base, cmdline: 'movablecore=2G' },
    { ...base, transparentHugepage: 'never' },
    { ...base, kernel: '6.6' },
    { ...base, memory: '1GiB', cmdline: 'crashkernel=1G-4G:192M' },
    { ...base, memory: '4GiB', cmdline: 'crashkernel=auto' },
    { ...base, memory: '8GiB', cmdline: 'crashkernel=512M,high' },
    { ...base, kernel: '6.1.0-57-cloud-arm64', arch: 'aarch64', platform: 'qemu-virt' },
  ];
  const machines = bases.map((hardware) => normalizeHardware(hardware));

  it('has another value for every input of hardwareMemoryInputs', () => {
    const machine = machines[0]!;
    const inputs = hardwareMemoryInputs(machine, seriesFactsFor(machine.kernel), kernelBuildFor(machine.kernel));
    const sorted = (o: object) => Object.keys(o).sort();
    expect(sorted({ ...machineAlternatives, boot: bootAlternatives })).toEqual(sorted(inputs.machine));
    expect(sorted(bootAlternatives)).toEqual(sorted(inputs.machine.boot));
    expect(sorted(seriesAlternatives)).toEqual(sorted(inputs.series));
    expect(sorted(buildAlternatives)).toEqual(sorted(inputs.build));
  });

  type Variant = (machine: Machine, series: SeriesFacts, build: KernelBuild) => readonly [Machine, SeriesFacts, KernelBuild];
  const variants: ReadonlyArray<readonly [string, Variant]> = [
    ...Object.entries(machineAlternatives).map(([key, value]): readonly [string, Variant] => [`machine.${key}`, (m, s, b) => [{ ...m, [key]: value }, s, b]]),
    ...Object.entries(bootAlternatives).map(([key, value]): readonly [string, Variant] => [`machine.boot.${key}`, (m, s, b) => [{ ...m, boot: { ...m.boot, [key]: value } }, s, b]]),
    ...Object.entries(seriesAlternatives).map(([key, value]): readonly [string, Variant] => [`series.${key}`, (m, s, b) => [m, { ...s, [key]: value }, b]]),
    ...Object.entries(buildAlternatives).map(([key, value]): readonly [string, Variant] => [`build.${key}`, (m, s, b) => [m, s, { ...b, [key]: value }]]),
  ];

  it.each(variants)('tells machines apart that differ only in %s', (_input, vary) => {
    let mattered = false;
    for (const machine of machines) {
      const original = [machine, seriesFactsFor(machine.kernel), kernelBuildFor(machine.kernel)] as const;
      const varied = vary(...original);
      const before = sharedBootMemory(...original);
      const after = sharedBootMemory(...varied);
      expect(after).toEqual(bootMemoryFromHardware(...varied));
      expect(before).toEqual(bootMemoryFromHardware(...original));
      if (!isDeepStrictEqual(bootMemoryFromHardware(...varied), before)) mattered = true;
    }
    // Otherwise this row would not test the key: give the bases a machine on which the input changes the result.
    expect(mattered).toBe(true);
  });
});

describe('the memo\'s series facts', () => {
  const facts = (release: string) => memo.seriesFacts(parseKernelRelease(release)!);

  it('gives releases that differ only in their suffix one frozen facts object', () => {
    expect(facts('6.1.0-28-cloud-amd64')).toBe(facts('6.1.0-26-amd64'));
    expect(Object.isFrozen(facts('6.1.0-26-amd64'))).toBe(true);
    expect(Object.isFrozen(facts('6.1.0-26-amd64').notes)).toBe(true);
  });

  it.each([
    ['4.4.100', '4.4.178'],
    ['4.4', '4.4.0'],
    ['5.12', '5.13'],
    ['6.9', '6.10'],
  ])('gives %s and %s their own facts (the patch, and whether there is one, count)', (a, b) => {
    expect(JSON.stringify(facts(b))).not.toBe(JSON.stringify(facts(a)));
    expect(facts(a)).toEqual(seriesFactsFor(parseKernelRelease(a)!));
  });
});

describe('the memo\'s kernel builds', () => {
  it.each([
    ['a measured release', '6.1.0-56-amd64', 'x86_64'],
    ['another ABI of a measured Debian series', '6.1.0-28-amd64', 'x86_64'],
    ['its cloud flavour', '6.1.0-28-cloud-amd64', 'x86_64'],
    ['an estimated release', '5.15.0-91-generic', 'x86_64'],
    ['an old series', '4.4.100', 'x86_64'],
    ['an arm64 release', '6.12.57-arm64', 'aarch64'],
    ['an x86 release asked for aarch64', '6.1.0-26-amd64', 'aarch64'],
  ] as const)('gives %s (%s, %s) what kernelBuildFor gives, one object each time', (_what, release, arch) => {
    const build = memo.kernelBuild(parseKernelRelease(release)!, arch);
    expect(build).toEqual(kernelBuildFor(parseKernelRelease(release)!, arch));
    expect(memo.kernelBuild(parseKernelRelease(release)!, arch)).toBe(build);
  });

  it('keys a build by the whole release and the architecture', () => {
    const build = (release: string, arch: Machine['arch'] = 'x86_64') => memo.kernelBuild(parseKernelRelease(release)!, arch);
    expect(build('6.1.0-26-cloud-amd64')).not.toEqual(build('6.1.0-26-amd64'));
    expect(build('6.1.0-28-amd64')).not.toEqual(build('6.1.0-56-amd64'));
    expect(build('5.15.0-91-generic', 'aarch64')).not.toEqual(build('5.15.0-91-generic'));
  });
});

describe('createModelMemo', () => {
  it.each([
    ['an 8 GiB 6.1 machine', base],
    ['the same machine on another 6.1 release', { ...base, kernel: '6.1.0-28-amd64' }],
    ['two NUMA nodes', twoNodes],
    ['a 5.15 machine with thash_entries=', { ...base, kernel: '5.15.0-91-generic', cmdline: 'thash_entries=65536' }],
    ['a 4.4 machine without THP', { ...base, kernel: '4.4.100', transparentHugepage: 'never' }],
    ['a 6.12 machine with 64 CPUs and 96 GiB', { ...base, kernel: '6.12.57-amd64', memory: '96GiB', cpus: 64 }],
  ] as ReadonlyArray<readonly [string, Hardware]>)('computes the boot defaults of %s exactly as the pure model does', (_what, hardware) => {
    expect(memo.computeBootDefaults(hardware)).toEqual(pureKernelModel.computeBootDefaults(hardware));
    expect(memo.computeBootDefaults(hardware)).toEqual(computeBootDefaults(hardware));
  });

  it('hands every caller boot defaults of its own, which it may change without changing the next answer', () => {
    const first = memo.computeBootDefaults(base);
    (first.sysctls as Record<string, unknown>)['net.ipv4.tcp_mem'] = [1, 2, 3];
    (first.notes as string[]).push('changed by a caller');
    expect(memo.computeBootDefaults(base)).toEqual(computeBootDefaults(base));
    // A build the memo keeps: what the result says of its estimate is the caller's too.
    const estimated = { ...base, kernel: '6.1.0-28-amd64' };
    const withEstimate = memo.computeBootDefaults(estimated);
    (withEstimate.kernel.buildProfile.estimate!.fixedPages as unknown as number[])[0] = -1;
    expect(memo.computeBootDefaults(estimated)).toEqual(computeBootDefaults(estimated));
  });

  const v = (release: string) => parseKernelRelease(release)!;
  it.each([
    ['net.ipv4.tcp_rmem', [4096, 131072, 6291456], '6.1.0-26-amd64', {}],
    ['net.ipv4.tcp_rmem', [1, 131072, 6291456], '6.1.0-26-amd64', { stableSublevel: 192 }],
    ['net.ipv4.tcp_rmem', [1, 131072, 6291456], '6.1.0-26-amd64', { stableSublevel: 100 }],
    ['net.ipv4.tcp_rmem', [1, 131072, 6291456], '6.1.0-26-amd64', {}],
    ['net.ipv4.tcp_mem', [-1, 2, 3], '5.15', {}],
    ['net.ipv4.tcp_mem', [-1, 2, 3], '6.6', {}],
    ['net.core.somaxconn', [100000], '3.19', {}],
    ['net.core.somaxconn', [100000], '4.1', {}],
    ['net.core.rmem_max', [4194304], '6.12', { namespace: 'child' }],
    ['net.ipv4.tcp_child_ehash_entries', [1024], '5.15', {}],
  ] as const)('answers a write of %s %j on %s %j exactly as the pure check does', (name, values, release, context) => {
    const expected = checkWrite(name, values, v(release), context);
    expect(memo.checkWrite(name as SysctlName, values, v(release), context)).toEqual(expected);
    expect(memo.checkWrite(name as SysctlName, values, v(release), context)).toEqual(pureKernelModel.checkWrite(name as SysctlName, values, v(release), context));
  });

  it('shares write checks and kernel profiles, frozen, between releases of one series', () => {
    const one = memo.checkWrite('net.ipv4.tcp_wmem', [4096, 16384, 4194304], v('6.1.0-26-amd64'));
    expect(memo.checkWrite('net.ipv4.tcp_wmem', [4096, 16384, 4194304], v('6.1.0-26-amd64'))).toBe(one);
    expect(Object.isFrozen(one)).toBe(true);
    const profiles = (release: string) => memo.writeProfiles(getSysctl('net.ipv4.tcp_wmem'), v(release), undefined, 'initial');
    expect(profiles('6.1.0-28-cloud-amd64')).toBe(profiles('6.1.0-26-amd64'));
    expect(Object.isFrozen(profiles('6.1.0-26-amd64'))).toBe(true);
  });

  it.each([0, -1, 1.5])('refuses the capacity %p for a table', (capacity) => {
    expect(() => createModelMemo({ seriesFacts: capacity, layouts: 1, bootMemories: 1, profiles: 1, writeChecks: 1 })).toThrow(RangeError);
  });
});
