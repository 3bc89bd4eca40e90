import { stableSublevelFromProcVersion } from './proc-version';

describe('stableSublevelFromProcVersion', () => {
  it.each([
    ['Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)', 6, 1, 112],
    ['Linux version 6.12.57+deb12-amd64 (debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.12.57-1~deb12u1 (2025-11-05)', 6, 12, 57],
    ['Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023', 5, 15, undefined],
    ['Linux version 6.1.0-26-amd64 ... Debian 6.12.57-1 (2025-11-05)', 6, 1, undefined],
  ])('reads the sublevel of %s', (text, major, minor, expected) => {
    expect(stableSublevelFromProcVersion(text, { major, minor })).toBe(expected);
  });
});
