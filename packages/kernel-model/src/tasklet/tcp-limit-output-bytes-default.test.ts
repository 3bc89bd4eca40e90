import { tcpLimitOutputBytesDefault } from './tcp-limit-output-bytes-default';

describe('tcpLimitOutputBytesDefault', () => {
  it.each<[string, number | undefined, string]>([
    ['3.5', undefined, 'no TSQ'],
    ['3.10.108', 131072, '3.10.108 sysctl_tcp_limit_output_bytes = 131072'],
    ['4.1.19', 131072, '4.1.19'],
    ['4.2.8', 262144, '4.2.8 "tcp: double default TSQ output bytes limit"'],
    ['4.20.1', 262144, '4.20.1'],
    ['5.0.1', 1048576, '5.0.1 16 * 65536'],
    ['6.1.0-26-cloud-amd64', 1048576, '6.1.192 tcp_sk_init 16 * 65536'],
    ['6.15', 1048576, 'last series before 9ea3bfa61b09'],
    ['6.16', 4194304, '9ea3bfa61b09 4 << 20'],
    ['6.18.2', 4194304, '6.18.2 tcp_sk_init 4 << 20'],
  ])('is %j for %s (%s)', (version, value) => {
    expect(tcpLimitOutputBytesDefault(version)).toBe(value);
  });
});
