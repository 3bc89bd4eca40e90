import { flavorOf, kernelBuildFor } from './kernel-build';
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
});
