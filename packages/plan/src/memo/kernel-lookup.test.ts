import type { Hardware } from '@tcpmem/schema';
import type { KernelFacts } from '../resolve/prepared-facts';
import { prepareFactsBody } from '../resolve/prepared-facts';
import { kernelForHardware } from '../resolve/kernel-for-hardware';
import type { HostKernel } from '../resolve/host-kernel';
import { createKernelLookup } from './kernel-lookup';

/** A discovered Debian 6.1 host: its `/proc/version` gives the stable sublevel, the release string does not. */
function discovered(sublevel: number | undefined, memory: string): { hardware: Hardware; parsed: KernelFacts } {
  const release = '6.1.0-26-amd64';
  const version = sublevel === undefined ? {} : { version: `Linux version ${release} (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.${sublevel}-1 (2024-09-30)` };
  const parsed = prepareFactsBody({ release, ...version }).kernel;
  return { hardware: { kernel: release, memory, cpus: 4, facts: parsed.facts }, parsed };
}

function kernelOf(found: ReturnType<ReturnType<typeof createKernelLookup>>): HostKernel {
  if ('problem' in found) throw new Error(found.problem.message);
  return found;
}

describe('createKernelLookup', () => {
  // tcp_rmem min 1: 6.1.189 and later refuse it (tcp_min_rcvbuf), 6.1.100 takes it; somaxconn 100000: 3.19 caps at 65535.
  const rmem = ['net.ipv4.tcp_rmem', [1, 131072, 6291456]] as const;
  const somaxconn = ['net.core.somaxconn', [100000]] as const;

  it('gives each stable sublevel of a release its own verdict, though the same list of values is asked about', () => {
    const lookup = createKernelLookup();
    const values = [...rmem[1]];
    const kernels = [discovered(192, '8GiB'), discovered(100, '8GiB'), discovered(undefined, '8GiB'), discovered(192, '16GiB')].map(({ hardware, parsed }) => kernelOf(lookup(hardware, parsed)));
    const verdicts = kernels.map((kernel) => kernel.checkWrite(rmem[0], values));
    const alone = [discovered(192, '8GiB'), discovered(100, '8GiB'), discovered(undefined, '8GiB'), discovered(192, '16GiB')].map(({ hardware, parsed }) =>
      kernelOf(kernelForHardware(hardware, undefined, undefined, parsed.texts)).checkWrite(rmem[0], values),
    );
    expect(verdicts).toEqual(alone);
    expect(verdicts.map((verdict) => verdict.accepted)).toEqual([false, true, false, false]);
    // The release without its sublevel is refused with a reason of its own (the sublevel it does not settle).
    expect(verdicts[2]).not.toEqual(verdicts[0]);
  });

  it('gives each release its own verdict', () => {
    const lookup = createKernelLookup();
    const values = [...somaxconn[1]];
    const verdicts = ['3.19', '4.1', '3.19'].map((kernel) => kernelOf(lookup({ kernel, memory: '8GiB', cpus: 4 })).checkWrite(somaxconn[0], values));
    expect(verdicts.map((verdict) => verdict.accepted)).toEqual([false, true, false]);
  });

  it('shares one verdict between the kernels of one release and sublevel on different hardware', () => {
    const lookup = createKernelLookup();
    const small = kernelOf(lookup(discovered(192, '8GiB').hardware, discovered(192, '8GiB').parsed));
    const large = kernelOf(lookup(discovered(192, '16GiB').hardware, discovered(192, '16GiB').parsed));
    expect(small).not.toBe(large);
    expect(small.writeRules).toBe(large.writeRules);
    expect(large.checkWrite(rmem[0], [...rmem[1]])).toBe(small.checkWrite(rmem[0], [...rmem[1]]));
  });

  it('shares a kernel between hosts of the same prepared facts and hardware block, and only between them', () => {
    const lookup = createKernelLookup();
    const { hardware, parsed } = discovered(192, '8GiB');
    const first = kernelOf(lookup(hardware, parsed));
    expect(lookup({ ...hardware }, parsed)).toBe(first);
    const larger = kernelOf(lookup({ ...hardware, memory: '16GiB' }, parsed));
    expect(larger).not.toBe(first);
    expect(larger.memTotalBytes).not.toBe(first.memTotalBytes);
    // Other kernel facts (another sublevel), the same block: another kernel.
    const other = discovered(100, '8GiB');
    expect(lookup(other.hardware, other.parsed)).not.toBe(first);
    // Facts that are not the prepared ones' fields are keyed whole, not taken for them.
    const unlike = kernelOf(lookup({ ...hardware, facts: other.parsed.facts }, parsed));
    expect(unlike).not.toBe(first);
  });
});
