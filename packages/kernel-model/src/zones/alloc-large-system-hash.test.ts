import { allocLargeSystemHash } from './alloc-large-system-hash';

const ehash = (numentries: number, highLimit: number) => ({ bucketBytes: 8, numentries, scale: 17, lowLimit: 0, highLimit });
const context = (nrKernelPages: number) => ({ nrKernelPages, nrAllPages: nrKernelPages, pageShift: 12, adaptiveScale: true });

describe('alloc_large_system_hash sizing', () => {
  it.each([
    // nr_kernel_pages → TCP established entries (QEMU boots of 6.1 and the 6.18.44 VM)
    [32126, 1024],
    [64382, 2048],
    [128894, 4096],
    [257918, 8192],
    [1032062, 32768],
    [2064254, 65536],
    [6170000, 262144],
    [40000000, 524288],
  ])('sizes ehash for nr_kernel_pages %i at %i entries', (nkp, entries) => {
    expect(allocLargeSystemHash(ehash(0, 512 * 1024), context(nkp)).entries).toBe(entries);
  });

  it('rounds an explicit thash_entries up to a power of two and caps it at 1/16 of memory', () => {
    expect(allocLargeSystemHash(ehash(100000, 0), context(500000)).entries).toBe(131072);
    // 1 GiB of memory: 64 MiB / 8-byte buckets.
    expect(allocLargeSystemHash(ehash(2 ** 30, 0), context(262144)).entries).toBe(8388608);
  });

  it('gives at least one page of buckets on tiny machines', () => {
    expect(allocLargeSystemHash(ehash(0, 512 * 1024), context(1000)).entries).toBe(512);
  });

  it('raises the scale above 64 GiB only for tables without high_limit', () => {
    const dentry = { bucketBytes: 8, numentries: 0, scale: 13, lowLimit: 0, highLimit: 0 };
    expect(allocLargeSystemHash(dentry, context(2 ** 26)).entries).toBe(2 ** 24);
    expect(allocLargeSystemHash(dentry, { ...context(2 ** 26), adaptiveScale: false }).entries).toBe(2 ** 25);
  });
});
