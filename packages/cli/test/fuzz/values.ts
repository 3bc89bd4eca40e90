import { tcpmemSchema } from '@tcpmem/schema';
import type { Prng } from './prng';

/**
 * Values the mutations put into documents. Most generators mix values the schema accepts but that sit at the
 * edges (so the case gets past the schema gate into layering, the kernel model and the semantic checks) with
 * values it must reject (wrong forms, wrong types), chosen by the key they are written under.
 */

/** The sysctls the schema knows, read from the schema itself so the list cannot drift. */
export const knownSysctls: readonly string[] = Object.keys(tcpmemSchema.$defs.Sysctls.properties);

/** Sysctls tcpmem does not manage, misspelt ones, and names that are not sysctls at all. */
export const unknownSysctls: readonly string[] = [
  'net.ipv4.tcp_congestion_control',
  'net.ipv4.tcp_foo',
  'net.ipv4.tcp_rmem ',
  'NET.IPV4.TCP_MEM',
  'net/ipv4/tcp_mem',
  'net.ipv6.tcp_mem',
  'net.core.rmem_default',
  'kernel.pid_max',
  'vm.min_free_kbytes',
  'net.ipv4.tcp_mem.0',
  'tcp_mem',
  '',
  'constructor',
  '__proto__',
];

const hugeNumbers = [2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 1e21, 1e300, 1e308, Number.MAX_VALUE, 100000001];
const oddNumbers = [0, -0, -1, -(2 ** 31), -(2 ** 63), -1e308, 0.5, 1.5, -2.5, 1e-300, Number.MIN_VALUE, 4095, 4097, 65535, 65536, 65537, NaN, Infinity, -Infinity];

export function genNumber(rng: Prng): number {
  return rng.weighted<() => number>([
    [3, () => rng.pick(hugeNumbers)],
    [3, () => rng.pick(oddNumbers)],
    [2, () => rng.between(0, 100000)],
    [1, () => -rng.between(1, 100000)],
    [1, () => rng.float() * 10 ** rng.between(-5, 20)],
  ])();
}

const unicode = ['🚀', 'ß', 'İ', '\u202e', 'e\u0301', '\u200b', '\u00a0', '\ufeff', '\uffff', '\ud800', '\udfff', '中文', 'Ω', '\u2028', '\u0085', '\u0000', '\u0007', '\u001b[31m'];
const yamlish = ['~', 'null', 'Null', 'true', 'yes', 'no', 'on', 'off', '*a', '&a', '!!binary', '%YAML 1.2', '---', '...', '{', '[', '#', ': ', '- ', '? ', '|', '>', '@', '`', '"', "'", '\\', '<<'];

/** A random string: empty, blank, unicode (incl. lone surrogates), YAML syntax, control characters, long. */
export function genGarbageString(rng: Prng): string {
  return rng.weighted<() => string>([
    [2, () => rng.pick(['', ' ', '\t', '\n', '  \n  '])],
    [3, () => Array.from({ length: rng.between(1, 6) }, () => rng.pick(unicode)).join('')],
    [2, () => rng.pick(yamlish)],
    [2, () => Array.from({ length: rng.between(1, 40) }, () => String.fromCharCode(rng.between(0, 0x2fff))).join('')],
    [1, () => rng.pick(['a', '1', ' ', '.', '-', '9.']).repeat(rng.pick([100, 1000, 10000]))],
    [2, () => rng.pick(['Infinity', 'NaN', '-0', '0x10', '1e3', '1_000', '0o17', '+5', '.5', '5.', '1,000'])],
  ])();
}

// Memory sizes above 64 TiB are left out while the kernel model takes time (and memory) in proportion to the
// RAM it models — seconds per host from 1 PiB on. TODO(regressions/huge-memory-is-modelled-quickly.json): add
// '1024TiB', '99999999TiB', '1000000000000000000000GiB', 2 ** 53, 2 ** 64 and 1e308 back once it is fixed.
const sizeValid = ['0', '0B', '1B', '4095B', '1KiB', '1MiB', '16MiB', '64MiB', '128MiB', '1GiB', '1.5GiB', '0.5B', '1TiB', '64TiB', '1kB', '1 GiB', '16 MiB', '0.0000001KiB'];
const sizeInvalid = ['1e3GiB', '-1GiB', '0x10', '1 gigs', '1G', '1Gi', '1gib', 'GiB', '1.GiB', '.5GiB', '1,5GiB', '1GiB ', ' 1GiB', '∞', '1٣GiB'];
const sizeNumbers = [0, 1, 4096, 2 ** 30, 2 ** 46, -1, 1.5, -1e308];

