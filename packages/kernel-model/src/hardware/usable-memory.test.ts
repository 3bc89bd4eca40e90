import { computeBootDefaults } from '../tcp-init/compute-boot-defaults';
import { HardwareInputError, normalizeHardware } from './normalize-hardware';

describe('usable RAM: what firmware and hypervisors leave the kernel', () => {
  it('changes nothing when it is what QEMU pc maps for the memory given (1048056 KiB for 1 GiB)', () => {
    const plain = computeBootDefaults({ kernel: '6.1.0-56-amd64', memory: '1GiB', cpus: 1 });
    const usable = computeBootDefaults({ kernel: '6.1.0-56-amd64', memory: '1GiB', cpus: 1, usable: `${1048056 * 1024}` });
    expect(usable.sysctls).toEqual(plain.sysctls);
  });

  it.each([
    ['a "4 GiB" cloud VM with 4,020,000 KiB usable', '4GiB', 4020000],
    ['a "2 GiB" droplet with 2,000,000 KiB usable', '2GiB', 2000000],
    ['a 64 GiB host with 63.5 GiB usable', '64GiB', 63.5 * 2 ** 20],
  ])('%s has that much less managed memory than a QEMU guest of the same size', (_what, memory, usableKiB) => {
    const qemu = computeBootDefaults({ kernel: '6.12.117+deb12-amd64', memory, cpus: 2 });
    const real = computeBootDefaults({ kernel: '6.12.117+deb12-amd64', memory, cpus: 2, usable: `${usableKiB}KiB` });
    const mapped = normalizeHardware({ kernel: '6.12.117+deb12-amd64', memory, cpus: 2, usable: `${usableKiB}KiB` });
    expect(mapped.notes.some((n) => n.startsWith('Usable RAM'))).toBe(true);
    const lostPages = qemu.zones.reduce((s, z) => s + z.present, 0) - real.zones.reduce((s, z) => s + z.present, 0);
    expect(lostPages).toBe(qemu.zones.reduce((s, z) => s + z.present, 0) - usableKiB / 4);
    expect(real.memory.nr_free_buffer_pages).toBeLessThan(qemu.memory.nr_free_buffer_pages);
  });

  it('reads the usable RAM from a boot log when no size is given', () => {
    const dmesg = '[    0.000000] Memory: 3116492K/4194304K available (12096K kernel code, 2022K rwdata, 7824K rodata, 4608K init, 588K bss, 175824K reserved, 65536K cma-reserved)\n';
    expect(normalizeHardware({ kernel: '6.1.0-57-cloud-arm64', arch: 'aarch64', facts: { dmesg } }).nodes).toEqual([{ id: 0, memoryBytes: 4194304 * 1024 }]);
  });

  it('refuses usable RAM that is not a size, naming the field', () => {
    expect(() => normalizeHardware({ kernel: '6.1', memory: '4GiB', usable: 'lots' })).toThrow(HardwareInputError);
    expect(() => normalizeHardware({ kernel: '6.1', memory: '4GiB', usable: 'lots' })).toThrow(/^\/usable: not a size/);
  });

  it('refuses an x86 memory map for an aarch64 host, naming the fix', () => {
    expect(() => normalizeHardware({ kernel: '6.1', memory: '4GiB', arch: 'aarch64', platform: 'qemu-pc' })).toThrow(/^\/platform: .*give platform qemu-virt for aarch64/);
  });
});
