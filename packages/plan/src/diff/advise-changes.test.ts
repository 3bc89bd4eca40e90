import type { Sysctls } from '@tcpmem/schema';
import type { FleetModel } from '../fleet/fleet-model';
import { createKernelLookup, createPlanMemo } from '../memo';
import { computeEach, planHost } from '../plan-host';
import { kernelForHardware } from '../resolve/kernel-for-hardware';

/** One host on 6.1 with 8 GiB (tcp_mem 93993 125326 187986, 1 % of RAM 20971 pages), with `sysctls` set in group g. */
function fleetWith(sysctls: Sysctls): FleetModel {
  const file = 'fleet.yaml';
  return {
    name: undefined,
    files: [file],
    defaults: { name: 'defaults', value: { hardware: { kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 4 } }, origin: { file, pointer: '/defaults' } },
    presets: new Map(),
    groups: new Map([['g', { name: 'g', value: { sysctls }, origin: { file, pointer: '/groups/g' } }]]),
    hosts: [{ name: 'h1', value: { groups: ['g'] }, origin: { file, pointer: '/hosts/h1' } }],
    facts: new Map(),
  };
}

const advice = (sysctls: Sysctls) =>
  planHost(fleetWith(sysctls), 0, undefined, createKernelLookup()).problems.map((p) => `${p.severity} ${p.code} ${p.path ?? ''}`);

describe('adviseChanges: tcpmem advice on every planned value, located where it was written', () => {
  it.each([
    ['tcp_mem [1, 2, 3], at its first element', { 'net.ipv4.tcp_mem': [1, 2, 3] }, ['warning TCPMEM_ADVICE_MEM_TOO_LOW /groups/g/sysctls/net.ipv4.tcp_mem/0']],
    ['tcp_mem with high at 80 MiB (under 1 % of 8 GiB), at the first field below, low', { 'net.ipv4.tcp_mem': { low: 1, pressure: 2, high: '80MiB' } }, ['warning TCPMEM_ADVICE_MEM_TOO_LOW /groups/g/sysctls/net.ipv4.tcp_mem/low']],
    ['tcp_limit_output_bytes 0', { 'net.ipv4.tcp_limit_output_bytes': 0 }, ['warning TCPMEM_ADVICE_ZERO /groups/g/sysctls/net.ipv4.tcp_limit_output_bytes']],
    ['tcp_max_orphans 0', { 'net.ipv4.tcp_max_orphans': 0 }, ['warning TCPMEM_ADVICE_ZERO /groups/g/sysctls/net.ipv4.tcp_max_orphans']],
    ['tcp_max_tw_buckets 0', { 'net.ipv4.tcp_max_tw_buckets': 0 }, ['warning TCPMEM_ADVICE_ZERO /groups/g/sysctls/net.ipv4.tcp_max_tw_buckets']],
    ['tcp_wmem {min: 1}, at the field', { 'net.ipv4.tcp_wmem': { min: 1 } }, ['warning TCPMEM_ADVICE_BUFFER_BELOW_PAGE /groups/g/sysctls/net.ipv4.tcp_wmem/min']],
    ['tcp_rmem max 1 MiB (a sixth of the default), at the element', { 'net.ipv4.tcp_rmem': [4096, 131072, '1MiB'] }, ['warning TCPMEM_ADVICE_BELOW_DEFAULT /groups/g/sysctls/net.ipv4.tcp_rmem/2']],
    ['tcp_wmem "4096 4096 16384", in the sysctl.conf form, at the whole value', { 'net.ipv4.tcp_wmem': '4096 4096 16384' }, ['warning TCPMEM_ADVICE_BELOW_DEFAULT /groups/g/sysctls/net.ipv4.tcp_wmem']],
  ] as [string, Sysctls, string[]][])('warns about %s', (_what, sysctls, expected) => {
    expect(advice(sysctls)).toEqual(expected);
  });

  it.each([
    ['the kernel defaults', { 'net.ipv4.tcp_mem': 'default', 'net.ipv4.tcp_rmem': 'default', 'net.ipv4.tcp_wmem': 'default', 'net.ipv4.tcp_max_orphans': 'default', 'net.ipv4.tcp_limit_output_bytes': 'default' }],
    ['tcp_mem at 3/4/6 % of RAM', { 'net.ipv4.tcp_mem': { low: '3%', pressure: '4%', high: '6%' } }],
    ['ESnet\'s tcp_rmem, whose default is below the kernel\'s but not far', { 'net.ipv4.tcp_rmem': [4096, 87380, 33554432] }],
    ['a tcp_wmem max halved', { 'net.ipv4.tcp_wmem': { max: '2MiB' } }],
    ['{atLeast: 0}, which keeps the host\'s value', { 'net.ipv4.tcp_max_orphans': { atLeast: 0 } }],
  ] as [string, Sysctls][])('finds nothing wrong with %s', (_what, sysctls) => {
    expect(advice(sysctls)).toEqual([]);
  });

  it('gives no advice on a host whose values have errors: it is invalid and plans nothing', () => {
    expect(advice({ 'net.ipv4.tcp_mem': [3, 2, 1] })).toEqual(['error TCPMEM_TRIPLE_ORDER /groups/g/sysctls/net.ipv4.tcp_mem']);
  });

  it('shares the advice of hosts planned alike, and gives each what planning it alone gives', () => {
    const fleet = fleetWith({ 'net.ipv4.tcp_mem': [1, 2, 3], 'net.ipv4.tcp_max_orphans': 0 });
    const two: FleetModel = { ...fleet, hosts: [...fleet.hosts, { ...fleet.hosts[0]!, name: 'h2', origin: { file: 'fleet.yaml', pointer: '/hosts/h2' } }] };
    const memo = createPlanMemo();
    const lookup = createKernelLookup();
    const [h1, h2] = [0, 1].map((i) => planHost(two, i, undefined, lookup, memo));
    expect(h1!.problems[0]).toBe(h2!.problems[0]);
    expect(h2).toEqual(planHost(two, 1, undefined, (hardware) => kernelForHardware(hardware), computeEach));
  });
});