/** Keeps a memory value below 64 TiB (see sizeValid): huge numbers become 2^46. */
export function tameMemory(key: string | undefined, value: unknown): unknown {
  if (key !== 'memory' && key !== 'nodes') return value;
  if (typeof value === 'number') return value > 2 ** 46 ? 2 ** 46 : value;
  if (Array.isArray(value)) return value.map((v) => tameMemory('memory', v));
  if (typeof value === 'object' && value !== null && 'memory' in value) return { ...value, memory: tameMemory('memory', value.memory) };
  return value;
}

export function genSize(rng: Prng): unknown {
  return rng.weighted<() => unknown>([
    [5, () => rng.pick(sizeValid)],
    [3, () => rng.pick(sizeInvalid)],
    [2, () => rng.pick(sizeNumbers)],
    [1, () => genAny(rng)],
  ])();
}

const valueExprValid = [
  '0', '1', '4096', '16MiB', '1GiB', '0B', '1TiB', '99999999TiB', '6%', '0%', '100%', '150%', '0.0001%', '99999999999%',
  '2x', '0x', '0.0x', '0.5x', '1000000x', '1.5x', 'default', '16 MiB', '1kB', '0.1B', '4095B',
];
const valueExprInvalid = ['16 MiB ', '1e3GiB', '-5%', '0x10', '-2x', '.5x', 'x', '%', '1.x', '2X', 'Default', 'DEFAULT', '1e3x', '5 %', '2 x', '16MB/s', 'max', 'min'];
const valueNumbers = [0, 1, -1, 4096, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 63, 2 ** 64, 1e308, 0.5, 1.5, -0];

/** One ValueExpr: a number, a size/share/factor string, `default`, `{atLeast}` (nested sometimes), or junk. */
export function genValueExpr(rng: Prng, depth = 0): unknown {
  return rng.weighted<() => unknown>([
    [4, () => rng.pick(valueExprValid)],
    [3, () => rng.pick(valueNumbers)],
    [2, () => rng.pick(valueExprInvalid)],
    [depth > 3 ? 0 : 2, () => ({ atLeast: genValueExpr(rng, depth + 1) })],
    [1, () => ({ atMost: 5 })],
    [1, () => genAny(rng)],
  ])();
}

const tripleFields: ReadonlyMap<string, readonly string[]> = new Map([
  ['net.ipv4.tcp_mem', ['low', 'pressure', 'high']],
  ['net.ipv4.udp_mem', ['low', 'pressure', 'high']],
  ['net.ipv4.tcp_rmem', ['min', 'default', 'max']],
  ['net.ipv4.tcp_wmem', ['min', 'default', 'max']],
]);

/** A desired value for a sysctl: scalar forms for single values, and for triples every triple form too. */
export function genSysctlValue(rng: Prng, name: string): unknown {
  const fields = tripleFields.get(name);
  if (fields === undefined) return rng.chance(0.85) ? genValueExpr(rng) : genTriple(rng, ['low', 'pressure', 'high']);
  return rng.chance(0.15) ? genValueExpr(rng) : genTriple(rng, fields);
}

function genTriple(rng: Prng, fields: readonly string[]): unknown {
  return rng.weighted<() => unknown>([
    [3, () => Array.from({ length: 3 }, () => genValueExpr(rng))],
    [2, () => Array.from({ length: rng.pick([0, 1, 2, 4, 5]) }, () => genValueExpr(rng))],
    [2, () => [rng.pick(['1', '4096', '16MiB']), rng.pick(['2', '1MiB', '2x']), rng.pick(['1', '8MiB', '6%'])]],
    [
      3,
      () => {
        const chosen = fields.filter(() => rng.chance(0.5));
        return Object.fromEntries((chosen.length === 0 ? [rng.pick(fields)] : chosen).map((f) => [f, genValueExpr(rng)]));
      },
    ],
    [1, () => ({ [rng.pick(['min', 'low', 'max', 'high', 'pressure', 'default', 'mid', ''])]: genValueExpr(rng) })],
    [1, () => ({})],
    [2, () => rng.pick(['default', '2x', '0x', '0.5x', '1000000x', '3', '16MiB', '6%'])],
  ])();
}

