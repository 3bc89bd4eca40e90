import type { Hardware } from '@tcpmem/schema';
import { kernelForHardware } from './kernel-for-hardware';

const meminfo = (kB: number) => `MemTotal:       ${kB} kB\nMemFree:        1000 kB\n`;

describe('kernelForHardware: a host the model cannot describe', () => {
  it.each<[string, Hardware, RegExp, RegExp]>([
    ['a hardware block with 64 bytes of RAM', { kernel: '6.1', memory: 64 }, /\/memory: memory is 64 bytes/, /Check the hardware block/],
    ['discovered facts whose MemTotal is 99 kB', { kernel: '6.1.0-26-cloud-amd64', facts: { meminfo: meminfo(99) } }, /\/facts\/meminfo: MemTotal is 99 kB/, /discovered facts \(facts\/HOST\.json, field meminfo\).*tcpmem discover/],
  ])('%s is TCPMEM_MODEL with a hint at the place to fix', (_what, hardware, message, hint) => {
    const found = kernelForHardware(hardware);
    expect('problem' in found && found.problem).toMatchObject({ code: 'TCPMEM_MODEL', message: expect.stringMatching(message) as unknown, hint: expect.stringMatching(hint) as unknown });
  });
});
