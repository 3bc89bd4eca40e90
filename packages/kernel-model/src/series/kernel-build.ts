import { seriesOf, type KernelVersion } from './kernel-version';

/**
 * What one kernel build reserves at boot independently of the machine's size, measured from real boots of that
 * build (dmesg `Memory:` and `Freeing …` lines, zoneinfo). These are properties of the vmlinux (image layout, per-cpu
 * section size), not of any one capture: the scaled parts (memmap, hash tables, swiotlb, per-cpu units, NODE_DATA per
 * extra node) are modelled separately in zones/memblock-reservations.ts.
 */
export interface KernelBuild {
  readonly id: string;
  /** Pages reserved at tcp_init that do not scale with RAM, CPUs or nodes: kernel image `_text`…`_end`, NODE_DATA(0),
   * early page tables, ACPI/e820 copies, …, minus what is freed before tcp_init (SMP alternatives). */
  readonly fixedReservedPages: number;
  /** The percpu first-chunk size kept per possible CPU (`percpu: Embedded N pages/cpu`). */
  readonly percpuPagesPerCpu: number;
  /** NODE_DATA and per-node bookkeeping for every node after the first. */
  readonly extraNodePages: number;
  /** Kernel-image pages freed after tcp_init (initmem, text/rodata and rodata/data gaps, unused decrypted memory). */
  readonly freedAfterTcpInitPages: number;
  /** Whether the numbers were measured on this build (or learned from one of its boots), or are an estimate. */
  readonly measured: boolean;
  readonly evidence: string;
  /**
   * `measured`: from this project's boots of the build (the table below); `calibrated`: learned from one host's boot
   * log (calibration/); `estimated`: another build's numbers stand in.
   */
  readonly kind?: BuildProfileKind;
  /** For a calibrated profile: the host or file it was learned from. */
  readonly learnedFrom?: string;
  /** The kernel image as the boot log's `Memory:` line gives it (KiB), when known. */
  readonly image?: KernelImage;
}

export type BuildProfileKind = 'measured' | 'calibrated' | 'estimated';

/** The sections of the kernel image (`Memory: … (C kernel code, R rwdata, O rodata, I init, S bss …)`), KiB. */
export interface KernelImage {
  readonly codeKiB: number;
  readonly rwdataKiB: number;
  readonly rodataKiB: number;
  readonly initKiB: number;
  readonly bssKiB: number;
}

/** The profile's kind (older profiles have only `measured`). */
export function buildKindOf(build: Pick<KernelBuild, 'kind' | 'measured'>): BuildProfileKind {
  return build.kind ?? (build.measured ? 'measured' : 'estimated');
}

/** The distribution flavour in a release string (`6.1.0-56-cloud-amd64` → `cloud-amd64`), if recognisable. */
export function flavorOf(version: KernelVersion): string | undefined {
  const match = /(cloud-amd64|rt-amd64|amd64|cloud-arm64|rt-arm64|arm64|generic|aws|azure|gcp|kvm)$/.exec(version.localVersion);
  return match?.[1];
}