const kernels = [
  '0.0', '1.0', '2.6.32', '3.0', '3.10.0-1160.el7.x86_64', '4.4', '4.9', '4.19', '4.19.0-27-amd64', '5.4', '5.10', '5.15.0-91-generic', '6.1', '6.1.0-26-cloud-amd64',
  '6.1.0-rt-amd64', '6.1.0-26-rt-amd64', '6.6', '6.12', '6.12.57-amd64', '6.18', '7.0', '7.1', '99.99', '6.1.999999999999999999', '18446744073709551616.0', '6.01',
  '6.1-', '6.1.0.0.0', '6.1+', '6', 'v6.1', '', '6.1\n', '6.1 ', '4.19.0-27-amd64-aws', '6.1.0-26-generic~22.04',
];

export function genKernel(rng: Prng): unknown {
  return rng.weighted<() => unknown>([
    [8, () => rng.pick(kernels)],
    [1, () => `6.1${'x'.repeat(rng.pick([10, 100, 1000]))}`],
    [1, () => `1.${'1'.repeat(rng.between(10, 300))}!`],
    [1, () => genAny(rng)],
  ])();
}

const cmdlines = [
  'thash_entries=0', 'thash_entries=-1', 'thash_entries=99999999999999999999', 'thash_entries=0x10', 'thash_entries=1e3', 'thash_entries=', 'thash_entries',
  'transparent_hugepage=bogus', 'transparent_hugepage=never', 'mem=0', 'mem=1', 'mem=1K', 'mem=64M', 'mem=1P', 'mem=99999999999999G', 'mem=-1', 'mem=0x1000',
  'movablecore=100%', 'movablecore=200%', 'movablecore=1G', 'movablecore=99999G', 'kernelcore=50%', 'crashkernel=1G', 'crashkernel=0M-2G:128M,2G-:256M',
  'crashkernel=512M,high', 'crashkernel=abc', 'crashkernel=', 'crashkernel=1G@16M', 'crashkernel=99999G', 'crashkernel=1M-:', 'swiotlb=999999999', 'swiotlb=0',
  'hugepages=1000000', 'default_hugepagesz=1G hugepages=100', 'hugepagesz=1G hugepages=99999', 'mem=1G mem=2G', '"', '"unterminated', '-- mem=1', 'no5lvl',
  'numa=off', 'memmap=1G$4G', 'memmap=100%', 'cma=50%', 'cma=99999G',
];

export function genCmdline(rng: Prng): unknown {
  return rng.weighted<() => unknown>([
    [6, () => Array.from({ length: rng.between(1, 3) }, () => rng.pick(cmdlines)).join(' ')],
    [1, () => rng.pick(cmdlines).repeat(rng.pick([100, 2000]))],
    [1, () => genGarbageString(rng)],
    [1, () => genAny(rng)],
  ])();
}

const durations = ['0ms', '0s', '0ns', '1ns', '100ms', '500us', '1µs', '1us', '1 s', '100 ms', '99999999999999999999s', '0.0000001ns', '1e3ms', '-5ms', 'ms', '1h', '1m', '1.5s', '.5s'];
const rates = ['0bit', '1bit', '10Gbit', '25Gbit', '1Tbit', '99999999999Tbit', '0.0001bit', '1GiB/s', '1 B/s', '10 Gbit', '1e3Gbit', '-1Gbit', '10Gbps', '10G', '1kbit', '1Kbit'];

export function genDuration(rng: Prng): unknown {
  return rng.chance(0.85) ? rng.pick(durations) : genAny(rng);
}

export function genRate(rng: Prng): unknown {
  return rng.chance(0.85) ? rng.pick(rates) : genAny(rng);
}

export function genWorkload(rng: Prng): unknown {
  const w: Record<string, unknown> = { flowRate: genRate(rng), rtt: genDuration(rng), flows: rng.pick([0, 1, 8, 1000, 100000000, 100000001, 2 ** 53, -1, 1.5, '8']) };
  if (rng.chance(0.3)) w['direction'] = rng.pick(['receive', 'send', 'both', '', 'up']);
  if (rng.chance(0.3)) w['completionLatency'] = genDuration(rng);
  if (rng.chance(0.2)) Reflect.deleteProperty(w, rng.pick(['flowRate', 'rtt', 'flows']));
  return w;
}

