import type { Change } from '@tcpmem/schema';
import { persistedFile, type Observation } from '../observe/observation';
import { persistedState } from '../observe/persisted-state';
import type { HostKernel } from '../resolve/host-kernel';
import { kernelForHardware } from '../resolve/kernel-for-hardware';
import type { DesiredValue } from '../resolve/resolve-sysctl';
import { diffHost } from './diff-host';

/** A real kernel from kernel-model: 6.1 on 8 GiB (somaxconn 4096, tcp_rmem 4096 131072 6291456). */
const found = kernelForHardware({ kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 4 });
if ('problem' in found) throw new Error(found.problem.message);
const kernel: HostKernel = found;
const managed = new Set(kernel.shapes.keys());

function want(name: string, values: readonly number[], onlyRaise: readonly boolean[] = values.map(() => false)): DesiredValue {
  return { name, values, onlyRaise, reason: 'absolute (host h1)', origin: { file: 'fleet.yaml', pointer: `/hosts/h1/sysctls/${name}` } };
}

/** A host read live: its values, and its sysctl.d files (parsed by the same code as a real read). */
function liveHost(values: Readonly<Record<string, string>>, files: Readonly<Record<string, string>>): Observation {
  const sysctls = new Map<string, readonly number[]>([...kernel.defaults]);
  for (const [name, text] of Object.entries(values)) sysctls.set(name, text.split(' ').map(Number));
  return { source: 'live', release: kernel.release, sysctls, persisted: persistedState(Object.entries(files).map(([path, text]) => ({ path, text })), managed), facts: undefined };
}

/** One change in a line: action, live before → after, tcpmem's file before, drift, shadowing file. */
function line(c: Change): string {
  const text = (v: readonly number[] | null | undefined) => (v === undefined ? '' : v === null ? '-' : v.join(' '));
  return [`${c.action} ${c.sysctl}: ${text(c.before)} -> ${text(c.after)}`, c.persistedBefore === undefined ? '' : ` file ${text(c.persistedBefore)}`, c.drift === undefined ? '' : ` drift ${c.drift}`, c.shadowedBy === undefined ? '' : ` shadowed by ${c.shadowedBy}`].join('');
}

const own = (text: string) => ({ [persistedFile]: text });