const builds: ReadonlyArray<{ readonly series: string; readonly flavor: string; readonly build: KernelBuild }> = [
  {
    series: '6.1',
    flavor: 'cloud-amd64',
    build: {
      id: 'debian-6.1-cloud-amd64',
      fixedReservedPages: 10304,
      percpuPagesPerCpu: 61,
      extraNodePages: 44,
      freedAfterTcpInitPages: 2145,
      measured: true,
      evidence:
        'Debian 6.1.192-2 cloud-amd64 under QEMU pc: 14343K code, 2327K rwdata, 8348K rodata, 2612K init, 5436K bss; ' +
        'percpu 61 pages/cpu; freed after tcp_init: 2036K decrypted + 2612K initmem + 2040K + 1892K gaps.',
    },
  },
  {
    series: '6.1',
    flavor: 'amd64',
    build: {
      id: 'debian-6.1-amd64',
      fixedReservedPages: 13380,
      percpuPagesPerCpu: 62,
      extraNodePages: 44,
      freedAfterTcpInitPages: 2002,
      measured: true,
      evidence:
        'Debian 6.1.192-2 amd64 under QEMU pc: 14343K code, 2338K rwdata, 9132K rodata, 2824K init, 17344K bss; ' +
        'percpu 62 pages/cpu; freed after tcp_init: 2036K decrypted + 2824K initmem + 2040K + 1108K gaps.',
    },
  },
  {
    series: '6.12',
    flavor: 'cloud-amd64',
    build: {
      id: 'debian-6.12-cloud-amd64',
      fixedReservedPages: 11323,
      percpuPagesPerCpu: 69,
      extraNodePages: 45,
      freedAfterTcpInitPages: 1857,
      measured: true,
      evidence:
        'Debian 6.12.117-1~deb12u1 cloud-amd64 under QEMU pc: 16384K code, 2507K rwdata, 10912K rodata, 4024K init, ' +
        '5288K bss; percpu 66 pages/cpu (+3 pages of other per-CPU boot allocations); freed after tcp_init: 2028K ' +
        'decrypted + 4024K initmem + 1376K rodata/data gap.',
    },
  },
  {
    series: '6.12',
    flavor: 'amd64',
    build: {
      id: 'debian-6.12-amd64',
      fixedReservedPages: 11328,
      percpuPagesPerCpu: 69,
      extraNodePages: 45,
      freedAfterTcpInitPages: 1716,
      measured: true,
      evidence:
        'Debian 6.12.117-1~deb12u1 amd64 under QEMU pc: 16384K code, 2499K rwdata, 11716K rodata, 4264K init, 4904K ' +
        'bss; percpu 66 pages/cpu (+3); freed after tcp_init: 2028K decrypted + 4264K initmem + 572K rodata/data gap.',
    },
  },
  {
    series: '6.1',
    flavor: 'cloud-arm64',
    build: {
      id: 'debian-6.1-cloud-arm64',
      fixedReservedPages: 7106,
      percpuPagesPerCpu: 30,
      extraNodePages: 1,
      freedAfterTcpInitPages: 1152,
      measured: true,
      evidence:
        'Debian 6.1.192-3 cloud-arm64 under QEMU virt (cortex-a57, device tree): 12096K code, 2022K rwdata, 7824K rodata, ' +
        '4608K init, 588K bss; percpu 30 pages/cpu; 64 MiB CMA (managed, so not reserved at tcp_init); freed after ' +
        'tcp_init: 4608K initmem. Learned by calibration/ from each of its boots (256 MiB … 16 GiB): 7104–7107 pages.',
    },
  },
  {
    series: '6.1',
    flavor: 'arm64',
    build: {
      id: 'debian-6.1-arm64',
      fixedReservedPages: 8495,
      percpuPagesPerCpu: 31,
      extraNodePages: 1,
      freedAfterTcpInitPages: 1616,
      measured: true,
      evidence:
        'Debian 6.1.192-3 arm64 under QEMU virt (cortex-a57, device tree): 13248K code, 2806K rwdata, 9524K rodata, ' +
        '6464K init, 627K bss; percpu 31 pages/cpu; 64 MiB CMA; freed after tcp_init: 6464K initmem. Learned by ' +
        'calibration/ from its 1 GiB boot and checked against its 4 GiB and 2×4 GiB NUMA boots.',
    },
  },
];

/**
 * The spread of the fixed reservation among real distribution kernels, per architecture (pages at tcp_init): the
 * lowest and highest value the model considers possible for a build it has not measured. Derived from the builds
 * measured here (x86-64: Debian 6.1/6.12 cloud and generic, 10,304–13,380 pages; arm64: Debian 6.1 cloud and generic,
 * 7,106–8,495), from published boot logs of other distributions' kernels (the `Memory:` line's image: Ubuntu 4.15
 * generic 23.3 MiB of image ≈ 7,900 fixed pages; the issue-14 held-out boot of another build 18 MiB above Debian
 * 6.1 generic ≈ 18,000 pages), and per CPU from `percpu: Embedded N pages/cpu` (45–69 pages on x86-64, 30–31 on arm64
 * Debian; up to 80 allowed for builds with more per-CPU data). See docs/kernel-model.md, "Uncertainty".
 */
