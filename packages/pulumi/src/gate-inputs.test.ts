import { gateInputs } from './gate-inputs';
import { toCheckFailures } from './problem-text';

const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n';
const base = { hostName: 'web-1', address: '198.51.100.10' };
const hardware = { kernel: '6.1.0-26-amd64', memory: '8GiB', cpus: 4 };

/** The check failures of some inputs, as `{property, code}` pairs. */
function failures(inputs: Record<string, unknown>): { property: string; code: string }[] {
  const gate = gateInputs(inputs);
  if (gate.ok) return [];
  return toCheckFailures(gate.problems).map((f) => ({ property: f.property, code: f.reason.slice(0, f.reason.indexOf(':')) }));
}

describe('gateInputs', () => {
  it('accepts every form of the schema for one host and plans it offline when the hardware is known', () => {
    const gate = gateInputs({
      ...base,
      ssh: { user: 'deploy', port: 2222, sudo: true, connectTimeout: '3s' },
      privateKey: key,
      hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl root@web-1',
      hardware,
      sysctls: {
        'net.ipv4.tcp_rmem': { max: '16MiB' },
        'net.ipv4.tcp_wmem': [4096, '64KiB', '2x'],
        'net.core.somaxconn': { atLeast: 4096 },
        'net.ipv4.tcp_mem': { pressure: '5%' },
        'net.core.rmem_max': 'default',
      },
      workload: { flowRate: '1Gbit', rtt: '20ms', flows: 16 },
      presets: ['tcpmem:esnet-10g-100ms', 'mine'],
      presetDefinitions: { mine: { source: 'ticket OPS-1', sysctls: { 'net.ipv4.tcp_max_syn_backlog': 4096 } } },
    });
    expect(gate).toMatchObject({ ok: true, plannedOffline: true });
  });

  it('accepts a host without hardware, leaving what needs its kernel to the live read', () => {
    expect(gateInputs({ ...base, sysctls: { 'net.core.somaxconn': 8192 } })).toMatchObject({ ok: true, plannedOffline: false });
  });

  it.each([
    ['a port out of range', { ssh: { port: 0 } }, 'ssh.port', 'TCPMEM_SCHEMA'],
    ['an unknown ssh setting', { ssh: { password: 'x' } }, 'ssh.password', 'TCPMEM_SCHEMA'],
    ['a value in no form of the schema', { sysctls: { 'net.core.somaxconn': 'lots' } }, 'sysctls["net.core.somaxconn"]', 'TCPMEM_SCHEMA'],
    ['a triple field that does not exist', { sysctls: { 'net.ipv4.tcp_rmem': { maximum: 1 } } }, 'sysctls["net.ipv4.tcp_rmem"].maximum', 'TCPMEM_SCHEMA'],
    ['a sysctl tcpmem does not manage', { sysctls: { 'kernel.pid_max': 1 } }, 'sysctls["kernel.pid_max"]', 'TCPMEM_SCHEMA'],
    ['a workload without flows', { workload: { flowRate: '1Gbit', rtt: '1ms' } }, 'workload', 'TCPMEM_SCHEMA'],
    ['memory and nodes together', { hardware: { kernel: '6.1', memory: '8GiB', nodes: ['4GiB'] } }, 'hardware', 'TCPMEM_SCHEMA'],
    ['an unknown preset', { presets: ['nope'] }, 'presets[0]', 'TCPMEM_UNKNOWN_PRESET'],
    ['a preset defined without its source', { presetDefinitions: { mine: { sysctls: {} } } }, 'presetDefinitions.mine', 'TCPMEM_SCHEMA'],
    ['a preset named like a built-in one', { presetDefinitions: { 'tcpmem:x': { source: 's', sysctls: {} } } }, 'presetDefinitions["tcpmem:x"]', 'TCPMEM_PULUMI_INPUTS'],
    ['an unknown input', { sysctl: {} }, 'sysctl', 'TCPMEM_PULUMI_INPUTS'],
    ['a missing address', { address: undefined }, 'address', 'TCPMEM_PULUMI_INPUTS'],
    ['a bad host name', { hostName: 'web 1' }, 'hostName', 'TCPMEM_PULUMI_INPUTS'],
    ['a host key that is no public key', { hostKey: 'AAAA' }, 'hostKey', 'TCPMEM_PULUMI_INPUTS'],
    ['a host key and a known_hosts file', { hostKey: 'ssh-ed25519 AAAAC3Nz', ssh: { knownHostsFile: '/k' } }, 'hostKey', 'TCPMEM_PULUMI_INPUTS'],
    ['a host key with a jump host', { hostKey: 'ssh-ed25519 AAAAC3Nz', ssh: { jumpHost: 'bastion' } }, 'hostKey', 'TCPMEM_PULUMI_INPUTS'],
    ['a passphrase without a key', { privateKeyPassphrase: 'x' }, 'privateKeyPassphrase', 'TCPMEM_PULUMI_INPUTS'],
    ['a missing host name', { hostName: undefined }, 'hostName', 'TCPMEM_PULUMI_INPUTS'],
    ['a private key that is no key', { privateKey: 'not a key' }, 'privateKey', 'TCPMEM_PULUMI_INPUTS'],
    ['a host key that is no string', { hostKey: 7 }, 'hostKey', 'TCPMEM_PULUMI_INPUTS'],
    ['preset definitions that are no object', { presetDefinitions: ['mine'] }, 'presetDefinitions', 'TCPMEM_PULUMI_INPUTS'],
    ['a preset definition that is no preset', { presetDefinitions: { mine: 3 } }, 'presetDefinitions.mine', 'TCPMEM_SCHEMA'],
  ])('reports %s as a failure at its property path', (_what, change, property, code) => {
    expect(failures({ ...base, ...change })).toContainEqual({ property, code });
  });

  it.each([
    ['a triple out of order', { 'net.ipv4.tcp_rmem': ['16MiB', '1MiB', '4MiB'] }, 'sysctls["net.ipv4.tcp_rmem"]', 'TCPMEM_TRIPLE_ORDER'],
    ['tcp_mem over half the RAM', { 'net.ipv4.tcp_mem': { high: '60%' } }, 'sysctls["net.ipv4.tcp_mem"]', 'TCPMEM_TCP_MEM_TOO_LARGE'],
    ['a value the kernel rejects', { 'net.core.somaxconn': -1 }, 'sysctls["net.core.somaxconn"]', 'TCPMEM_KERNEL_REJECTS'],
    ['one field of a triple out of order', { 'net.ipv4.tcp_wmem': { min: '8MiB' } }, 'sysctls["net.ipv4.tcp_wmem"].min', 'TCPMEM_TRIPLE_ORDER'],
  ])('with the hardware known, reports %s (a semantic rule of plan) at its property path', (_what, sysctls, property, code) => {
    const found = failures({ ...base, hardware, sysctls });
    expect(found.map((f) => f.code)).toContain(code);
    expect(found.find((f) => f.code === code)?.property.startsWith(property.replace(/\.min$/, ''))).toBe(true);
  });

  it('reports a semantic problem inside a program preset at that preset', () => {
    expect(failures({ ...base, hardware, presets: ['mine'], presetDefinitions: { mine: { source: 's', sysctls: { 'net.ipv4.tcp_rmem': ['16MiB', '1MiB', '4MiB'] } } } })).toContainEqual({
      property: 'presetDefinitions.mine.sysctls["net.ipv4.tcp_rmem"]',
      code: 'TCPMEM_TRIPLE_ORDER',
    });
  });

  it('takes Pulumi\'s own __provider input for none of ours, and hands back only the inputs', () => {
    const gate = gateInputs({ ...base, __provider: 'serialized provider' });
    expect(gate.ok && gate.inputs).toEqual(base);
  });

  it('reports each wrong input once, even when the schema finds it wrong twice', () => {
    expect(failures({ ...base, hostName: 'web 1', presetDefinitions: { 'a b': { source: 's', sysctls: {} } } })).toEqual([
      { property: 'hostName', code: 'TCPMEM_PULUMI_INPUTS' },
      { property: 'presetDefinitions["a b"]', code: 'TCPMEM_PULUMI_INPUTS' },
    ]);
  });

  it('reports every problem at once, not only the first', () => {
    expect(failures({ ...base, ssh: { port: 0, user: 'Bad User' }, sysctls: { 'net.core.somaxconn': 'lots' } }).length).toBeGreaterThanOrEqual(3);
  });

  it('never puts a private key in a message, even a malformed one', () => {
    const secret = 'this-is-the-secret-key-material';
    const gate = gateInputs({ ...base, privateKey: secret, privateKeyPassphrase: 'pass-secret' });
    expect(gate.ok).toBe(false);
    expect(JSON.stringify(gate)).not.toContain(secret);
    expect(JSON.stringify(gate)).not.toContain('pass-secret');
  });
});
