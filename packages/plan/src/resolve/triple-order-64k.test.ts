import type { FleetModel } from '../fleet/fleet-model';
import { createKernelLookup } from '../memo';
import { planHost } from '../plan-host';

/**
 * On a 64 KiB-page kernel tcp_wmem's own default steps down (min is PAGE_SIZE, 65536; default 16384). A config
 * that raises only the max keeps that step: it is planned, without advice, not refused as out of order; a step
 * down the config writes itself still is.
 */
const fleetWith = (tcpWmem: unknown): FleetModel => ({
  name: undefined,
  files: ['fleet.yaml'],
  defaults: undefined,
  presets: new Map(),
  groups: new Map(),
  hosts: [{ name: 'arm', value: { hardware: { kernel: '6.8.0-45-generic-64k', memory: '16GiB' }, sysctls: { 'net.ipv4.tcp_wmem': tcpWmem } } as never, origin: { file: 'fleet.yaml', pointer: '/hosts/arm' } }],
  facts: new Map(),
});

describe('tcp_wmem on a 64 KiB-page kernel', () => {
  it('raises the max, keeping the kernel default\'s min 65536 above its default 16384', () => {
    const plan = planHost(fleetWith({ max: '16MiB' }), 0, undefined, createKernelLookup());
    expect(plan.problems).toEqual([]);
    expect(plan.changes.find((c) => c.sysctl === 'net.ipv4.tcp_wmem')).toMatchObject({ kernelDefault: [65536, 16384, 4194304], after: [65536, 16384, 16777216] });
  });

  it('refuses a step down the config writes itself', () => {
    const plan = planHost(fleetWith([65536, 20000, '16MiB']), 0, undefined, createKernelLookup());
    expect(plan.status).toBe('invalid');
    expect(plan.problems.map((p) => p.code)).toEqual(['TCPMEM_TRIPLE_ORDER']);
  });
});
