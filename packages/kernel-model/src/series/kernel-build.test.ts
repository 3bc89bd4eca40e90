import { flavorOf, imageOverhead, imagePages, kernelBuildFor } from './kernel-build';
import { parseKernelRelease } from './kernel-version';

describe('kernel build profiles', () => {
  it.each([
    ['6.1.0-56-cloud-amd64', 'cloud-amd64', 'debian-6.1-cloud-amd64'],
    ['6.1.0-56-amd64', 'amd64', 'debian-6.1-amd64'],
    ['6.12.117+deb12-cloud-amd64', 'cloud-amd64', 'debian-6.12-cloud-amd64'],
    ['6.12.117+deb12-amd64', 'amd64', 'debian-6.12-amd64'],
    ['5.15.0-91-generic', 'generic', 'estimate:debian-6.1-amd64'],
    ['6.1.0-57-cloud-arm64', 'cloud-arm64', 'debian-6.1-cloud-arm64'],
    ['6.1.0-57-arm64', 'arm64', 'debian-6.1-arm64'],
  ])('reads %s as flavour %s and uses the %s profile', (release, flavor, id) => {
    const version = parseKernelRelease(release)!;
    expect(flavorOf(version)).toBe(flavor);
    expect(kernelBuildFor(version).id).toBe(id);
  });

  it('marks the fallback as not measured', () => {
    expect(kernelBuildFor(parseKernelRelease('4.19')!).measured).toBe(false);
    expect(kernelBuildFor(parseKernelRelease('4.19')!).kind).toBe('estimated');
  });

  it.each([
    ['6.8.0-1021-aws', 'estimate:debian-6.12-cloud-amd64'],
    ['5.15.0-1064-azure', 'estimate:debian-6.1-cloud-amd64'],
    ['6.6.56+', 'estimate:debian-6.1-amd64'],
    ['5.10.227-219.884.amzn2.x86_64', 'estimate:debian-6.1-cloud-amd64'],
    ['6.8.0-1015-gcp', 'estimate:debian-6.12-cloud-amd64'],
    ['5.14.0-427.13.1.el9_4.x86_64', 'estimate:debian-6.1-amd64'],
    ['6.18.44-fc-v669', 'estimate:debian-6.12-amd64'],
    ['6.8.0-1021-aws-arm64', 'estimate:debian-6.1-cloud-arm64'],
    ['6.12.9-rt-arm64', 'estimate:debian-6.1-arm64'],
  ])('picks the nearest known profile for %s from its release string: %s', (release, id) => {
    expect(kernelBuildFor(parseKernelRelease(release)!).id).toBe(id);
  });

  it.each([
    ['5.15.0-91-generic', 'published-image', /ubuntu-5\.15-generic/],
    ['4.18.0-553.el8_10.x86_64', 'published-image', /rhel-8/],
    ['4.19.0-27-amd64', 'published-image', /debian-4\.19-amd64/],
    ['5.10.0-32-amd64', 'published-image', /debian-5\.10-amd64/],
    ['4.15.0-213-generic', 'published-image', /ubuntu-4\.15-generic/],
    ['5.14.0-427.13.1.el9_4.x86_64', 'series-era', /5\.x images/],
    ['3.10.0-1160.el7.x86_64', 'series-era', /3\.x\/4\.x images/],
    ['6.1.0-57-rt-amd64', 'debian-flavour', /debian-6\.1-amd64/],
    ['6.12.118+deb12-rt-amd64', 'debian-flavour', /debian-6\.12-amd64/],
    ['6.8.0-1021-aws', 'nearest-profile', /debian-6\.12-cloud-amd64/],
    ['6.18.44-fc-v669', 'nearest-profile', /debian-6\.12-amd64/],
  ] as const)('centres the estimate for %s on a %s (%s)', (release, centre, from) => {
    const build = kernelBuildFor(parseKernelRelease(release)!);
    expect(build.kind).toBe('estimated');
    expect(build.estimate?.centre).toBe(centre);
    expect(build.estimate?.from).toMatch(from);
    const [low, high] = build.estimate!.fixed;
    expect(low).toBeLessThanOrEqual(build.fixedReservedPages);
    expect(build.fixedReservedPages).toBeLessThanOrEqual(high);
  });

  it('centres a published image at its pages plus what the measured builds keep beyond their images', () => {
    const overhead = imageOverhead('x86_64');
    // The four Debian amd64 builds keep 1386–2037 pages beyond their image sections.
    expect(overhead).toEqual({ mean: 1713, spread: 327 });
    const rhel8 = kernelBuildFor(parseKernelRelease('4.18.0-80.el8.x86_64')!);
    const image = imagePages({ codeKiB: 12292, rwdataKiB: 2100, rodataKiB: 3816, initKiB: 2344, bssKiB: 3320 });
    expect(rhel8.fixedReservedPages).toBe(image + overhead.mean);
    expect(rhel8.estimate?.fixed).toEqual([image + overhead.mean - overhead.spread, image + overhead.mean + overhead.spread]);
    expect(rhel8.percpuPagesPerCpu).toBe(47);
  });

  it.each([
    ['6.1.0-56-amd64', undefined],
    ['6.1.0-47-amd64', [13380 - 19, 13380 + 19]],
    ['6.12.118+deb12-cloud-amd64', [11323 - 19, 11323 + 19]],
  ] as const)('keeps %s measured, with a boot-noise band only when it is not the release measured', (release, band) => {
    const build = kernelBuildFor(parseKernelRelease(release)!);
    expect(build.kind ?? (build.measured ? 'measured' : 'estimated')).toBe('measured');
    expect(build.estimate?.fixed).toEqual(band);
  });
});
