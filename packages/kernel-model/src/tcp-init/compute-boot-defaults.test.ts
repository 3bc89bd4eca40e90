import { computeBootDefaults } from './compute-boot-defaults';

const within = (model: number, observed: number, bar: number) => Math.abs(model - observed) / observed <= bar;

describe('computeBootDefaults on series that cannot be booted here (evidence: values read on those kernels, and the tcp_init() formulas of net/ipv4/tcp.c)', () => {
  it('reproduces the 6.18.44 VM (24 GiB, 2 CPUs, THP madvise): tcp_mem 287898 383865 575796, established 262144 bind 65536, syn 2048', () => {
    const d = computeBootDefaults({ kernel: '6.18.44', memory: '24GiB', cpus: 2, transparentHugepage: 'madvise' });
    const tcpMem = d.sysctls['net.ipv4.tcp_mem'] as readonly number[];
    [287898, 383865, 575796].forEach((v, i) => expect(within(tcpMem[i] ?? 0, v, 0.005)).toBe(true));
    expect(d.hashTables).toEqual({ established: 262144, bind: 65536 });
    expect(d.sysctls['net.ipv4.tcp_max_syn_backlog']).toBe(2048);
    expect(d.sysctls['net.ipv4.tcp_max_tw_buckets']).toBe(131072);
    expect(d.sysctls['net.ipv4.tcp_rmem']).toEqual([4096, 131072, 33554432]);
    expect(d.sysctls['net.ipv4.tcp_wmem']).toEqual([4096, 16384, 4194304]);
    expect(d.sysctls['net.ipv4.tcp_limit_output_bytes']).toBe(4194304);
    expect(d.sysctls['net.core.rmem_max']).toBe(4194304);
    expect(d.memory.min_free_kbytes).toBe(67584);
    expect(d.zones.filter((z) => z.present > 0).map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
  });

  it('applies the 4.19 source values on 8 GiB: rmem[1] 87380, syn backlog ehash/256, somaxconn 128, limit_output_bytes 256 KiB', () => {
    const d = computeBootDefaults({ kernel: '4.19.0-21-amd64', memory: '8GiB', cpus: 2 });
    expect(d.hashTables.established).toBe(65536);
    expect(d.sysctls['net.ipv4.tcp_max_syn_backlog']).toBe(256);
    expect(d.sysctls['net.core.somaxconn']).toBe(128);
    expect(d.sysctls['net.ipv4.tcp_limit_output_bytes']).toBe(262144);
    expect((d.sysctls['net.ipv4.tcp_rmem'] as readonly number[])[1]).toBe(87380);
    expect(d.sysctls['net.ipv4.tcp_child_ehash_entries']).toBeUndefined();
  });

  it('applies the 5.4 source values on 16 GiB: syn backlog ehash/128, somaxconn 4096, limit_output_bytes 1 MiB, THP min_free_kbytes 67584', () => {
    const d = computeBootDefaults({ kernel: '5.4.0-150-generic', memory: '16GiB', cpus: 4 });
    expect(d.hashTables.established).toBe(131072);
    expect(d.sysctls['net.ipv4.tcp_max_syn_backlog']).toBe(1024);
    expect(d.sysctls['net.core.somaxconn']).toBe(4096);
    expect(d.sysctls['net.ipv4.tcp_limit_output_bytes']).toBe(1048576);
    expect(d.memory.min_free_kbytes).toBe(67584);
  });

  it('in 3.10 sizes tcp_mem (÷8, recomputed with the final watermarks) and rmem/wmem (no watermarks yet) differently', () => {
    const d = computeBootDefaults({ kernel: '3.10.0-1160.el7.x86_64', memory: '4GiB', cpus: 2 });
    const unwatermarked = d.zones.reduce((s, z) => s + (z.zone === 'Movable' ? 0 : z.managed), 0);
    expect(d.memory.nr_free_buffer_pages).toBe(unwatermarked);
    expect((d.sysctls['net.ipv4.udp_mem'] as readonly number[])[1]).toBe(Math.floor(unwatermarked / 8));
    expect((d.sysctls['net.ipv4.tcp_mem'] as readonly number[])[1]).toBeLessThan(Math.floor(unwatermarked / 8));
    expect(d.sysctls['vm.watermark_scale_factor']).toBeUndefined();
  });

  it('reproduces the 6.1 QEMU 256 MiB boot: tcp_mem 2475 3301 4950 (tcp_init_mem(): nr_free_buffer_pages() 52820 / 16)', () => {
    const d = computeBootDefaults({ kernel: '6.1.0-50-cloud-amd64', memory: '256MiB', cpus: 1 }, { initrdBytes: 1012 * 1024 });
    expect(d.sysctls['net.ipv4.tcp_mem']).toEqual([2475, 3301, 4950]);
    expect(d.memory.thp).toBe(false);
  });
});

describe('computeBootDefaults inputs', () => {
  it('notes a thash_entries value the kernel rejects and sizes ehash automatically', () => {
    const d = computeBootDefaults({ kernel: '6.1.0-56-amd64', memory: '1GiB', cmdline: 'thash_entries=08' });
    expect(d.hashTables.established).toBe(8192);
    expect(d.notes.join(' ')).toMatch(/thash_entries=08/);
  });

  it('takes the logged hash sizes when the facts carry the dmesg line', () => {
    const d = computeBootDefaults({ kernel: '6.1.0-56-amd64', memory: '1GiB', facts: { hashTablesLine: 'TCP: Hash tables configured (established 16384 bind 16384)' } });
    expect(d.hashTables).toEqual({ established: 16384, bind: 16384 });
    expect(d.sysctls['net.ipv4.tcp_max_orphans']).toBe(8192);
  });

  it('leaves ZONE_MOVABLE out of nr_free_buffer_pages()', () => {
    const plain = computeBootDefaults({ kernel: '6.1.0-56-amd64', memory: '8GiB', cpus: 2 });
    const movable = computeBootDefaults({ kernel: '6.1.0-56-amd64', memory: '8GiB', cpus: 2, cmdline: 'movablecore=2G' });
    expect(movable.memory.nr_free_buffer_pages).toBeLessThan(plain.memory.nr_free_buffer_pages - 500000);
    expect(movable.zones.find((z) => z.zone === 'Movable')?.nr_free_buffer_pages).toBe(0);
  });

  it('explains every zone and formula with the kernel function that computes it', () => {
    const d = computeBootDefaults({ kernel: '6.12.117+deb12-amd64', memory: '4GiB', cpus: 2 });
    const functions = d.explain.map((s) => s.kernelFunction);
    expect(functions).toEqual(expect.arrayContaining(['nr_free_zone_pages', 'alloc_large_system_hash', 'tcp_init_mem', 'udp_init', 'tcp_init']));
  });

  it('makes the explanation when it is first read, in its place among the keys, and keeps it (a plan reads none)', () => {
    const d = computeBootDefaults({ kernel: '6.1.0-26-amd64', nodes: ['8GiB', '8GiB'], cpus: 8 });
    expect(typeof Object.getOwnPropertyDescriptor(d, 'explain')?.get).toBe('function');
    expect(Object.keys(d)).toEqual(['kernel', 'sysctls', 'hashTables', 'memory', 'zones', 'explain', 'notes']);
    const steps = d.explain;
    expect(d.explain).toBe(steps);
    expect(steps.map((s) => s.step)).toEqual(expect.arrayContaining(['node 1 zone Normal', 'nr_free_buffer_pages', 'tcp_mem', 'udp_mem']));
    expect((JSON.parse(JSON.stringify(d)) as { explain: unknown }).explain).toEqual(steps);
    expect(structuredClone(d).explain).toEqual(steps);
  });

  it('refuses a machine without any memory description', () => {
    expect(() => computeBootDefaults({ kernel: '6.1' })).toThrow(/memory/);
  });
});

describe('computeBootDefaults results belong to the caller', () => {
  /** Writes over every number, string and list in a value (what a careless caller might do to a result). */
  const vandalize = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(vandalize);
      value.push('vandalized');
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      for (const [key, item] of Object.entries(record)) {
        if (typeof item === 'number') record[key] = -1;
        else if (typeof item === 'string') record[key] = 'vandalized';
        else vandalize(item);
      }
    }
  };

  it.each([
    ['the same machine', { kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 4 }, { kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 4 }],
    ['a machine that shares its boot memory', { kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 4 }, { kernel: '6.1.0-28-amd64', memory: '8GiB', cpus: 4 }],
  ])('changing a result does not change the next one for %s', (_case, first, second) => {
    const expected = computeBootDefaults(second);
    vandalize(computeBootDefaults(first));
    expect(computeBootDefaults(second)).toEqual(expected);
  });
});
