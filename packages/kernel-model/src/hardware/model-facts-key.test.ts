import type { HostFacts } from '@tcpmem/schema';
import { computeBootDefaults } from '../tcp-init/compute-boot-defaults';
import { modelFacts, modelFactsKey } from './fact-texts';

const facts = (cmdline: string | undefined): HostFacts =>
  modelFacts({ release: '6.1.0-26-amd64', version: 'Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)', ...(cmdline === undefined ? {} : { cmdline }), cpus: 4, pageSize: 4096 });
const defaults = (cmdline: string): unknown => computeBootDefaults({ kernel: '6.1.0-26-amd64', memory: '16GiB', cpus: 4, facts: facts(cmdline) });

describe('modelFactsKey', () => {
  // What differs between hosts of one machine type: the root file system, addresses, names.
  const alike = [
    ['BOOT_IMAGE=/boot/vmlinuz-6.1.0-26-amd64 root=UUID=3f1e2d4c-0000-4000-8000-000000000001 ro quiet', 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-26-amd64 root=UUID=9a8b7c6d-0000-4000-8000-000000000002 ro quiet'],
    ['root=/dev/sda1 ro crashkernel=256M ip=10.0.0.1::10.0.0.254:255.255.255.0:web-1', 'root=/dev/nvme0n1p1 ro crashkernel=256M ip=10.0.0.2::10.0.0.254:255.255.255.0:web-2'],
    ['ro quiet mem=6G', 'mem=6G quiet ro'],
  ] as const;

  it.each(alike)('is the same for %j and %j, and so is the kernel', (a, b) => {
    expect(modelFactsKey(facts(a))).toBe(modelFactsKey(facts(b)));
    expect(defaults(a)).toEqual(defaults(b));
  });

  // Each boot parameter the model reads, and one given twice (a note names it).
  const unlike = ['mem=6G', 'thash_entries=65536', 'transparent_hugepage=never', 'numa=off', 'crashkernel=256M', 'crashkernel=1G,high crashkernel=256M,low', 'movablecore=2G', 'kernelcore=4G', 'swiotlb=noforce', 'no5lvl', 'deferred_init=lazy', 'console=tty0 console=ttyS0'];

  it('compares kernels that the command line changes (mem= caps the RAM)', () => {
    expect(defaults('ro mem=6G')).not.toEqual(defaults('ro'));
  });

  it.each(unlike)('differs from a plain command line for %j', (parameter) => {
    expect(modelFactsKey(facts(`root=UUID=1 ro ${parameter}`))).not.toBe(modelFactsKey(facts('root=UUID=1 ro')));
  });

  it('keeps every other field, in its order', () => {
    const key = JSON.parse(modelFactsKey(facts('root=UUID=1 mem=6G'))) as Record<string, unknown>;
    expect(Object.keys(key)).toEqual(['release', 'version', 'cmdline', 'cpus', 'pageSize']);
    expect(modelFactsKey(facts(undefined))).toBe(JSON.stringify(facts(undefined)));
    expect(modelFactsKey({ ...facts('ro'), cpus: 8 })).not.toBe(modelFactsKey(facts('ro')));
  });
});
