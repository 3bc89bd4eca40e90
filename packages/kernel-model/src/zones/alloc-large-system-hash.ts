/** The inputs of one `alloc_large_system_hash()` call that decide its size. */
export interface LargeSystemHashRequest {
  readonly bucketBytes: number;
  /** 0 = size from memory. */
  readonly numentries: number;
  /** log2 of bytes of memory per bucket. */
  readonly scale: number;
  readonly lowLimit: number;
  /** 0 = 1/16 of memory (`nr_all_pages`). */
  readonly highLimit: number;
}

/** The memory counters and version switches the sizing reads. */
export interface LargeSystemHashContext {
  readonly nrKernelPages: number;
  readonly nrAllPages: number;
  readonly pageShift: number;
  /** The ×4-above-64-GiB scale bump for tables with high_limit 0 (≥ 4.13). */
  readonly adaptiveScale: boolean;
}

/** The size the kernel settles on, and the steps to explain it. */
export interface LargeSystemHashResult {
  readonly entries: number;
  readonly log2: number;
  readonly bytes: number;
  readonly steps: readonly string[];
}

function roundupPowOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * `alloc_large_system_hash()` sizing (mm/page_alloc.c ≤ 6.2, mm/mm_init.c ≥ 6.3; the same arithmetic 3.10 → 7.1 on
 * 64-bit apart from the adaptive scale of 4.13+): entries from nr_kernel_pages rounded up to 1 MiB, one bucket per
 * 2^scale bytes, at least one page of buckets, rounded up to a power of two, capped by high_limit or 1/16 of memory
 * and 2^31. The HASH_SMALL branch (gone by 6.6) is never used by TCP. The halving retry on allocation failure is not
 * modelled (it does not happen at a normal boot).
 */
export function allocLargeSystemHash(request: LargeSystemHashRequest, context: LargeSystemHashContext): LargeSystemHashResult {
  const { pageShift } = context;
  const pageSize = 2 ** pageShift;
  const steps: string[] = [];
  let numentries = request.numentries;
  let scale = request.scale;
  if (numentries === 0) {
    const perMiB = Math.max(1, (1024 * 1024) / pageSize);
    numentries = Math.ceil(context.nrKernelPages / perMiB) * perMiB;
    steps.push(`numentries = round_up(nr_kernel_pages ${context.nrKernelPages}, ${perMiB}) = ${numentries}`);
    if (context.adaptiveScale && request.highLimit === 0) {
      // ADAPT_SCALE_BASE 64 GiB, ADAPT_SCALE_SHIFT 2.
      for (let adapt = 2 ** (36 - pageShift); adapt < numentries; adapt *= 4) scale++;
      if (scale !== request.scale) steps.push(`adaptive scale above 64 GiB: ${request.scale} → ${scale}`);
    }
    numentries = scale > pageShift ? Math.floor(numentries / 2 ** (scale - pageShift)) : numentries * 2 ** (pageShift - scale);
    steps.push(`one bucket per 2^${scale} bytes: ${numentries}`);
    if (numentries * request.bucketBytes < pageSize) {
      numentries = pageSize / request.bucketBytes;
      steps.push(`at least one page of buckets: ${numentries}`);
    }
  }
  const rounded = roundupPowOfTwo(numentries);
  if (rounded !== numentries) steps.push(`roundup_pow_of_two(${numentries}) = ${rounded}`);
  numentries = rounded;
  let max = request.highLimit;
  if (max === 0) max = Math.floor((context.nrAllPages * pageSize) / 16 / request.bucketBytes);
  max = Math.min(max, 2 ** 31);
  if (numentries < request.lowLimit) numentries = request.lowLimit;
  if (numentries > max) {
    steps.push(`capped at ${request.highLimit === 0 ? '1/16 of memory' : 'high_limit'} ${max}`);
    numentries = max;
  }
  const log2 = Math.floor(Math.log2(numentries));
  const entries = 2 ** log2;
  return { entries, log2, bytes: request.bucketBytes * entries, steps };
}
