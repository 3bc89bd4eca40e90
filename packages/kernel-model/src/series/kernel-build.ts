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
  /** For an estimated profile: where its fixed reservation came from and the spread `ranges` samples around it. */
  readonly estimate?: BuildEstimate;
}

/** How an estimated profile's fixed reservation was centred, and how far the truth may lie from it (pages). */
export interface BuildEstimate {
  /** `debian-flavour` (a measured Debian build of the same series), `published-image` (a published boot log of the
   * distribution's kernel), `series-era` (images of that kernel era, distribution unknown) or `nearest-profile`. */
  readonly centre: 'debian-flavour' | 'published-image' | 'series-era' | 'nearest-profile';
  /** What the centre was taken from, with its source. */
  readonly from: string;
  /** The lowest and highest fixed reservation considered possible (pages at tcp_init). */
  readonly fixed: readonly [number, number];
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

/** The measured builds: series, flavour, the exact release (`uname -r`) that was booted, and what it reserves. */
const builds: ReadonlyArray<{ readonly series: string; readonly flavor: string; readonly release: string; readonly build: KernelBuild }> = [
  {
    series: '6.1',
    flavor: 'cloud-amd64',
    release: '6.1.0-56-cloud-amd64',
    build: {
      id: 'debian-6.1-cloud-amd64',
      image: { codeKiB: 14343, rwdataKiB: 2327, rodataKiB: 8348, initKiB: 2612, bssKiB: 5436 },
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
    release: '6.1.0-56-amd64',
    build: {
      id: 'debian-6.1-amd64',
      image: { codeKiB: 14343, rwdataKiB: 2338, rodataKiB: 9132, initKiB: 2824, bssKiB: 17344 },
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
    release: '6.12.117+deb12-cloud-amd64',
    build: {
      id: 'debian-6.12-cloud-amd64',
      image: { codeKiB: 16384, rwdataKiB: 2507, rodataKiB: 10912, initKiB: 4024, bssKiB: 5288 },
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
    release: '6.12.117+deb12-amd64',
    build: {
      id: 'debian-6.12-amd64',
      image: { codeKiB: 16384, rwdataKiB: 2499, rodataKiB: 11716, initKiB: 4264, bssKiB: 4904 },
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
    release: '6.1.0-57-cloud-arm64',
    build: {
      id: 'debian-6.1-cloud-arm64',
      image: { codeKiB: 12096, rwdataKiB: 2022, rodataKiB: 7824, initKiB: 4608, bssKiB: 588 },
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
    release: '6.1.0-57-arm64',
    build: {
      id: 'debian-6.1-arm64',
      image: { codeKiB: 13248, rwdataKiB: 2806, rodataKiB: 9524, initKiB: 6464, bssKiB: 627 },
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

/** Pages of a kernel image as the `Memory:` line counts it (code + rwdata + rodata + init + bss). */
export function imagePages(image: KernelImage): number {
  return Math.ceil((image.codeKiB + image.rwdataKiB + image.rodataKiB + image.initKiB + image.bssKiB) / 4);
}

type Arch = 'x86_64' | 'aarch64';
const archOfFlavor = (flavor: string): Arch => (flavor.endsWith('arm64') ? 'aarch64' : 'x86_64');

/**
 * What a build keeps at tcp_init beyond its image's sections — the 2 MiB-aligned gaps between them, the unused
 * decrypted area, NODE_DATA(0), early page tables, ACPI copies — as the mean and the largest deviation over the
 * measured builds of the architecture (x86-64: 1386–2037 pages over the four Debian amd64 builds; arm64: 321–327).
 * Derived from the table above, not fitted.
 */
export function imageOverhead(arch: Arch): { readonly mean: number; readonly spread: number } {
  const overheads = builds.filter((b) => archOfFlavor(b.flavor) === arch && b.build.image !== undefined).map((b) => b.build.fixedReservedPages - imagePages(b.build.image!));
  const mean = Math.round(overheads.reduce((s, o) => s + o, 0) / overheads.length);
  return { mean, spread: Math.max(...overheads.map((o) => Math.abs(o - mean))) };
}

/** A distribution kernel's image as a published boot log shows it: the centre of the estimate for its releases. */
interface PublishedImage {
  readonly id: string;
  /** The releases (`uname -r`) this image stands for. */
  readonly release: RegExp;
  readonly arch: Arch;
  readonly major: number;
  readonly image: KernelImage;
  /** `percpu: Embedded N pages/cpu`, when the log shows it. */
  readonly percpuPagesPerCpu?: number;
  /** Where the `Memory:` line was read (repository @ commit and file, or issue thread). */
  readonly source: string;
}

/**
 * Published `Memory: …K/…K available (…K kernel code, …K rwdata, …K rodata, …K init, …K bss, …)` lines of
 * distribution kernels (docs/kernel-model.md, "Where the centres come from"). The image size of one distribution
 * series and flavour moves by well under 1 % between its ABIs (Debian 6.1.0-47 vs 6.1.0-56: 6 KiB of 46 MB), so one
 * boot log stands for the series; the part beyond the image is `imageOverhead`.
 */
const publishedImages: readonly PublishedImage[] = [
  {
    id: 'debian-4.19-amd64',
    release: /^4\.19\.0-\d+-(?:rt-)?amd64$/,
    arch: 'x86_64',
    major: 4,
    image: { codeKiB: 10252, rwdataKiB: 1241, rodataKiB: 3316, initKiB: 1592, bssKiB: 2272 },
    source: 'Debian 10 4.19.0-10-amd64: github linuxhw/Dmesg @e81606e5, Server/Supermicro/C9/C9Z390-PGW/F03332D9C125/DEBIAN-10/4.19.0-10-AMD64/X86_64/F34EB9D9C6',
  },
  {
    id: 'debian-5.10-amd64',
    release: /^5\.10\.0-\d+-(?:rt-)?amd64$/,
    arch: 'x86_64',
    major: 5,
    image: { codeKiB: 12295, rwdataKiB: 2537, rodataKiB: 7560, initKiB: 2660, bssKiB: 5468 },
    percpuPagesPerCpu: 63,
    source: 'Debian 11 5.10.0-21-amd64: github linuxhw/Dmesg @4f115f28, Server/ASRockRack/W680/W680D4U-1L/20C7D1E4BD07/DEBIAN-11/5.10.0-21-AMD64/X86_64/82DD0C6AA9',
  },
  {
    id: 'ubuntu-4.15-generic',
    release: /^4\.15\.0-\d+-generic$/,
    arch: 'x86_64',
    major: 4,
    image: { codeKiB: 12300, rwdataKiB: 2481, rodataKiB: 4260, initKiB: 2432, bssKiB: 2388 },
    percpuPagesPerCpu: 45,
    source: 'Ubuntu 4.15.0 -generic configuration: github b-rad-NDi/Ubuntu-media-tree-kernel-builder issue 88',
  },
  {
    id: 'ubuntu-5.15-generic',
    release: /^5\.15\.0-\d+-generic$/,
    arch: 'x86_64',
    major: 5,
    image: { codeKiB: 16393, rwdataKiB: 4382, rodataKiB: 10800, initKiB: 3224, bssKiB: 6572 },
    percpuPagesPerCpu: 60,
    source: 'Ubuntu 22.04 5.15.0-46-generic: github linuxhw/Dmesg @7facf728, All In One/ASUSTek Computer/ET/ET2410/97A1B54C949C/UBUNTU-22.04/5.15.0-46-GENERIC/X86_64/3CD48CF0ED',
  },
  {
    id: 'rhel-8',
    release: /^4\.18\.0-[\d.]+\.el8/,
    arch: 'x86_64',
    major: 4,
    image: { codeKiB: 12292, rwdataKiB: 2100, rodataKiB: 3816, initKiB: 2344, bssKiB: 3320 },
    percpuPagesPerCpu: 47,
    source: 'CentOS 8 4.18.0-80.el8.x86_64: github linuxhw/Dmesg @c15743db, Server/AIC/SB302/SB302-LB/98EDCF68ED2D/CENTOS-8/4.18.0-80.EL8.X86_64/X86_64/2903921AEB',
  },
];

/**
 * The spread of the fixed reservation among real distribution kernels, per architecture (pages at tcp_init), for a
 * 6.x build whose distribution nothing here describes. Derived from the builds measured here (x86-64: Debian
 * 6.1/6.12 cloud and generic, 10,304–13,380 pages; arm64: Debian 6.1 cloud and generic, 7,106–8,495), from published
 * boot logs of other distributions' kernels (the `Memory:` line's image), and the issue-14 held-out boot of another
 * build 18 MiB above Debian 6.1 generic (≈ 18,000 pages); per CPU from `percpu: Embedded N pages/cpu` (45–69 pages on
 * x86-64, 30–31 on arm64 Debian; up to 80 allowed for builds with more per-CPU data). Older series and known
 * distributions get a centre of their own (`kernelBuildFor`). See docs/kernel-model.md, "Uncertainty".
 */
export const estimatedBuildSpread: Readonly<Record<Arch, { readonly fixed: readonly [number, number]; readonly percpu: readonly [number, number]; readonly freed: readonly [number, number] }>> = {
  x86_64: { fixed: [9000, 18200], percpu: [40, 80], freed: [1000, 2600] },
  aarch64: { fixed: [6000, 15000], percpu: [28, 64], freed: [1000, 2600] },
};

/**
 * How far a Debian build of a measured series but another flavour or ABI lies from the measured profile it takes
 * (pages): the held-out boots (fixtures/qemu-heldout: 6.1.0-57 and 6.12.118 rt-amd64, 6.1.0-47 amd64, 6.12.118
 * cloud-amd64, 256 MiB … 8 GiB, one NUMA each) learned fixed parts at most 7 pages from the profile's; plus the
 * ±12 pages managed memory moves between boots of one case (tools/qemu/README.md).
 */
export const debianFlavourSpread = 7 + 12;

const cloudFlavors = /(?:^|-)(?:cloud|aws|azure|gcp|gke|kvm|virtual|oracle|ibm|cos)(?:-|$)/;
const debianRelease = /^\d+\.\d+\.\d+(?:-\d+|\+deb\d+)-(?:cloud-|rt-)?(?:amd64|arm64)$/;

/**
 * The nearest known profile for a build nobody measured, from what its release string says: the architecture
 * (`arm64`/`aarch64` in it), the flavour (cloud-like: `cloud`, `aws`, `azure`, `gcp`, `kvm`, `virtual` … take the
 * Debian cloud build, whose image leaves out bare-metal drivers; `generic`, `amd64`, `rt`, distribution kernels take
 * the generic one) and the series (6.7 and later take 6.12's numbers, older 6.1's).
 */
function nearestProfile(version: KernelVersion, arch: Arch): { readonly build: KernelBuild; readonly series: string; readonly why: string } {
  const local = version.localVersion.toLowerCase();
  const cloud = cloudFlavors.test(local) || /\.amzn\d|cos/.test(version.release);
  if (arch === 'aarch64') {
    const flavor = cloud ? 'cloud-arm64' : 'arm64';
    const found = builds.find((b) => b.series === '6.1' && b.flavor === flavor);
    if (found !== undefined) return { build: found.build, series: '6.1', why: `aarch64, ${cloud ? 'cloud-like' : 'generic'} flavour → ${found.build.id}` };
  }
  const series = version.major > 6 || (version.major === 6 && version.minor >= 7) ? '6.12' : '6.1';
  const flavor = cloud ? 'cloud-amd64' : 'amd64';
  const found = builds.find((b) => b.series === series && b.flavor === flavor);
  return { build: found?.build ?? builds[1]!.build, series, why: `series ${series === '6.12' ? '≥ 6.7' : '< 6.7'}, ${cloud ? 'cloud-like' : 'generic'} flavour → ${found?.build.id ?? 'debian-6.1-amd64'}` };
}

/** The pages a published image reserves at tcp_init, and the range around it (image + overhead ± its spread). */
function fromImages(images: readonly KernelImage[], arch: Arch): { readonly centre: number; readonly fixed: readonly [number, number] } {
  const overhead = imageOverhead(arch);
  const pages = images.map(imagePages);
  const low = Math.min(...pages) + overhead.mean - overhead.spread;
  const high = Math.max(...pages) + overhead.mean + overhead.spread;
  return { centre: Math.round((low + high) / 2), fixed: [low, high] };
}

/**
 * The estimate for a build nobody measured: the nearest known profile stands in for what the release cannot say
 * (percpu unit, pages freed after tcp_init, per-node cost), and the fixed reservation is centred by the best
 * evidence the release string allows — a measured Debian build of the same series (another flavour or ABI), a
 * published boot log of the distribution's kernel, the images of that kernel era (before 6.0), or the nearest
 * profile with the architecture's whole spread.
 */
function estimateFor(version: KernelVersion, arch: Arch, nearest: ReturnType<typeof nearestProfile>): BuildEstimate & { readonly centrePages: number; readonly percpu?: number } {
  const series = seriesOf(version);
  if (debianRelease.test(version.release) && series === nearest.series && archOfFlavor(builds.find((b) => b.build === nearest.build)?.flavor ?? '') === arch) {
    const centre = nearest.build.fixedReservedPages;
    return { centre: 'debian-flavour', from: `${nearest.build.id} (another flavour or ABI of a measured Debian series)`, fixed: [centre - debianFlavourSpread, centre + debianFlavourSpread], centrePages: centre };
  }
  const published = publishedImages.find((p) => p.arch === arch && p.release.test(version.release));
  if (published !== undefined) {
    const { centre, fixed } = fromImages([published.image], arch);
    return { centre: 'published-image', from: `${published.id}: ${published.source}`, fixed, centrePages: centre, ...(published.percpuPagesPerCpu === undefined ? {} : { percpu: published.percpuPagesPerCpu }) };
  }
  if (version.major < 6) {
    const era = publishedImages.filter((p) => p.arch === arch && (version.major < 5 ? p.major < 5 : p.major === 5));
    if (era.length > 0) {
      const { centre, fixed } = fromImages(era.map((p) => p.image), arch);
      return { centre: 'series-era', from: `the ${version.major < 5 ? '3.x/4.x' : '5.x'} images of ${era.map((p) => p.id).join(', ')}`, fixed, centrePages: centre };
    }
  }
  const spread = estimatedBuildSpread[arch];
  return { centre: 'nearest-profile', from: nearest.build.id, fixed: spread.fixed, centrePages: nearest.build.fixedReservedPages };
}

/** The measured build profile for a release, or an estimate from the nearest known profile (kind `estimated`). */
export function kernelBuildFor(version: KernelVersion, arch: Arch = /arm64|aarch64/.test(version.release) ? 'aarch64' : 'x86_64'): KernelBuild {
  const series = seriesOf(version);
  const flavor = flavorOf(version);
  const measuredEntry = builds.find((b) => b.series === series && b.flavor === flavor);
  if (measuredEntry !== undefined) {
    const { build, release } = measuredEntry;
    if (release === version.release || !debianRelease.test(version.release)) return build;
    // Another ABI of a measured Debian series and flavour: the same numbers (held-out 6.1.0-47, 6.12.118 cloud: within
    // 7 pages), kept as measured, with boot-to-boot noise as its range.
    const f = build.fixedReservedPages;
    return { ...build, estimate: { centre: 'debian-flavour', from: `${build.id}, measured on ${release}`, fixed: [f - debianFlavourSpread, f + debianFlavourSpread] } };
  }
  const nearest = nearestProfile(version, arch);
  const { centrePages, percpu, ...estimate } = estimateFor(version, arch, nearest);
  return {
    ...nearest.build,
    id: `estimate:${nearest.build.id}`,
    fixedReservedPages: centrePages,
    ...(percpu === undefined ? {} : { percpuPagesPerCpu: percpu }),
    measured: false,
    kind: 'estimated',
    estimate,
    evidence:
      `No boot of this build was measured; the nearest known profile stands in (${nearest.why}), its fixed reservation ` +
      `centred by ${estimate.centre} (${estimate.from}): ${estimate.fixed[0]}–${estimate.fixed[1]} pages ` +
      `(${Math.round((estimate.fixed[0] * 4) / 1024)}–${Math.round((estimate.fixed[1] * 4) / 1024)} MiB); ` +
      'the JSON ranges show what that spread means for this host. Calibrate from one host of this release (`--calibrate`) to make it exact.',
  };
}
