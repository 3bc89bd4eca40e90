import { parseKernelRelease } from '../series/kernel-version';
import { checkWrite } from './check-write';
import { checkWriteAtSomeSublevel } from './check-write-at-some-sublevel';
import type { SysctlName } from './sysctl-definition';

const v = (release: string) => parseKernelRelease(release)!;

describe('checkWriteAtSomeSublevel', () => {
  it('accepts a write that only an open backport refuses when the release hides the stable sublevel (tcp_rmem min 2048 on Debian 6.1.0-26)', () => {
    expect(checkWrite('net.ipv4.tcp_rmem', [2048, 131072, 6291456], v('6.1.0-26-amd64'))).toMatchObject({ accepted: false, certain: false });
    expect(checkWriteAtSomeSublevel('net.ipv4.tcp_rmem', [2048, 131072, 6291456], v('6.1.0-26-amd64'))).toMatchObject({ accepted: true, certain: true });
  });

  it.each<[string, SysctlName, number[], string, number | undefined]>([
    ['the backport is in the release it names (6.1.190)', 'net.ipv4.tcp_rmem', [2048, 131072, 6291456], '6.1.190', undefined],
    ['the sublevel given has the backport (6.1.189)', 'net.ipv4.tcp_rmem', [2048, 131072, 6291456], '6.1.0-26-amd64', 189],
    ['every kernel refuses it (min 0)', 'net.ipv4.tcp_rmem', [0, 131072, 6291456], '6.1.0-26-amd64', undefined],
    ['it does not fit an int', 'net.core.somaxconn', [4294967296], '6.1.0-26-amd64', undefined],
    ['it does not fit an int on a series with no backport (6.12.0-1)', 'net.core.somaxconn', [4294967296], '6.12.0-1-amd64', undefined],
  ])('refuses, as checkWrite does, when %s', (_what, name, values, release, stableSublevel) => {
    const context = stableSublevel === undefined ? {} : { stableSublevel };
    const check = checkWriteAtSomeSublevel(name, values, v(release), context);
    expect(check.accepted).toBe(false);
    expect(check).toEqual(checkWrite(name, values, v(release), context));
  });

  it('accepts what checkWrite accepts', () => {
    expect(checkWriteAtSomeSublevel('net.ipv4.tcp_rmem', [4096, 131072, 6291456], v('6.1.0-26-amd64'))).toEqual(checkWrite('net.ipv4.tcp_rmem', [4096, 131072, 6291456], v('6.1.0-26-amd64')));
  });
});
