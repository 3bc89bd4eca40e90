import { parseCrashkernel } from './parse-crashkernel';

const gib = 2 ** 30;

describe('parseCrashkernel', () => {
  it.each([
    ['256M', 8 * gib, 256 * 2 ** 20],
    ['256M@16M', 8 * gib, 256 * 2 ** 20],
    ['512M-2G:64M,2G-:256M', 1 * gib, 64 * 2 ** 20],
    ['512M-2G:64M,2G-:256M', 16 * gib, 256 * 2 ** 20],
  ])('resolves %j on %i bytes of RAM to %i bytes', (text, ram, bytes) => {
    expect(parseCrashkernel(text, ram)?.bytes).toBe(bytes);
  });

  it('reserves nothing when no range matches', () => {
    expect(parseCrashkernel('1G-2G:128M', 512 * 2 ** 20)).toBeUndefined();
  });

  it('notes a ,high reservation', () => {
    expect(parseCrashkernel('1G,high', 8 * gib)).toEqual({ bytes: gib, high: true, low: false });
  });
});
