import type { Problem } from '@tcpmem/schema';
import type { HostKernel } from './host-kernel';
import { kernelForHardware } from './kernel-for-hardware';
import type { LayeredSysctl } from './layer-settings';
import { resolveSysctl } from './resolve-sysctl';

/** A real kernel from kernel-model: 6.1 on 8 GiB (4 KiB pages; tcp_mem 93993 125326 187986, tcp_rmem max 6 MiB). */
function kernelOf(kernel: string, memory: string): HostKernel {
  const found = kernelForHardware({ kernel, memory, cpus: 4 });
  if ('problem' in found) throw new Error(found.problem.message);
  return found;
}
const k61 = kernelOf('6.1.0-26-amd64', '8GiB');
const k515 = kernelOf('5.15.0-91-generic', '4GiB');

const pointer = (name: string) => `/hosts/h1/sysctls/${name}`;

/** A layered expression as layerHost makes it: the object form located field by field, other forms as a whole. */
function layered(name: string, expr: LayeredSysctl['expr']): LayeredSysctl {
  const isObject = typeof expr === 'object' && !Array.isArray(expr) && !('atLeast' in expr);
  const origins = isObject ? Object.fromEntries(Object.keys(expr).map((f) => [f, { file: 'fleet.yaml', pointer: `${pointer(name)}/${f}` }])) : { '': { file: 'fleet.yaml', pointer: pointer(name) } };
  return { expr, origins, setBy: 'host h1' };
}

function resolve(name: string, expr: LayeredSysctl['expr'], kernel: HostKernel = k61, shapeKernel: HostKernel = kernel) {
  const problems: Problem[] = [];
  const value = resolveSysctl(layered(name, expr), shapeKernel.shapes.get(name)!, kernel, problems);
  return { value, problems: problems.map((p) => `${p.code} ${p.path ?? ''}`) };
}

