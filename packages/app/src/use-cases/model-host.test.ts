import path from 'node:path';
import { validateDefinition } from '@tcpmem/schema';
import { examples } from '../../test/temp-config';
import { modelHost } from './model-host';

const none = { hardware: undefined, memory: undefined, nodes: undefined, cpus: undefined, kernel: undefined, cmdline: undefined, thp: undefined, zoneinfo: undefined, meminfo: undefined };
const gib = 1024 ** 3;

describe('modelHost', () => {
  it.each([
    ['8gib-6.1.yaml', 8 * gib],
    ['2-node-64gib-5.15.yaml', 64 * gib],
  ])('models the hardware file %s into a schema-valid report, with the RAM it states', (file, ram) => {
    const modelled = modelHost({ ...none, hardware: path.join(examples, 'hardware', file) }, { explain: true });
    const checked = validateDefinition('ModelReport', modelled.report);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(modelled.ramBytes).toBe(ram);
    expect(modelled.report.explain?.length).toBeGreaterThan(0);
    expect(modelled.tsq).toBeUndefined();
  });

  it('lets fields override the hardware file, and adds TSQ for a flow when asked', () => {
    const modelled = modelHost({ ...none, hardware: path.join(examples, 'hardware/8gib-6.1.yaml'), memory: '16GiB' }, { explain: false, tsq: { flowRate: 25e9 / 8, completionLatencyNs: 500_000, flows: 1 } });
    expect(modelled.ramBytes).toBe(16 * gib);
    expect(modelled.report.explain).toBeUndefined();
    expect(modelled.report.tsq).toMatchObject({ flowRateBytesPerSecond: 25e9 / 8, completionLatencyNs: 500_000 });
    expect(modelled.tsq?.series).toBe(modelled.report.tsq?.series);
  });

  it.each([
    ['no kernel', { memory: '8GiB' }, 'TCPMEM_USAGE'],
    ['no memory', { kernel: '6.1' }, 'TCPMEM_USAGE'],
    ['a hardware file that does not exist', { hardware: '/nonexistent.yaml' }, 'TCPMEM_PATH'],
    ['a config file for a hardware file', { hardware: path.join(examples, 'web-fleet/fleet.yaml') }, 'TCPMEM_INVALID_HARDWARE'],
  ])('refuses %s, saying what to give', (_what, fields, code) => {
    expect(() => modelHost({ ...none, ...fields }, { explain: false })).toThrow(expect.objectContaining({ code }));
  });
});