export function genNodes(rng: Prng): unknown {
  return rng.weighted<() => unknown>([
    [3, () => Array.from({ length: rng.between(1, 8) }, () => (rng.chance(0.5) ? genSize(rng) : { memory: genSize(rng), ...(rng.chance(0.5) ? { cpus: rng.pick([0, 1, 64, -1, 2 ** 53]) } : {}) }))],
    [1, () => []],
    [1, () => Array.from({ length: rng.pick([1024, 1025]) }, () => '1GiB')],
    [1, () => Array.from({ length: rng.between(1, 4) }, () => ({ cpus: 4 }))],
    [1, () => genAny(rng)],
  ])();
}

/** Text mutations of a long text field (meminfo, zoneinfo, dmesg): numbers changed, lines repeated or cut. */
export function genTextField(rng: Prng, current: unknown): unknown {
  const text = typeof current === 'string' ? current : '';
  const lines = text.split('\n');
  return rng.weighted<() => unknown>([
    [3, () => text.replace(/\d+/g, (d) => (rng.chance(0.3) ? rng.pick(['0', '-1', '99999999999999999999999', '18446744073709551616', '1e308', 'x', '']) : d))],
    [2, () => lines.slice(0, rng.int(lines.length + 1)).join('\n')],
    [2, () => Array.from({ length: rng.pick([10, 1000]) }, () => rng.pick(lines)).join('\n')],
    [2, () => rng.pick(textTokens).repeat(rng.pick([10, 500, 5000]))],
    [1, () => lines.map((l) => l.replace(/\s+/g, rng.pick(['\t', '', '  ', '\r']))).join('\n')],
    [1, () => genGarbageString(rng)],
    [1, () => genAny(rng)],
  ])();
}

/** Pieces of the kernel texts tcpmem parses; repeated, they look for slow regular expressions. */
const textTokens = [
  'Freeing unused kernel image (',
  'Freeing initrd memory: ',
  'TCP: Hash tables configured (established ',
  'TCP established hash table entries: ',
  'x hash table entries: 1 (order: ',
  'RAMDISK: [mem 0x',
  'Node 0, zone   Normal\n',
  '  pages free 1\n',
  '        protection: (',
  '  managed 1 ',
  'MemTotal:       ',
  'Node 0 MemTotal: 1 kB\n',
  '[always] madvise never',
  'a ',
  '1',
  ' ',
  '\n',
];

const sysctlTexts = ['1 2 3', '1 2', '1 2 3 4', '', ' ', '-1', '18446744073709551616', 'abc', '1\t2\t3', '0x10', '1e3', '4096 131072 6291456', '0 0 0', '3 2 1', '4096\t131072\t6291456\n'];

export function genFactsSysctls(rng: Prng): unknown {
  const out: Record<string, unknown> = {};
  for (let i = rng.between(1, 5); i > 0; i -= 1) out[rng.chance(0.8) ? rng.pick(knownSysctls) : rng.pick(unknownSysctls)] = rng.chance(0.9) ? rng.pick(sysctlTexts) : genAny(rng);
  return out;
}

/** Any JSON-ish value of any type. */
export function genAny(rng: Prng, depth = 0): unknown {
  return rng.weighted<() => unknown>([
    [3, () => genNumber(rng)],
    [3, () => genGarbageString(rng)],
    [1, () => rng.pick([true, false])],
    [1, () => null],
    [depth > 2 ? 0 : 1, () => Array.from({ length: rng.between(0, 4) }, () => genAny(rng, depth + 1))],
    [depth > 2 ? 0 : 1, () => Object.fromEntries(Array.from({ length: rng.between(0, 3) }, () => [genKey(rng), genAny(rng, depth + 1)]))],
  ])();
}

/** A value of a different JSON type than `current`. */
export function genOtherType(rng: Prng, current: unknown): unknown {
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  for (let i = 0; i < 10; i += 1) {
    const candidate = genAny(rng);
    if (typeOf(candidate) !== typeOf(current)) return candidate;
  }
  return current === null ? 0 : null;
}

