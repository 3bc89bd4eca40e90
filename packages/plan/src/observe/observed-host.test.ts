import { persistedFile } from './observation';
import { observationOf } from './observed-host';

describe('observationOf', () => {
  const host = {
    release: '6.1.0-26-amd64',
    sysctls: { 'net.core.somaxconn': '8192\n', 'net.ipv4.tcp_rmem': '4096\t131072\t6291456', 'net.ipv4.tcp_mem': 'garbage' },
    files: {
      [persistedFile]: 'net.core.somaxconn = 8192\nnet.ipv4.tcp_rmem = 4096 131072 6291456\n',
      '/etc/sysctl.d/zz-local.conf': 'net.core.somaxconn = 1024\n',
      '/etc/sysctl.d/10-early.conf': 'net.ipv4.tcp_rmem = 1 1 1\n',
      '/etc/sysctl.d/zz-local.conf.disabled': 'net.core.somaxconn = 1\n',
    },
  };
  const observed = observationOf(host);

  it.each([
    ['reads live values as integers, whatever the whitespace', () => [...observed.sysctls], [['net.core.somaxconn', [8192]], ['net.ipv4.tcp_rmem', [4096, 131072, 6291456]]]],
    ['leaves out a live value that is not integers, as a live read does', () => observed.sysctls.has('net.ipv4.tcp_mem'), false],
    ['reads tcpmem\'s own file', () => [...(observed.persisted?.own ?? [])], [['net.core.somaxconn', [8192]], ['net.ipv4.tcp_rmem', [4096, 131072, 6291456]]]],
    ['finds the later file that would override a value at boot, not the earlier one or a file that is no .conf', () => [...(observed.persisted?.overriding ?? [])], [['net.core.somaxconn', { values: [1024], file: '/etc/sysctl.d/zz-local.conf' }]]],
    ['is a live observation of its release, with the values as facts', () => [observed.source, observed.release, observed.facts], ['live', '6.1.0-26-amd64', { release: '6.1.0-26-amd64', sysctls: { 'net.core.somaxconn': '8192', 'net.ipv4.tcp_rmem': '4096\t131072\t6291456', 'net.ipv4.tcp_mem': 'garbage' } }]],
  ] as const)('%s', (_behaviour, actual, expected) => {
    expect(actual()).toEqual(expected);
  });

  it('has an empty own file when the host has none', () => {
    expect(observationOf({ sysctls: {} }).persisted).toEqual({ file: persistedFile, own: new Map(), overriding: new Map(), beneath: new Map() });
  });
});
