import { ramBytes } from './ram-bytes';

const boot = { memory: { totalram_pages: 1000, pageSize: 4096 } } as Parameters<typeof ramBytes>[1];
const gib = 1024 ** 3;

describe('ramBytes', () => {
  it.each([
    ['memory alone', { memory: '8GiB' }, 8 * gib],
    ['nodes alone', { nodes: ['2GiB', '6GiB'] }, 8 * gib],
    ['nodes given as objects', { nodes: [{ memory: '1GiB' }, { memory: '3GiB' }] }, 4 * gib],
    ['neither: the model\'s totalram_pages × page size', {}, 1000 * 4096],
  ])('takes the RAM from %s', (_what, hardware, bytes) => {
    expect(ramBytes(hardware as Parameters<typeof ramBytes>[0], boot)).toBe(bytes);
  });
});