describe('resolveSysctl', () => {
  it.each([
    ['an absolute number', 'net.core.somaxconn', 8192, [8192], 'absolute'],
    ['a size in bytes', 'net.ipv4.tcp_limit_output_bytes', '2MiB', [2097152], 'absolute'],
    ['an array of numbers and sizes', 'net.ipv4.tcp_wmem', [4096, '16KiB', '16MiB'], [4096, 16384, 16777216], 'absolute'],
    ['a size of a page-valued sysctl, rounded up to pages', 'net.ipv4.tcp_mem', { high: '1GiB' }, [93993, 125326, 262144], '1GiB in 4096-byte pages'],
    ['a share of RAM in pages, next to a size; the field left out is the kernel default', 'net.ipv4.tcp_mem', { pressure: '6%', high: '1GiB' }, [93993, 125829, 262144], '6% of RAM, 1GiB in 4096-byte pages'],
    ['a share of RAM in bytes', 'net.core.rmem_max', '1%', [85899345], '1% of RAM'],
    ['a factor of the kernel default, for one field', 'net.ipv4.tcp_rmem', { max: '2x' }, [4096, 131072, 12582912], '2x the kernel default'],
    ['a factor of the kernel default, for every field of a triple', 'net.ipv4.tcp_mem', '2x', [187986, 250652, 375972], '2x the kernel default'],
    ['a fractional factor, rounded down', 'net.ipv4.tcp_max_syn_backlog', '1.5x', [768], '1.5x the kernel default'],
    ['default, for one value', 'net.core.somaxconn', 'default', [4096], 'kernel default'],
    ['default, for a triple', 'net.ipv4.tcp_rmem', 'default', [4096, 131072, 6291456], 'kernel default'],
  ] as const)('resolves %s (%s %j)', (_what, name, expr, values, form) => {
    const { value, problems } = resolve(name, expr as LayeredSysctl['expr']);
    expect(problems).toEqual([]);
    expect(value).toEqual({ name, values, onlyRaise: values.map(() => false), reason: `${form} (host h1)`, origin: expect.anything() as unknown });
  });

  it.each([
    ['one value', 'net.core.somaxconn', { atLeast: 4096 }, [4096], [true], 'only raise, at least 4096'],
    ['one field of a triple', 'net.ipv4.tcp_rmem', { max: { atLeast: '8MiB' } }, [4096, 131072, 8388608], [false, false, true], 'only raise, at least 8388608'],
    ['a share of RAM', 'net.ipv4.tcp_mem', { high: { atLeast: '6%' } }, [93993, 125326, 125829], [false, false, true], 'only raise, at least 125829 (6% of RAM)'],
    ['a factor', 'net.ipv4.tcp_max_orphans', { atLeast: '2x' }, [65536], [true], 'only raise, at least 65536 (2x the kernel default)'],
  ] as const)('marks {atLeast} fields as only raised: %s (%s %j)', (_what, name, expr, values, onlyRaise, form) => {
    const { value, problems } = resolve(name, expr);
    expect(problems).toEqual([]);
    expect(value?.values).toEqual(values);
    expect(value?.onlyRaise).toEqual(onlyRaise);
    expect(value?.reason).toBe(`${form} (host h1)`);
  });

  it.each([
    ['a share of RAM for a count', 'net.core.somaxconn', '3%', 'TCPMEM_UNIT_MISMATCH /hosts/h1/sysctls/net.core.somaxconn'],
    ['a size for a count', 'net.core.somaxconn', '16KiB', 'TCPMEM_UNIT_MISMATCH /hosts/h1/sysctls/net.core.somaxconn'],
    ['a number that is not whole', 'net.core.somaxconn', 1.5, 'TCPMEM_VALUE /hosts/h1/sysctls/net.core.somaxconn'],
    ['text that is no value', 'net.core.somaxconn', 'lots', 'TCPMEM_VALUE /hosts/h1/sysctls/net.core.somaxconn'],
    ['one value for a triple', 'net.ipv4.tcp_mem', 4096, 'TCPMEM_VALUE_SHAPE /hosts/h1/sysctls/net.ipv4.tcp_mem'],
    ['an array of the wrong length', 'net.ipv4.tcp_rmem', [4096, 131072], 'TCPMEM_VALUE_SHAPE /hosts/h1/sysctls/net.ipv4.tcp_rmem'],
    ['a field the triple does not have', 'net.ipv4.tcp_rmem', { maximum: 1 }, 'TCPMEM_VALUE_SHAPE /hosts/h1/sysctls/net.ipv4.tcp_rmem/maximum'],
    ['a bad field, located at the field', 'net.ipv4.tcp_wmem', { min: 4096, max: 'huge' }, 'TCPMEM_VALUE /hosts/h1/sysctls/net.ipv4.tcp_wmem/max'],
    ['a bad element of an array, located at the element', 'net.ipv4.tcp_wmem', [4096, 'lots', '4MiB'], 'TCPMEM_VALUE /hosts/h1/sysctls/net.ipv4.tcp_wmem/1'],
  ] as const)('reports %s (%s %j) where it is written, and resolves nothing', (_what, name, expr, expected) => {
    const { value, problems } = resolve(name, expr as LayeredSysctl['expr']);
    expect(value).toBeUndefined();
    expect(problems).toEqual([expected]);
  });

  it.each([
    ['default', 'default'],
    ['a factor', '2x'],
  ])('reports that %s needs a kernel default the kernel has none of', (_what, expr) => {
    // 5.15 has no tcp_child_ehash_entries (6.1+): no default to start from.
    const { value, problems } = resolve('net.ipv4.tcp_child_ehash_entries', expr, k515, k61);
    expect(value).toBeUndefined();
    expect(problems).toEqual(['TCPMEM_NO_DEFAULT /hosts/h1/sysctls/net.ipv4.tcp_child_ehash_entries']);
  });

  it('resolves a share of RAM on the host\'s own memory', () => {
    expect(resolve('net.ipv4.tcp_mem', { pressure: '6%' }, k515).value?.values[1]).toBe(Math.floor((0.06 * 4 * 2 ** 30) / 4096));
  });
});
