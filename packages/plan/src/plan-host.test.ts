import type { FleetModel } from './fleet/fleet-model';
import { createKernelLookup } from './memo';
import { persistedFile } from './observe/observation';
import { observationOf } from './observe/observed-host';
import { planHost } from './plan-host';

/** One host on 6.1 with 8 GiB that wants somaxconn 8192. */
const fleet: FleetModel = {
  name: undefined,
  files: ['fleet.yaml'],
  defaults: { name: 'defaults', value: { hardware: { kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 4 }, sysctls: { 'net.core.somaxconn': 8192 } }, origin: { file: 'fleet.yaml', pointer: '/defaults' } },
  presets: new Map(),
  groups: new Map(),
  hosts: [{ name: 'h1', value: { address: '192.0.2.1' }, origin: { file: 'fleet.yaml', pointer: '/hosts/h1' } }],
  facts: new Map(),
};

describe('planHost', () => {
  // `--json` prints the members in this order, and saved plans are compared byte for byte (bench/plan/same-plan.js).
  it('records a live observation with its members in the plan format\'s order', () => {
    const live = observationOf({
      release: '6.1.0-26-amd64',
      sysctls: { 'net.core.somaxconn': '4096' },
      files: { [persistedFile]: 'net.core.somaxconn = 4096\n', '/etc/sysctl.d/zz-local.conf': 'net.core.somaxconn = 1024\n' },
    });
    const plan = planHost(fleet, 0, live, createKernelLookup());
    expect(Object.keys(plan.observed ?? {})).toEqual(['fingerprint', 'release', 'sysctls', 'persistedFile', 'persisted', 'overriding', 'beneath']);
    expect(plan.observed?.beneath).toEqual({ 'net.core.somaxconn': { file: '/etc/sysctl.d/zz-local.conf', value: '1024' } });
    expect(plan.observed?.persisted).toEqual({ 'net.core.somaxconn': '4096' });
    expect(plan.observed?.overriding).toEqual({ 'net.core.somaxconn': { file: '/etc/sysctl.d/zz-local.conf', value: '1024' } });
  });

  it('records the kernel defaults of a host planned from the model, without what only a live read has', () => {
    const plan = planHost(fleet, 0, undefined, createKernelLookup());
    expect(plan.source).toBe('model');
    expect(Object.keys(plan.observed ?? {})).toEqual(['fingerprint', 'release', 'sysctls']);
    expect(plan.observed?.sysctls['net.core.somaxconn']).toBe('4096');
  });

  it('records every name a live read gave, even one named like an object\'s prototype', () => {
    const live = observationOf({ release: '6.1.0-26-amd64', sysctls: { 'net.core.somaxconn': '4096' } });
    const sysctls = new Map([...live.sysctls, ['__proto__', [1]]]);
    const plan = planHost(fleet, 0, { ...live, sysctls }, createKernelLookup());
    expect(Object.keys(plan.observed?.sysctls ?? {})).toEqual(['net.core.somaxconn', '__proto__']);
    expect(JSON.stringify(plan.observed?.sysctls)).toBe('{"net.core.somaxconn":"4096","__proto__":"1"}');
  });
});
