import { computeBootDefaults } from '../tcp-init/compute-boot-defaults';
import { normalizeHardware } from './normalize-hardware';

describe('the architecture a kernel release names, when the hardware gives none', () => {
  it.each([
    ['Debian cloud arm64', '6.1.0-26-cloud-arm64'],
    ['Debian arm64', '6.1.0-26-arm64'],
    ['RHEL aarch64', '5.14.0-427.13.1.el9_4.aarch64'],
    ['Amazon Linux aarch64', '6.1.102-111.182.amzn2023.aarch64'],
  ])('%s (%s) is modelled as aarch64: its zones, not x86-64\'s, as with arch given', (_what, kernel) => {
    expect(normalizeHardware({ kernel, memory: '8GiB' }).arch).toBe('aarch64');
    const inferred = computeBootDefaults({ kernel, memory: '8GiB', cpus: 2 });
    const given = computeBootDefaults({ kernel, memory: '8GiB', cpus: 2, arch: 'aarch64' });
    expect(inferred.sysctls).toEqual(given.sysctls);
    const populated = (zones: typeof inferred.zones) => zones.filter((z) => z.present > 0).map((z) => `${z.zone} ${z.present}`);
    expect(populated(inferred.zones)).toEqual(populated(given.zones));
    expect(populated(inferred.zones).some((z) => z.startsWith('DMA32'))).toBe(false);
  });

  it.each([
    ['an x86-64 release', { kernel: '6.1.0-26-amd64', memory: '8GiB' }, 'x86_64'],
    ['an arm64 release with arch given as x86_64', { kernel: '6.1.0-26-arm64', memory: '8GiB', arch: 'x86_64' as const }, 'x86_64'],
    ['an arm64 release with an x86 platform given', { kernel: '6.1.0-26-arm64', memory: '8GiB', platform: 'qemu-q35' as const }, 'x86_64'],
  ])('keeps %s as given', (_what, hardware, arch) => {
    expect(normalizeHardware(hardware).arch).toBe(arch);
  });
});