const oddKeys = ['adress', 'hostz', 'sysctl', 'kernal', 'memroy', 'group', 'Hosts', 'KIND', 'include ', '', ' ', '0', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', '🚀', '$ref', 'a.b', 'a/b', '~0'];

export function genKey(rng: Prng): string {
  return rng.weighted<() => string>([
    [5, () => rng.pick(oddKeys)],
    [2, () => rng.pick([...knownSysctls, ...unknownSysctls])],
    [1, () => 'k'.repeat(rng.pick([100, 5000]))],
    [1, () => genGarbageString(rng)],
  ])();
}

const oddNames = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype', '0', '1.1.1.1', '-x', '.x', 'web 1', 'WEB-1', '🚀', '', 'a'.repeat(300), 'tcpmem:esnet-10g-100ms'];

export function genName(rng: Prng, existing: readonly string[]): string {
  return existing.length > 0 && rng.chance(0.4) ? rng.pick(existing) : rng.pick(oddNames);
}

/** A value chosen for the key it is written under (what a user could plausibly get wrong there). */
export function genForKey(rng: Prng, key: string | undefined, current: unknown): unknown {
  return tameMemory(key, genForKeyUntamed(rng, key, current));
}

function genForKeyUntamed(rng: Prng, key: string | undefined, current: unknown): unknown {
  if (key === undefined) return genAny(rng);
  if (key.startsWith('net.') || ['low', 'pressure', 'high', 'min', 'default', 'max'].includes(key)) return genSysctlValue(rng, key);
  switch (key) {
    case 'atLeast':
      return genValueExpr(rng);
    case 'memory':
    case 'initrd':
      return genSize(rng);
    case 'nodes':
      return genNodes(rng);
    case 'kernel':
    case 'release':
      return genKernel(rng);
    case 'cmdline':
      return genCmdline(rng);
    case 'cpus':
    case 'port':
    case 'flows':
    case 'minFreeKbytes':
      return rng.chance(0.8) ? rng.pick([0, 1, 2, 22, 64, 65535, 65536, 65537, 100000000, 100000001, 2 ** 31, 2 ** 53, 2 ** 64, -1, 1.5, 1e308, '4']) : genAny(rng);
    case 'pageSize':
      return rng.pick([4096, 16384, 65536, 8192, 0, 1, 2 ** 53, '4096']);
    case 'arch':
      return rng.pick(['x86_64', 'aarch64', 'riscv64', '', 'X86_64']);
    case 'transparentHugepage':
      return rng.pick(['always', 'madvise', 'never', 'Always', '', true]);
    case 'platform':
      return rng.pick(['qemu-pc', 'qemu-q35', 'q35', '']);
    case 'fiveLevelPaging':
    case 'sudo':
    case 'agent':
      return rng.pick([true, false, 'true', 1, null]);
    case 'rtt':
    case 'completionLatency':
    case 'connectTimeout':
    case 'commandTimeout':
      return genDuration(rng);
    case 'flowRate':
      return genRate(rng);
    case 'workload':
      return genWorkload(rng);
    case 'direction':
      return rng.pick(['receive', 'send', 'both', '', 'up', 'BOTH']);
    case 'hostKeyPolicy':
      return rng.pick(['strict', 'accept-new', 'off', '']);
    case 'kind':
      return rng.pick(['fleet', 'hardware', 'facts', 'model', 'plan', 'Fleet', '', null, 1, 'sysctls']);
    case 'version':
      // `version: 1` of a document, or /proc/version in facts.
      return typeof current === 'string' ? genTextField(rng, current) : rng.pick([1, 2, '1', 0, 1.0001, null]);
    case 'capturedAt':
      return rng.pick(['2026-11-27T17:07:07Z', '2026-13-45T99:99:99Z', '', 'now', '0000-00-00T00:00:00Z', '9999-12-31T23:59:59Z', '2026-11-27', 1732725000]);
    case 'sysctls':
      return rng.chance(0.5) ? genFactsSysctls(rng) : genAny(rng);
    case 'meminfo':
    case 'zoneinfo':
    case 'dmesg':
    case 'thpEnabled':
    case 'hashTablesLine':
      return genTextField(rng, current);
    case 'nodeMeminfo':
      return Array.isArray(current) ? current.map((t) => genTextField(rng, t)) : genAny(rng);
    case 'user':
      return rng.pick(['root', 'deploy', 'Deploy', '', '-x', 'a$', 'user name', 'ü']);
    case 'jumpHost':
      return rng.pick(['bastion', 'u@bastion:22', 'u@bastion:99999', '@', ':', '[::1]:22', `a${':1'.repeat(500)}!`]);
    case 'address':
    case 'identityFile':
    case 'knownHostsFile':
    case 'passphraseEnv':
    case 'name':
    case 'description':
    case 'source':
    case 'host':
    case 'facts':
      return rng.chance(0.7) ? genGarbageString(rng) : genAny(rng);
    default:
      return genAny(rng);
  }
}

// ---- values the schema accepts ------------------------------------------------------------------------------
// Cases made only of these get past the schema gate, so they reach layering, the kernel model, the workload
// derivation and the semantic checks — the code behind the gate that malformed values never reach.

const defs = tcpmemSchema.$defs;
const matches = (pattern: string) => (value: unknown) => typeof value === 'string' && new RegExp(pattern, 'u').test(value);
const validSizes = sizeValid.filter(matches(defs.Size.anyOf[1].pattern));
const validKernels = kernels.filter((k) => k.length < 40 && matches(defs.KernelRelease.pattern)(k));
const validDurations = durations.filter(matches(defs.Duration.pattern));
const validRates = rates.filter(matches(defs.Rate.pattern));
const validValueStrings = valueExprValid.filter(matches(defs.ValueExpr.anyOf[1].pattern));
const validIntegers = [0, 1, 2, 7, 128, 4096, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 63, 2 ** 64, 1e21];

export function genValidValueExpr(rng: Prng, depth = 0): unknown {
  return rng.weighted<() => unknown>([
    [5, () => rng.pick(validValueStrings)],
    [4, () => rng.pick(validIntegers)],
    [depth > 2 ? 0 : 1, () => ({ atLeast: genValidValueExpr(rng, depth + 1) })],
  ])();
}

export function genValidSysctlValue(rng: Prng, name: string): unknown {
  const fields = tripleFields.get(name);
  if (fields === undefined) return genValidValueExpr(rng);
  return rng.weighted<() => unknown>([
    [3, () => [genValidValueExpr(rng), genValidValueExpr(rng), genValidValueExpr(rng)]],
    [4, () => Object.fromEntries(fields.filter(() => rng.chance(0.5)).concat(rng.pick(fields)).map((f) => [f, genValidValueExpr(rng)]))],
    [1, () => rng.pick(['default', '2x', '0x', '0.5x', '1000000x', '1.5x'])],
  ])();
}

export function genValidHardware(rng: Prng): Record<string, unknown> {
  const hw: Record<string, unknown> = {};
  if (rng.chance(0.8)) hw['kernel'] = rng.pick(validKernels);
  if (rng.chance(0.7)) hw['memory'] = rng.pick(validSizes);
  else if (rng.chance(0.5)) hw['nodes'] = Array.from({ length: rng.pick([1, 2, 4, 8, 64]) }, () => (rng.chance(0.5) ? rng.pick(validSizes) : { memory: rng.pick(validSizes), cpus: rng.pick([0, 1, 8]) }));
  if (rng.chance(0.5)) hw['cpus'] = rng.pick([1, 2, 64, 1024, 65536]);
  if (rng.chance(0.2)) hw['pageSize'] = rng.pick([4096, 16384, 65536]);
  if (rng.chance(0.2)) hw['arch'] = rng.pick(['x86_64', 'aarch64']);
  if (rng.chance(0.4)) hw['cmdline'] = Array.from({ length: rng.between(1, 3) }, () => rng.pick(cmdlines)).join(' ');
  if (rng.chance(0.3)) hw['transparentHugepage'] = rng.pick(['always', 'madvise', 'never']);
  if (rng.chance(0.3)) hw['initrd'] = rng.pick(validSizes);
  if (rng.chance(0.2)) hw['platform'] = rng.pick(['qemu-pc', 'qemu-q35']);
  if (rng.chance(0.2)) hw['fiveLevelPaging'] = rng.chance(0.5);
  return hw;
}

export function genValidWorkload(rng: Prng): Record<string, unknown> {
  const w: Record<string, unknown> = { flowRate: rng.pick(validRates), rtt: rng.pick(validDurations), flows: rng.pick([1, 2, 8, 1000, 100000, 100000000]) };
  if (rng.chance(0.4)) w['direction'] = rng.pick(['receive', 'send', 'both']);
  if (rng.chance(0.4)) w['completionLatency'] = rng.pick(validDurations);
  return w;
}

export function genValidFactsSysctls(rng: Prng): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = rng.between(1, 5); i > 0; i -= 1) {
    const name = rng.pick(knownSysctls);
    const count = tripleFields.has(name) ? 3 : 1;
    out[name] = Array.from({ length: rng.chance(0.9) ? count : rng.pick([1, 2, 4]) }, () => String(rng.pick([0, 1, 4096, 131072, 2 ** 31 - 1, 2 ** 32, 2 ** 53 + 1, 2 ** 63]))).join(rng.pick(['\t', ' ', '  ']));
  }
  return out;
}
