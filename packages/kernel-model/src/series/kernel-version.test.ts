import { atLeast, compareVersion, parseKernelRelease, seriesOf } from './kernel-version';

describe('parseKernelRelease', () => {
  it.each([
    ['6.1.0-26-cloud-amd64', 6, 1, 0, '-26-cloud-amd64'],
    ['5.15.0-91-generic', 5, 15, 0, '-91-generic'],
    ['4.9', 4, 9, undefined, ''],
    ['6.18.44-fc-v669', 6, 18, 44, '-fc-v669'],
    ['3.10.0-1160.el7.x86_64', 3, 10, 0, '-1160.el7.x86_64'],
  ])('reads %s as %i.%i.%s with local version %j', (release, major, minor, patch, local) => {
    expect(parseKernelRelease(release)).toEqual({ major, minor, patch, release, localVersion: local });
  });

  it.each(['', 'linux', '6', 'v6.1'])('rejects %j', (release) => {
    expect(parseKernelRelease(release)).toBeUndefined();
  });
});

describe('version comparison', () => {
  const v = parseKernelRelease('4.19.0-21-amd64')!;
  it('orders by major, minor, then patch', () => {
    expect(compareVersion(v, '4.19')).toBe(0);
    expect(compareVersion(v, '4.20')).toBeLessThan(0);
    expect(compareVersion(v, '4.4')).toBeGreaterThan(0);
    expect(atLeast(v, '4.15')).toBe(true);
    expect(atLeast(v, '5.0')).toBe(false);
  });
  it('names the series', () => {
    expect(seriesOf(v)).toBe('4.19');
  });
});
