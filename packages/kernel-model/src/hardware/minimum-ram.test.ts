import type { Hardware } from '@tcpmem/schema';
import { computeBootDefaults } from '../tcp-init/compute-boot-defaults';
import { HardwareInputError } from './normalize-hardware';

const meminfo = (kB: number) => `MemTotal:       ${kB} kB\nMemFree:        1000 kB\n`;

describe('RAM too small for any distribution kernel', () => {
  it.each<[string, Hardware, string, RegExp]>([
    ['a bare number taken as bytes', { kernel: '6.1', memory: 64 }, '/memory', /memory is 64 bytes .* e\.g\. 4GiB/],
    ['1 MiB', { kernel: '6.1', memory: '1MiB' }, '/memory', /1\.00 MiB\), less than the 64 MiB/],
    ['nodes that add up to 48 MiB', { kernel: '6.1', nodes: ['16MiB', '32MiB'] }, '/nodes', /the nodes hold 50331648 bytes/],
    ['a meminfo whose MemTotal is 99 kB', { kernel: '6.1.0-26-cloud-amd64', facts: { meminfo: meminfo(99) } }, '/facts/meminfo', /MemTotal is 99 kB.*whole \/proc\/meminfo/],
  ])('%s is an error naming the field', (_what, hardware, path, message) => {
    let thrown: unknown;
    try {
      computeBootDefaults(hardware);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HardwareInputError);
    expect((thrown as HardwareInputError).path).toBe(path);
    expect((thrown as Error).message).toMatch(message);
  });

  it.each<[string, Hardware]>([
    ['64 MiB', { kernel: '6.1', memory: '64MiB' }],
    ['two nodes of 32 MiB', { kernel: '6.1', nodes: ['32MiB', '32MiB'] }],
    ['the MemTotal of a 128 MiB guest', { kernel: '6.1.0-26-cloud-amd64', facts: { meminfo: meminfo(94800) } }],
    ['a MemTotal of 32 MiB', { kernel: '6.1.0-26-cloud-amd64', facts: { meminfo: meminfo(32768) } }],
  ])('%s is still modelled', (_what, hardware) => {
    const tcpMem = computeBootDefaults(hardware).sysctls['net.ipv4.tcp_mem'];
    expect(Array.isArray(tcpMem) && Number(tcpMem[0]) > 0).toBe(true);
  });
});
