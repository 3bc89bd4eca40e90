import { parseKernelRelease } from '../series/kernel-version';
import { listKernelChanges, presenceOf, whyUnknown, type KernelChangeId } from './kernel-changes';
import { stableSublevelOf } from './stable-sublevel';

const v = (release: string) => parseKernelRelease(release)!;
const at = (id: KernelChangeId, release: string, stableSublevel?: number) =>
  presenceOf(id, v(release), stableSublevelOf(v(release), stableSublevel));

describe('stable sublevels', () => {
  it.each([
    ['6.1.112', undefined, 112],
    ['6.18.44-fc-v669', undefined, 44],
    ['6.1.0-26-amd64', undefined, undefined],
    ['5.15.0-91-generic', undefined, undefined],
    ['4.18.0-513.el8.x86_64', undefined, undefined],
    ['6.1', undefined, undefined],
    ['6.1.0', undefined, 0],
    ['6.1.0-rc3', undefined, 0],
    ['6.1.0-26-amd64', 112, 112],
  ])('takes %s (stableSublevel %s) to be sublevel %s: a distribution x.y.0-N release hides it', (release, given, expected) => {
    expect(stableSublevelOf(v(release), given)).toBe(expected);
  });
});

describe('kernel changes', () => {
  it('gives every change a title, a summary and the trees it was read in', () => {
    for (const change of listKernelChanges()) {
      expect(change.title).not.toBe('');
      expect(change.evidence).toMatch(/S\d|\d\.\d+\.\d+|Debian|changelog|mail/);
    }
  });

  it.each([
    // tcp_min_rcvbuf: Debian changelogs put it in upstream 6.1.189 and 6.12.112; mainline from the 7.3 cycle.
    ['tcp-rmem-min-4096', '6.1.188', undefined, 'absent'],
    ['tcp-rmem-min-4096', '6.1.189', undefined, 'present'],
    ['tcp-rmem-min-4096', '6.1.0-26-amd64', undefined, 'unknown'],
    ['tcp-rmem-min-4096', '6.1.0-26-amd64', 192, 'present'],
    ['tcp-rmem-min-4096', '6.12.111', undefined, 'absent'],
    ['tcp-rmem-min-4096', '6.12.112', undefined, 'present'],
    ['tcp-rmem-min-4096', '6.18.44-fc-v669', undefined, 'absent'],
    ['tcp-rmem-min-4096', '6.18.60', undefined, 'unknown'],
    ['tcp-rmem-min-4096', '7.1.5', undefined, 'absent'],
    ['tcp-rmem-min-4096', '7.3', undefined, 'present'],
    ['tcp-rmem-min-4096', '5.4.286', undefined, 'absent'],
    // proc_doulongvec_minmax negatives: S5.15 (5.15.135) skips, 5.17.0 refuses; 5.16 was not read.
    ['ulong-negative-einval', '5.15.135', undefined, 'absent'],
    ['ulong-negative-einval', '5.16.3', undefined, 'unknown'],
    ['ulong-negative-einval', '5.17', undefined, 'present'],
    // tcp_max_syn_backlog / tw per netns: global in 4.10.17, per netns in 4.11.0.
    ['tw-syn-backlog-per-netns', '4.10.17', undefined, 'absent'],
    ['tw-syn-backlog-per-netns', '4.11', undefined, 'present'],
    // tcp_mem global: per netns in 3.11.0, global in 3.13.10; 3.12 not read.
    ['tcp-mem-global', '3.11', undefined, 'absent'],
    ['tcp-mem-global', '3.12.5', undefined, 'unknown'],
    ['tcp-mem-global', '3.13.10', undefined, 'present'],
    // proc_dointvec_minmax int range: backported to 4.4.178 and 4.9.229, mainline between 5.0.1 and 5.3.1.
    ['minmax-range-check', '4.4.0', undefined, 'absent'],
    ['minmax-range-check', '4.4.178', undefined, 'present'],
    ['minmax-range-check', '4.4.100', undefined, 'unknown'],
    ['minmax-range-check', '4.14.67', undefined, 'absent'],
    ['minmax-range-check', '5.2', undefined, 'unknown'],
    ['minmax-range-check', '5.3.1', undefined, 'present'],
    // rmem_max/wmem_max read-only in child netns: 6.10.0 no, 6.11.11 yes.
    ['core-mem-readonly-in-netns', '6.10', undefined, 'absent'],
    ['core-mem-readonly-in-netns', '6.11.11', undefined, 'present'],
  ] as const)('finds %s %s on %s (stableSublevel %s)', (id, release, sublevel, expected) => {
    expect(at(id, release, sublevel)).toBe(expected);
  });

  it.each([
    ['tcp-rmem-min-4096', '6.1.0-26-amd64', 'the release string hides the stable sublevel, and 6.1.188 lacks it, 6.1.189 has it: pass stableSublevel'],
    ['ulong-negative-einval', '5.16', 'no 5.16 tree was checked, and mainline has it from 5.17'],
    ['tcp-rmem-min-4096', '6.18.60', 'nothing says whether 6.18.60 has it: 6.18.44 lacks it'],
    ['tcp-rmem-min-4096', '6.1.189', ''],
  ] as const)('explains why %s is open on %s', (id, release, why) => {
    expect(whyUnknown(id, v(release), stableSublevelOf(v(release)))).toBe(why);
  });
});
