import { parseKernelRelease } from './kernel-version';
import { seriesFactsFor } from './series-facts';

const facts = (release: string) => seriesFactsFor(parseKernelRelease(release)!);

describe('seriesFactsFor', () => {
  it.each([
    // release, D, R1, RMAX, syn divisor, somaxconn, limit_output_bytes, min_free cap, bhash bytes, rmem_max
    ['3.10', 8, 87380, 6 << 20, 256, 128, 131072, 65536, 16, 212992],
    ['4.4', 16, 87380, 6 << 20, 256, 128, 262144, 65536, 16, 212992],
    ['4.9', 16, 87380, 6 << 20, 256, 128, 262144, 65536, 16, 212992],
    ['4.14', 16, 87380, 6 << 20, 256, 128, 262144, 65536, 16, 212992],
    ['4.19', 16, 87380, 6 << 20, 256, 128, 262144, 65536, 16, 212992],
    ['5.4', 16, 131072, 6 << 20, 128, 4096, 1048576, 65536, 16, 212992],
    ['5.10', 16, 131072, 6 << 20, 128, 4096, 1048576, 262144, 16, 212992],
    ['5.15', 16, 131072, 6 << 20, 128, 4096, 1048576, 262144, 16, 212992],
    ['6.1', 16, 131072, 6 << 20, 128, 4096, 1048576, 262144, 32, 212992],
    ['6.6', 16, 131072, 6 << 20, 128, 4096, 1048576, 262144, 32, 212992],
    ['6.12', 16, 131072, 6 << 20, 128, 4096, 1048576, 262144, 32, 212992],
    ['6.18', 16, 131072, 32 << 20, 128, 4096, 4 << 20, 262144, 32, 4 << 20],
    ['7.1', 16, 131072, 32 << 20, 128, 4096, 4 << 20, 262144, 32, 4 << 20],
  ])('gives %s tcp_mem divisor %i, rmem[1] %i, rmem cap %i, syn divisor %i, somaxconn %i, limit_output_bytes %i, min_free cap %i, bhash bucket %i B, rmem_max %i',
    (release, d, r1, rmax, syn, somaxconn, lob, cap, bhash, coreMax) => {
      const f = facts(release);
      expect([f.tcpMemDivisor, f.rmemDefault, f.rmemMax, f.synBacklogDivisor, f.somaxconn, f.tcpLimitOutputBytes, f.minFreeKbytesCap, f.bhashBucketBytes, f.coreMemMax])
        .toEqual([d, r1, rmax, syn, somaxconn, lob, cap, bhash, coreMax]);
    });

  it.each([
    ['3.10.0-1160.el7.x86_64', 'none-then-recompute'],
    ['3.13.0-170-generic', 'none'],
    ['3.16.0-11-amd64', 'thp-only'],
    ['4.4.0', 'thp-only'],
    ['4.4.178', 'final'],
    ['4.9.0-19-amd64', 'final'],
    ['6.12.117+deb12-amd64', 'final'],
  ])('puts %s in the %s initcall regime', (release, regime) => {
    expect(facts(release).initcallRegime).toBe(regime);
  });

  it.each([
    ['5.17.3', 128, 262144, 'present-minus-memmap'],
    ['6.9', 128, 262144, 'present-minus-memmap'],
    ['6.10', 128, 262144, 'memblock-free'],
    ['4.20.1', 256, 65536, 'present-minus-memmap'],
  ])('maps a release between the named series (%s) to the regime of the last change before it', (release, syn, cap, nkp) => {
    const f = facts(release);
    expect([f.synBacklogDivisor, f.minFreeKbytesCap, f.nrKernelPagesMethod]).toEqual([syn, cap, nkp]);
  });

  it('uses SK_MEM_QUANTUM = PAGE_SIZE up to 4.9, 4096 from 4.10 to 6.0 and PAGE_SIZE again from 6.1', () => {
    expect(['4.9', '4.10', '6.0', '6.1'].map((r) => facts(r).skMemQuantum)).toEqual(['page-size', 4096, 4096, 'page-size']);
  });

  it('says so when a 4.4 kernel may or may not carry the watermark-ordering backport', () => {
    expect(facts('4.4.0-210-generic').notes.join(' ')).toMatch(/bc22af74f271/);
    expect(facts('4.4.178').notes.join(' ')).toMatch(/assumed to carry/);
  });

  it('says so for 3.12/3.13, where the global tcp_mem move is not pinned', () => {
    expect(facts('3.12.74').notes.join(' ')).toMatch(/3\.12 or 3\.13/);
  });

  it('has no uncertainty notes for 6.1', () => {
    expect(facts('6.1.0-26-amd64').notes).toEqual([]);
  });
});

describe('seriesFactsFor, by release', () => {
  it('gives releases that differ only in their suffix equal facts (memo/model-memo.ts shares one object between them)', () => {
    expect(facts('6.1.0-28-cloud-amd64')).toEqual(facts('6.1.0-26-amd64'));
  });

  it.each([
    ['4.4.100', '4.4.178'],
    ['4.4', '4.4.0'],
    ['5.12', '5.13'],
    ['6.9', '6.10'],
  ])('gives %s and %s their own facts (the patch, and whether there is one, count)', (a, b) => {
    expect(JSON.stringify(facts(b))).not.toBe(JSON.stringify(facts(a)));
  });
});