describe('diffHost', () => {
  it.each([
    ['creates what tcpmem does not manage yet', [want('net.core.somaxconn', [8192])], {}, {}, ['create net.core.somaxconn: 4096 -> 8192']],
    ['creates what is set already but not in tcpmem\'s file', [want('net.core.somaxconn', [8192])], { 'net.core.somaxconn': '8192' }, own('net.ipv4.tcp_max_orphans = 32768\n'), ['create net.core.somaxconn: 8192 -> 8192', 'delete net.ipv4.tcp_max_orphans: 32768 -> 32768 file 32768']],
    ['leaves alone what is managed and equal, live and on disk', [want('net.core.somaxconn', [8192])], { 'net.core.somaxconn': '8192' }, own('net.core.somaxconn = 8192\n'), ['no-op net.core.somaxconn: 8192 -> 8192 file 8192 drift none']],
    ['compares triples as integers, whatever the whitespace', [want('net.ipv4.tcp_rmem', [4096, 131072, 8388608])], { 'net.ipv4.tcp_rmem': '4096 131072 8388608' }, own('net.ipv4.tcp_rmem=4096\t131072    8388608\n'), ['no-op net.ipv4.tcp_rmem: 4096 131072 8388608 -> 4096 131072 8388608 file 4096 131072 8388608 drift none']],
    ['updates a changed desired value', [want('net.core.somaxconn', [16384])], { 'net.core.somaxconn': '8192' }, own('net.core.somaxconn = 8192\n'), ['update net.core.somaxconn: 8192 -> 16384 file 8192 drift both']],
    ['updates a live value changed behind tcpmem\'s back (drift live-only)', [want('net.core.somaxconn', [8192])], { 'net.core.somaxconn': '1024' }, own('net.core.somaxconn = 8192\n'), ['update net.core.somaxconn: 1024 -> 8192 file 8192 drift live-only']],
    ['updates tcpmem\'s file edited by hand (drift file-only)', [want('net.core.somaxconn', [8192])], { 'net.core.somaxconn': '8192' }, own('net.core.somaxconn = 1024\n'), ['update net.core.somaxconn: 8192 -> 8192 file 1024 drift file-only']],
    ['deletes what left the config: back to the kernel default', [], { 'net.core.somaxconn': '8192' }, own('net.core.somaxconn = 8192\n'), ['delete net.core.somaxconn: 8192 -> 4096 file 8192']],
    ['deletes what left the config: back to what an earlier file of the host sets at boot', [], { 'net.core.somaxconn': '8192' }, { ...own('net.core.somaxconn = 8192\n'), '/etc/sysctl.d/50-local.conf': 'net.core.somaxconn = 2048\n' }, ['delete net.core.somaxconn: 8192 -> 2048 file 8192']],
    ['deletes what left the config: back to what a later file sets, the last one of all', [], { 'net.core.somaxconn': '8192' }, { ...own('net.core.somaxconn = 8192\n'), '/usr/lib/sysctl.d/50-vendor.conf': 'net.core.somaxconn = 2048\n', '/etc/sysctl.d/zz-local.conf': 'net.core.somaxconn = 1024\n' }, ['delete net.core.somaxconn: 8192 -> 1024 file 8192']],
    ['deletes what left the config: the kernel default when the only other file is masked', [], { 'net.core.somaxconn': '8192' }, { ...own('net.core.somaxconn = 8192\n'), '/etc/sysctl.d/50-vendor.conf': '', '/usr/lib/sysctl.d/50-vendor.conf': 'net.core.somaxconn = 2048\n' }, ['delete net.core.somaxconn: 8192 -> 4096 file 8192']],
    ['names a later sysctl.d file that would override the value at boot', [want('net.core.somaxconn', [8192])], { 'net.core.somaxconn': '8192' }, { ...own('net.core.somaxconn = 8192\n'), '/etc/sysctl.d/zz-local.conf': 'net.core.somaxconn = 1024\n' }, ['no-op net.core.somaxconn: 8192 -> 8192 file 8192 drift none shadowed by /etc/sysctl.d/zz-local.conf']],
    ['shadows a create too', [want('net.core.somaxconn', [8192])], {}, { '/usr/lib/sysctl.d/zz-vendor.conf': 'net.core.somaxconn = 1024\n' }, ['create net.core.somaxconn: 4096 -> 8192 shadowed by /usr/lib/sysctl.d/zz-vendor.conf']],
    ['does not count a later file that sets the same value as shadowing', [want('net.core.somaxconn', [8192])], { 'net.core.somaxconn': '8192' }, { ...own('net.core.somaxconn = 8192\n'), '/etc/sysctl.d/zz-local.conf': 'net.core.somaxconn = 8192\n' }, ['no-op net.core.somaxconn: 8192 -> 8192 file 8192 drift none']],
    ['does not count an earlier file, which tcpmem\'s overrides', [want('net.core.somaxconn', [8192])], {}, { '/etc/sysctl.d/10-local.conf': 'net.core.somaxconn = 1024\n' }, ['create net.core.somaxconn: 4096 -> 8192']],
    ['does not count a file masked by one of the same name in /etc', [want('net.core.somaxconn', [8192])], {}, { '/etc/sysctl.d/zz-vendor.conf': '# masked\n', '/usr/lib/sysctl.d/zz-vendor.conf': 'net.core.somaxconn = 1024\n' }, ['create net.core.somaxconn: 4096 -> 8192']],
    ['keeps the host\'s higher value for an {atLeast} field', [want('net.ipv4.tcp_rmem', [4096, 131072, 8388608], [false, false, true])], { 'net.ipv4.tcp_rmem': '4096 131072 16777216' }, {}, ['create net.ipv4.tcp_rmem: 4096 131072 16777216 -> 4096 131072 16777216']],
    ['raises a lower value to the {atLeast} floor', [want('net.ipv4.tcp_rmem', [4096, 131072, 8388608], [false, false, true])], {}, {}, ['create net.ipv4.tcp_rmem: 4096 131072 6291456 -> 4096 131072 8388608']],
    ['sorts the changes by sysctl', [want('net.ipv4.tcp_wmem', [4096, 16384, 8388608]), want('net.core.somaxconn', [8192])], {}, own('net.ipv4.tcp_max_orphans = 65536\n'), ['create net.core.somaxconn: 4096 -> 8192', 'delete net.ipv4.tcp_max_orphans: 32768 -> 32768 file 65536', 'create net.ipv4.tcp_wmem: 4096 16384 4194304 -> 4096 16384 8388608']],
  ] as const)('%s', (_behaviour, desired, live, files, expected) => {
    const changes = diffHost(new Map(desired.map((d) => [d.name, d])), kernel, liveHost(live, files));
    expect(changes.map(line)).toEqual(expected);
  });

  it('says when the host\'s higher value is kept', () => {
    const [change] = diffHost(new Map([['net.ipv4.tcp_rmem', want('net.ipv4.tcp_rmem', [4096, 131072, 8388608], [false, false, true])]]), kernel, liveHost({ 'net.ipv4.tcp_rmem': '4096 131072 16777216' }, {}));
    expect(change?.reason).toBe("absolute (host h1); the host's higher value is kept");
  });

  it('creates everything when the host was not read live (facts or the model: no files known)', () => {
    const model: Observation = { source: 'model', release: kernel.release, sysctls: kernel.defaults, persisted: undefined, facts: undefined };
    const changes = diffHost(new Map([['net.core.somaxconn', want('net.core.somaxconn', [4096])]]), kernel, model);
    expect(changes.map(line)).toEqual(['create net.core.somaxconn: 4096 -> 4096']);
    expect(changes[0]?.kernelDefault).toEqual([4096]);
  });

  it('has no before for a sysctl the host does not have, and only drops the line of one the kernel has no default for', () => {
    const observed = liveHost({}, own('net.ipv4.tcp_not_a_sysctl = 1\n'));
    const sysctls = new Map(observed.sysctls);
    sysctls.delete('net.core.somaxconn');
    const changes = diffHost(new Map([['net.core.somaxconn', want('net.core.somaxconn', [8192])]]), kernel, { ...observed, sysctls });
    expect(changes.map(line)).toEqual(['create net.core.somaxconn: - -> 8192']);
    // tcpmem's file only ever holds managed sysctls, but a stale one the kernel no longer has is dropped without a restore.
    const stale = liveHost({}, {});
    const persisted = { ...stale.persisted!, own: new Map([['net.ipv4.tcp_gone', [1]]]) };
    const [drop] = diffHost(new Map(), kernel, { ...stale, persisted });
    expect(drop === undefined ? '' : line(drop)).toBe('delete net.ipv4.tcp_gone: - -> - file 1');
    expect(drop?.reason).toBe('no longer in the config; the kernel default is unknown, so only the line is dropped');
  });

  // `--json` prints the members in this order, and saved plans are compared byte for byte (bench/plan/same-plan.js).
  it.each([
    ['a create', {}, {}, ['sysctl', 'before', 'after', 'unit', 'reason', 'kernelDefault', 'action']],
    ['a create of a value a later file overrides', {}, { '/etc/sysctl.d/zz-local.conf': 'net.core.somaxconn = 1024\n' }, ['sysctl', 'before', 'after', 'unit', 'reason', 'kernelDefault', 'action', 'shadowedBy']],
    ['an update that a later file overrides', { 'net.core.somaxconn': '1024' }, { ...own('net.core.somaxconn = 1024\n'), '/etc/sysctl.d/zz-local.conf': 'net.core.somaxconn = 1024\n' }, ['sysctl', 'before', 'after', 'unit', 'reason', 'kernelDefault', 'action', 'persistedBefore', 'drift', 'shadowedBy']],
    ['a no-op', { 'net.core.somaxconn': '8192' }, own('net.core.somaxconn = 8192\n'), ['sysctl', 'before', 'after', 'unit', 'reason', 'kernelDefault', 'action', 'persistedBefore', 'drift']],
  ] as const)('lists the members of %s in the plan format\'s order', (_change, live, files, members) => {
    const [change] = diffHost(new Map([['net.core.somaxconn', want('net.core.somaxconn', [8192])]]), kernel, liveHost(live, files));
    expect(Object.keys(change ?? {})).toEqual(members);
  });
});

describe('diffHost, stopping managing a sysctl another file of the host sets', () => {
  it('says which file\'s value it restores, and keeps the kernel default beside it', () => {
    const [change] = diffHost(new Map(), kernel, liveHost({ 'net.ipv4.tcp_limit_output_bytes': '1048576' }, { ...own('net.ipv4.tcp_limit_output_bytes = 1048576\n'), '/etc/sysctl.d/50-local.conf': 'net.ipv4.tcp_limit_output_bytes = 2097152\n' }));
    expect(change).toMatchObject({ action: 'delete', after: [2097152], kernelDefault: [kernel.defaults.get('net.ipv4.tcp_limit_output_bytes')?.[0]], reason: 'no longer in the config: restore what /etc/sysctl.d/50-local.conf sets at boot and stop managing it' });
  });
});
