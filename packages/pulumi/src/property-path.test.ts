import { toPropertyPath } from './property-path';

describe('toPropertyPath', () => {
  it.each([
    ['', ''],
    ['/address', 'address'],
    ['/ssh/port', 'ssh.port'],
    ['/sysctls/net.ipv4.tcp_rmem', 'sysctls["net.ipv4.tcp_rmem"]'],
    ['/sysctls/net.ipv4.tcp_rmem/max', 'sysctls["net.ipv4.tcp_rmem"].max'],
    ['/sysctls/net.ipv4.tcp_wmem/2', 'sysctls["net.ipv4.tcp_wmem"][2]'],
    ['/presets/0', 'presets[0]'],
    ['/presetDefinitions/big-buffers/sysctls/net.core.rmem_max', 'presetDefinitions["big-buffers"].sysctls["net.core.rmem_max"]'],
    ['/presetDefinitions/a~1b', 'presetDefinitions["a/b"]'],
    ['/hardware/nodes/1/memory', 'hardware.nodes[1].memory'],
  ])('turns the pointer %j into the property path %j', (pointer, path) => {
    expect(toPropertyPath(pointer)).toBe(path);
  });
});