export const estimatedBuildSpread: Readonly<Record<'x86_64' | 'aarch64', { readonly fixed: readonly [number, number]; readonly percpu: readonly [number, number]; readonly freed: readonly [number, number] }>> = {
  x86_64: { fixed: [9000, 18200], percpu: [40, 80], freed: [1000, 2600] },
  aarch64: { fixed: [6000, 15000], percpu: [28, 64], freed: [1000, 2600] },
};

const cloudFlavors = /(?:^|-)(?:cloud|aws|azure|gcp|gke|kvm|virtual|oracle|ibm|cos)(?:-|$)/;

/**
 * The nearest known profile for a build nobody measured, from what its release string says: the architecture
 * (`arm64`/`aarch64` in it), the flavour (cloud-like: `cloud`, `aws`, `azure`, `gcp`, `kvm`, `virtual` … take the
 * Debian cloud build, whose image leaves out bare-metal drivers; `generic`, `amd64`, `rt`, distribution kernels take
 * the generic one) and the series (6.7 and later take 6.12's numbers, older 6.1's).
 */
function nearestProfile(version: KernelVersion, arch: 'x86_64' | 'aarch64'): { readonly build: KernelBuild; readonly why: string } {
  const local = version.localVersion.toLowerCase();
  const cloud = cloudFlavors.test(local) || /\.amzn\d|cos/.test(version.release);
  if (arch === 'aarch64') {
    const flavor = cloud ? 'cloud-arm64' : 'arm64';
    const found = builds.find((b) => b.series === '6.1' && b.flavor === flavor);
    if (found !== undefined) return { build: found.build, why: `aarch64, ${cloud ? 'cloud-like' : 'generic'} flavour → ${found.build.id}` };
  }
  const series = version.major > 6 || (version.major === 6 && version.minor >= 7) ? '6.12' : '6.1';
  const flavor = cloud ? 'cloud-amd64' : 'amd64';
  const found = builds.find((b) => b.series === series && b.flavor === flavor);
  return { build: found?.build ?? builds[1]!.build, why: `series ${series === '6.12' ? '≥ 6.7' : '< 6.7'}, ${cloud ? 'cloud-like' : 'generic'} flavour → ${found?.build.id ?? 'debian-6.1-amd64'}` };
}

/** The measured build profile for a release, or an estimate from the nearest known profile (kind `estimated`). */
export function kernelBuildFor(version: KernelVersion, arch: 'x86_64' | 'aarch64' = /arm64|aarch64/.test(version.release) ? 'aarch64' : 'x86_64'): KernelBuild {
  const series = seriesOf(version);
  const flavor = flavorOf(version);
  const measured = builds.find((b) => b.series === series && b.flavor === flavor)?.build;
  if (measured !== undefined) return measured;
  const nearest = nearestProfile(version, arch);
  const spread = estimatedBuildSpread[arch];
  return {
    ...nearest.build,
    id: `estimate:${nearest.build.id}`,
    measured: false,
    kind: 'estimated',
    evidence:
      `No boot of this build was measured; the nearest known profile stands in (${nearest.why}). Real distribution ` +
      `kernels reserve ${spread.fixed[0]}–${spread.fixed[1]} fixed pages (${Math.round((spread.fixed[0] * 4) / 1024)}–${Math.round((spread.fixed[1] * 4) / 1024)} MiB); ` +
      'the JSON ranges show what that spread means for this host. Calibrate from one host of this release (`--calibrate`) to make it exact.',
  };
}
