import { parseSysctlConf, toSysctlConfLine } from './sysctl-conf';

describe('parseSysctlConf (systemd sysctl.d(5) and procps syntax)', () => {
  it('reads assignments with their line numbers, skipping comments and blank lines', () => {
    const conf = parseSysctlConf(
      ['# tcpmem', '; also a comment', '', '   net.ipv4.tcp_rmem = 4096\t131072  6291456  ', 'net.core.somaxconn=4096', '  # indented comment'].join('\n'),
    );
    expect(conf.problems).toEqual([]);
    expect(conf.entries).toEqual([
      {
        kind: 'assignment',
        line: 4,
        key: 'net.ipv4.tcp_rmem',
        name: 'net.ipv4.tcp_rmem',
        path: '/proc/sys/net/ipv4/tcp_rmem',
        glob: false,
        sysctls: ['net.ipv4.tcp_rmem'],
        value: '4096\t131072  6291456',
        ignoreFailure: false,
        values: [4096n, 131072n, 6291456n],
      },
      {
        kind: 'assignment',
        line: 5,
        key: 'net.core.somaxconn',
        name: 'net.core.somaxconn',
        path: '/proc/sys/net/core/somaxconn',
        glob: false,
        sysctls: ['net.core.somaxconn'],
        value: '4096',
        ignoreFailure: false,
        values: [4096n],
      },
    ]);
  });

  it.each([
    ['net/ipv4/tcp_wmem = 1 2 3', 'net.ipv4.tcp_wmem', '/proc/sys/net/ipv4/tcp_wmem'],
    ['net.ipv4.conf.enp3s0/200.forwarding = 1', 'net.ipv4.conf.enp3s0/200.forwarding', '/proc/sys/net/ipv4/conf/enp3s0.200/forwarding'],
    ['net/ipv4/conf/enp3s0.200/forwarding = 1', 'net.ipv4.conf.enp3s0/200.forwarding', '/proc/sys/net/ipv4/conf/enp3s0.200/forwarding'],
    ['kernel.domainname=example.com', 'kernel.domainname', '/proc/sys/kernel/domainname'],
  ])('applies the first-separator rule to %j', (line, name, path) => {
    const [entry] = parseSysctlConf(line).entries;
    expect([entry?.name, entry?.path]).toEqual([name, path]);
  });

  it('marks a leading "-" as ignore-failure', () => {
    const [entry] = parseSysctlConf('-net.ipv4.tcp_child_ehash_entries = 1024').entries;
    expect(entry?.kind === 'assignment' && entry.ignoreFailure).toBe(true);
    expect(entry?.sysctls).toEqual(['net.ipv4.tcp_child_ehash_entries']);
  });

  it('reads "-key" without "=" as an exclusion from globs', () => {
    const [entry] = parseSysctlConf('-net.ipv4.conf.hub0.rp_filter').entries;
    expect(entry).toMatchObject({ kind: 'exclusion', name: 'net.ipv4.conf.hub0.rp_filter', line: 1 });
  });

  it('warns when a glob writes one value to several managed sysctls', () => {
    const conf = parseSysctlConf('net.ipv4.tcp_?mem = 4096 87380 6291456');
    expect(conf.entries[0]?.sysctls).toEqual(['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
    expect(conf.problems.map((p) => p.code)).toEqual(['TCPMEM_SYSCTL_CONF_GLOB']);
  });

  it('keeps a glob from crossing a "/" (fnmatch on the path)', () => {
    expect(parseSysctlConf('net.*_mem = 1 2 3').entries[0]?.sysctls).toEqual([]);
    expect(parseSysctlConf('net.ipv4.*_mem = 1 2 3').entries[0]?.sysctls).toEqual(['net.ipv4.tcp_mem', 'net.ipv4.udp_mem']);
  });

  it.each([
    ['net.ipv4.tcp_rmem', 'TCPMEM_SYSCTL_CONF_SYNTAX', 1],
    ['= 5', 'TCPMEM_SYSCTL_CONF_SYNTAX', 1],
    ['net.ipv4.tcp_rmem = 4096 87380 # comment', 'TCPMEM_SYSCTL_CONF_VALUE', 1],
    ['net.ipv4.tcp_rmem = 4096 87380', 'TCPMEM_SYSCTL_CONF_VALUE', 1],
    ['net.core.somaxconn = 1k', 'TCPMEM_SYSCTL_CONF_VALUE', 1],
    ['net.core.somaxconn = 1\nnet/core/somaxconn = 2', 'TCPMEM_SYSCTL_CONF_DUPLICATE', 2],
  ])('reports %j as %s on line %i', (text, code, line) => {
    expect(parseSysctlConf(text).problems.map((p) => [p.code, p.line])).toEqual([[code, line]]);
  });

  it('keeps values of sysctls outside the registry as text', () => {
    const [entry] = parseSysctlConf('vm.swappiness = 10').entries;
    expect(entry).toMatchObject({ kind: 'assignment', value: '10', sysctls: [] });
    expect(entry !== undefined && 'values' in entry).toBe(false);
  });

  it('reads CRLF files', () => {
    expect(parseSysctlConf('net.core.somaxconn = 1024\r\n').entries[0]).toMatchObject({ value: '1024', values: [1024n] });
  });
});

describe('toSysctlConfLine', () => {
  it('writes the line tcpmem puts into /etc/sysctl.d', () => {
    expect(toSysctlConfLine('net.ipv4.tcp_rmem', [4096, 131072, 6291456])).toBe('net.ipv4.tcp_rmem = 4096 131072 6291456');
    expect(toSysctlConfLine('net.core.somaxconn', [4096n])).toBe('net.core.somaxconn = 4096');
  });
  it('round-trips through parseSysctlConf', () => {
    const line = toSysctlConfLine('net.ipv4.tcp_mem', [287898n, 383867n, 575796n]);
    expect(parseSysctlConf(line).entries[0]).toMatchObject({ values: [287898n, 383867n, 575796n] });
  });
});
