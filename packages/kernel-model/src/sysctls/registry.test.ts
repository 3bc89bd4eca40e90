import { tcpmemSchema } from '@tcpmem/schema';
import { parseKernelRelease } from '../series/kernel-version';
import { getSysctl, isSysctlName, listSysctls, sysctlsFor, vectorLength } from './registry';

const v = (release: string) => parseKernelRelease(release)!;

describe('the sysctl registry', () => {
  it('defines exactly the schema\'s $defs/Sysctls plus the read-only tcp_ehash_entries', () => {
    const schemaNames = Object.keys(tcpmemSchema.$defs.Sysctls.properties);
    const managed = listSysctls().filter((d) => d.managed).map((d) => d.name);
    expect(managed).toEqual(schemaNames);
    expect(listSysctls().filter((d) => !d.managed).map((d) => d.name)).toEqual(['net.ipv4.tcp_ehash_entries']);
  });

  it.each(listSysctls().map((d) => [d.name, d] as const))('derives the /proc/sys path of %s from its dotted name', (name, d) => {
    expect(d.procPath).toBe(`/proc/sys/${name.replace(/\./g, '/')}`);
  });

  it.each([
    // name, shape, fields, unit, C type, handler (current kernels), kernel source of the ctl_table entry
    ['net.ipv4.tcp_mem', 'triple', 'low pressure high', 'pages', 'unsigned long', 'proc_doulongvec_minmax'],
    ['net.ipv4.udp_mem', 'triple', 'low pressure high', 'pages', 'unsigned long', 'proc_doulongvec_minmax'],
    ['net.ipv4.tcp_rmem', 'triple', 'min default max', 'bytes', 'int', 'proc_dointvec_minmax'],
    ['net.ipv4.tcp_wmem', 'triple', 'min default max', 'bytes', 'int', 'proc_dointvec_minmax'],
    ['net.ipv4.tcp_max_tw_buckets', 'scalar', 'value', 'count', 'int', 'proc_dointvec'],
    ['net.ipv4.tcp_max_orphans', 'scalar', 'value', 'count', 'int', 'proc_dointvec'],
    ['net.ipv4.tcp_max_syn_backlog', 'scalar', 'value', 'count', 'int', 'proc_dointvec'],
    ['net.ipv4.tcp_limit_output_bytes', 'scalar', 'value', 'bytes', 'int', 'proc_dointvec'],
    ['net.ipv4.tcp_child_ehash_entries', 'scalar', 'value', 'count', 'unsigned int', 'proc_douintvec_minmax'],
    ['net.ipv4.tcp_ehash_entries', 'scalar', 'value', 'count', 'int', 'proc_tcp_ehash_entries'],
    ['net.core.somaxconn', 'scalar', 'value', 'count', 'int', 'proc_dointvec_minmax'],
    ['net.core.rmem_max', 'scalar', 'value', 'bytes', 'int', 'proc_dointvec_minmax'],
    ['net.core.wmem_max', 'scalar', 'value', 'bytes', 'int', 'proc_dointvec_minmax'],
  ] as const)('describes %s as a %s (%s) in %s of C type %s written by %s, as in S6.12 and S7.1 sysctl tables', (name, shape, fields, unit, cType, handler) => {
    const d = getSysctl(name);
    expect([d.shape, d.fields.join(' '), d.unit, d.cType]).toEqual([shape, fields, unit, cType]);
    expect(vectorLength(d)).toBe(shape === 'triple' ? 3 : 1);
    const current = d.write.handler;
    expect('always' in current ? current.always : 'always' in current.after ? current.after.always : undefined).toBe(handler);
  });

  it('writes 3.10/3.11 tcp_mem through the ipv4_tcp_mem() wrapper (S3.10, S3.11 net/ipv4/sysctl_net_ipv4.c)', () => {
    const handler = getSysctl('net.ipv4.tcp_mem').write.handler;
    expect(handler).toEqual({ change: 'tcp-mem-global', before: { always: 'ipv4_tcp_mem' }, after: { always: 'proc_doulongvec_minmax' } });
  });

  it('marks only tcp_ehash_entries read-only (0444 in S6.1)', () => {
    expect(listSysctls().filter((d) => !d.writable).map((d) => d.name)).toEqual(['net.ipv4.tcp_ehash_entries']);
  });

  it.each([
    ['2.6.32-754.el6.x86_64', 11],
    ['3.10.108', 11],
    ['5.15.0-91-generic', 11],
    ['6.0', 11],
    ['6.1.0-26-amd64', 13],
    ['7.1.5', 13],
  ])('lists the sysctls present on %s (%i; the per-netns ehash pair arrives in 6.1)', (release, count) => {
    const names = sysctlsFor(v(release)).map((d) => d.name);
    expect(names).toHaveLength(count);
    expect(names.includes('net.ipv4.tcp_child_ehash_entries')).toBe(count === 13);
  });

  it.each([
    ['net.ipv4.tcp_rmem', true],
    ['net.ipv4.tcp_ehash_entries', true],
    ['net/ipv4/tcp_rmem', false],
    ['net.ipv4.tcp_rmem ', false],
    ['net.ipv4.ip_forward', false],
    ['', false],
  ])('says whether %j is a registry name: %s', (name, expected) => {
    expect(isSysctlName(name)).toBe(expected);
  });

  it('gives every sysctl a one-line description in operator terms', () => {
    for (const d of listSysctls()) {
      expect(d.description).not.toContain('\n');
      expect(d.description.length).toBeGreaterThan(40);
    }
  });
});
