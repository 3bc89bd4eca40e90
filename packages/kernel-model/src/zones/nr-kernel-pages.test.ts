import { calcMemmapSize, nrKernelPagesFromZones } from './nr-kernel-pages';

describe('nr_kernel_pages before 6.10', () => {
  it('charges a zone for the struct pages of its span, or of its present pages when it is full of holes', () => {
    expect(calcMemmapSize(4095, 3998)).toBe(64);
    expect(calcMemmapSize(258016, 258016)).toBe(4032);
    expect(calcMemmapSize(1000000, 1000)).toBe(16);
  });

  it('adds present − memmap over every zone (the 1 GiB pc layout gives 257918)', () => {
    const zones = [
      { node: 0, zone: 'DMA' as const, startPfn: 1, spanned: 4095, present: 3998 },
      { node: 0, zone: 'DMA32' as const, startPfn: 4096, spanned: 258016, present: 258016 },
    ];
    expect(nrKernelPagesFromZones(zones)).toEqual({ nrKernelPages: 257918, nrAllPages: 257918 });
  });
});
