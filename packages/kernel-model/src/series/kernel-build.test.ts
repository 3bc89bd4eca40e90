import { flavorOf, kernelBuildFor } from './kernel-build';
import { parseKernelRelease } from './kernel-version';

describe('kernel build profiles', () => {
  it.each([
    ['6.1.0-56-cloud-amd64', 'cloud-amd64', 'debian-6.1-cloud-amd64'],
    ['6.1.0-56-amd64', 'amd64', 'debian-6.1-amd64'],
    ['6.12.117+deb12-cloud-amd64', 'cloud-amd64', 'debian-6.12-cloud-amd64'],
    ['6.12.117+deb12-amd64', 'amd64', 'debian-6.12-amd64'],
    ['5.15.0-91-generic', 'generic', 'estimate-distribution-x86_64'],
  ])('reads %s as flavour %s and uses the %s profile', (release, flavor, id) => {
    const version = parseKernelRelease(release)!;
    expect(flavorOf(version)).toBe(flavor);
    expect(kernelBuildFor(version).id).toBe(id);
  });

  it('marks the fallback as not measured', () => {
    expect(kernelBuildFor(parseKernelRelease('4.19')!).measured).toBe(false);
  });
});
