import { getSysctl, isSysctlName, listSysctls } from '@tcpmem/kernel-model';
import type { HostFacts } from '@tcpmem/schema';
import { managedSysctlsOf, prepareFactsBody } from './prepared-facts';

const zoneinfo = 'Node 0, zone   Normal\n  pages free     1000\n        min      100\n        low      120\n        high     140\n        spanned  262144\n        present  262144\n        managed  262144\n        protection: (0, 0)\n';

/** What a discovery records: texts, fields, and sysctls tcpmem manages among many it does not. */
const discovered: HostFacts = {
  release: '6.1.0-26-amd64',
  version: 'Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)',
  cmdline: 'BOOT_IMAGE=/vmlinuz ro quiet',
  meminfo: 'MemTotal: 1048576 kB\n',
  zoneinfo,
  nodeMeminfo: ['Node 0 MemTotal: 1048576 kB\n'],
  cpus: 2,
  pageSize: 4096,
  hashTablesLine: 'TCP established hash table entries: 8192 (order: 4, 65536 bytes, linear)',
  sysctls: {
    'net.ipv4.ip_forward': '0',
    'net.ipv4.tcp_wmem': '4096 16384 4194304',
    'net.ipv4.tcp_ehash_entries': '8192',
    'net.ipv4.tcp_congestion_control': 'cubic',
    'net.ipv4.tcp_mem': '11247 14996 22494',
    'net.core.somaxconn': '4096',
  },
  missingSysctls: ['net.ipv4.tcp_child_ehash_entries'],
  netns: 'net:[4026531840]',
  dmesg: 'Memory: 1000000K/1048576K available\n',
};

describe('prepareFactsBody', () => {
  const prepared = prepareFactsBody(discovered);

  it('keeps every field but the texts, in their order', () => {
    expect(Object.keys(prepared.facts)).toEqual(['release', 'version', 'cmdline', 'cpus', 'pageSize', 'sysctls', 'missingSysctls', 'netns']);
    expect(prepared.facts.missingSysctls).toEqual(['net.ipv4.tcp_child_ehash_entries']);
    expect(prepared.hasBootLog).toBe(true);
  });

  it('keeps of the sysctls those tcpmem manages and may write, in the discovered order', () => {
    expect(prepared.facts.sysctls).toEqual({ 'net.ipv4.tcp_wmem': '4096 16384 4194304', 'net.ipv4.tcp_mem': '11247 14996 22494', 'net.core.somaxconn': '4096' });
    expect(Object.keys(prepared.facts.sysctls ?? {})).toEqual(['net.ipv4.tcp_wmem', 'net.ipv4.tcp_mem', 'net.core.somaxconn']);
  });

  it('reads the kernel facts from the whole body, not the cut one', () => {
    expect(prepared.kernel.texts.zones?.[0]?.managed).toBe(262144);
    expect(prepared.kernel.texts.bootLog?.availableKiB).toBe(1048576);
    expect(prepared.kernel.texts.nodeMemTotalKiB).toEqual([1048576]);
    expect(prepared.kernel.facts).toEqual({ release: discovered.release, version: discovered.version, cmdline: discovered.cmdline, cpus: 2, pageSize: 4096 });
  });

  it('keeps `sysctls` when none is managed (the host was discovered: its values are not the model defaults)', () => {
    expect(prepareFactsBody({ ...discovered, sysctls: { 'net.ipv4.ip_forward': '1' } }).facts.sysctls).toEqual({});
    expect('sysctls' in prepareFactsBody({ release: '6.1.0-26-amd64' }).facts).toBe(false);
  });
});

describe('the kernel facts key', () => {
  const key = (cmdline: string): string => prepareFactsBody({ ...discovered, cmdline }).kernel.key;

  it('is the same for hosts whose command lines differ only in what the model never reads (their root file system)', () => {
    expect(key('BOOT_IMAGE=/vmlinuz root=UUID=3f1e2d4c-0000-4000-8000-000000000001 ro quiet')).toBe(key('BOOT_IMAGE=/vmlinuz root=UUID=9a8b7c6d-0000-4000-8000-000000000002 ro quiet'));
  });

  it('differs when a boot parameter the model reads differs', () => {
    expect(key('root=UUID=1 ro mem=6G')).not.toBe(key('root=UUID=1 ro'));
  });
});

describe('managedSysctlsOf', () => {
  it('keeps exactly the sysctls a kernel model has shapes for: managed and writable', () => {
    const every = Object.fromEntries(listSysctls().map((d) => [d.name, '1']));
    const kept = Object.keys(managedSysctlsOf({ ...every, 'net.ipv4.ip_forward': '1', __proto__x: '1' }));
    const shaped = listSysctls().filter((d) => isSysctlName(d.name) && getSysctl(d.name).managed && getSysctl(d.name).writable).map((d) => d.name);
    expect(kept).toEqual(shaped);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(listSysctls().length);
  });
});
