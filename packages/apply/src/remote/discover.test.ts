import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootLogLines, bootLogLineWords } from '@tcpmem/kernel-model';
import { discoverScript, parseDiscover } from './discover';

const nonce = '00112233445566aa';
const m = `@@tcpmem-${nonce}`;
const names = ['net.core.somaxconn', 'net.ipv4.tcp_mem'];

describe('discoverScript', () => {
  it('is one POSIX sh script that reads and never writes, ending with its end marker', () => {
    const script = discoverScript(names, nonce, true);
    execFileSync('sh', ['-n'], { input: script });
    expect(script.trimEnd().endsWith(`echo "${m} end"`)).toBe(true);
    expect(script.match(new RegExp(`${m} end`, 'g'))).toHaveLength(1);
    expect(script).toContain('sudo -n dmesg');
    expect(script).not.toMatch(/>\s*\/(proc|etc)/);
    expect(discoverScript(names, nonce, false)).not.toContain('sudo');
  });

  describe.each([
    ['sh', ['sh']],
    ['busybox sh (its own grep)', ['busybox', 'sh']],
  ])('run by %s with a `dmesg` that prints a real boot log and a ring buffer of noise', (_shell, command) => {
    let dir: string;
    let log: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-discover-dmesg-'));
      const boot = fs.readFileSync(path.join(__dirname, '../../../kernel-model/fixtures/qemu-heldout/h61-47-generic-1g/dmesg.txt'), 'utf8');
      // a host up for long: its ring buffer is mostly what drivers and users logged since boot
      const noise = Array.from({ length: 3000 }, (_, i) => `[ ${(1000 + i).toFixed(6)}] eth0: link up, MAC 52:54:00:12:34:${(i % 256).toString(16).padStart(2, '0')} user=alice's job ${i}`);
      log = `${boot.trimEnd()}\n${noise.join('\n')}\n`;
      fs.writeFileSync(path.join(dir, 'log'), log);
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('sends only the lines the model may read, and facts keep exactly bootLogLines of the whole log', () => {
      // `dmesg` as a shell function (busybox sh runs its own applets before anything on PATH); grep is the system's
      // under sh and busybox's own applet under busybox sh
      const script = `dmesg() { cat '${path.join(dir, 'log')}'; }\n${discoverScript(names, nonce, false)}`;
      const output = execFileSync(command[0]!, command.slice(1), { input: script, encoding: 'utf8' });
      const sent = output.slice(output.indexOf(`${m} dmesg\n`) + `${m} dmesg\n`.length, output.indexOf(`${m} end`));
      expect(sent.length).toBeLessThan(log.length / 10);
      expect(sent).not.toContain('alice');
      expect(parseDiscover(output, nonce, new Set(names)).facts.dmesg).toBe(bootLogLines(log));
    });
  });

  it('quotes each filter word as one shell word', () => {
    for (const word of bootLogLineWords) expect(word).not.toMatch(/['\\\n]/);
  });
});

describe('parseDiscover', () => {
  it('reads the kernel log, the hash table line, NUMA nodes in order and min_free_kbytes', () => {
    const output = [
      `${m} release`, '6.1.0-26-amd64',
      `${m} pagesize`, '4096',
      `${m} cpus`, '4',
      `${m} sysctl net.core.somaxconn`, '4096',
      `${m} missing net.ipv4.tcp_mem`,
      `${m} meminfo`, 'MemTotal:        8000000 kB',
      `${m} dversion`, 'Linux version 6.1.0-26-amd64 … Debian 6.1.112-1',
      `${m} minfree`, '67584',
      `${m} netns`, 'net:[4026532281]',
      `${m} node 1`, 'Node 1 MemTotal: 4000000 kB',
      `${m} node 0`, 'Node 0 MemTotal: 4000000 kB',
      `${m} dmesg`, '[    0.000000] Linux version 6.1.0-26-amd64', '[    1.721395] TCP: Hash tables configured (established 65536 bind 65536)', '[    3.1] Freeing initrd memory: 11828K',
      `${m} end`,
      '',
    ].join('\n');
    const { facts, complete } = parseDiscover(output, nonce, new Set(names));
    expect(complete).toBe(true);
    expect(facts).toMatchObject({
      release: '6.1.0-26-amd64',
      pageSize: 4096,
      cpus: 4,
      version: 'Linux version 6.1.0-26-amd64 … Debian 6.1.112-1',
      minFreeKbytes: 67584,
      hashTablesLine: 'TCP: Hash tables configured (established 65536 bind 65536)',
      nodeMeminfo: ['Node 0 MemTotal: 4000000 kB', 'Node 1 MemTotal: 4000000 kB'],
      sysctls: { 'net.core.somaxconn': '4096' },
      missingSysctls: ['net.ipv4.tcp_mem'],
      netns: 'net:[4026532281]',
    });
    expect(facts.dmesg).toContain('Freeing initrd memory: 11828K');
  });

  it('keeps only the boot-log lines the model reads, not device names, addresses or messages', () => {
    const dmesg = [
      '[    0.000000] Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org)',
      '[    0.000000] percpu: Embedded 62 pages/cpu s217088 r8192 d28672 u1048576',
      '[    2.100000] virtio_net virtio0 ens3: renamed from eth0, MAC 52:54:00:12:34:56',
      '[    3.000000] audit: type=1400 user=alice',
      '[    3.1] Freeing initrd memory: 11828K',
    ].join('\n');
    const { facts } = parseDiscover([`${m} release`, '6.1.0-26-amd64', `${m} dmesg`, dmesg, `${m} end`, ''].join('\n'), nonce, new Set(names));
    expect(facts.dmesg).toBe([0, 1, 4].map((i) => dmesg.split('\n')[i]).join('\n') + '\n');
  });

  it('keeps /etc/machine-id only as tcpmem\'s app-specific ID of it (as `systemd-id128 machine-id --app-specific` prints it), never the ID itself', () => {
    const { facts } = parseDiscover([`${m} release`, '6.1.0-26-amd64', `${m} machineid`, '3d1219c7c4c5404aaa1f6d2a48adfda4', `${m} end`, ''].join('\n'), nonce, new Set(names));
    expect(facts.machineAppId).toBe('5f233229173a4f8b9bfbc28cb3c3de92');
    expect(JSON.stringify(facts)).not.toContain('3d1219c7c4c5404aaa1f6d2a48adfda4');
  });

  it.each([
    ['no /etc/machine-id', ''],
    ['an uninitialized one', 'uninitialized'],
    ['all zeros', '00000000000000000000000000000000'],
  ])('leaves the machine ID out for %s', (_what, text) => {
    const { facts } = parseDiscover([`${m} release`, '6.1.0-26-amd64', `${m} machineid`, text, `${m} end`, ''].join('\n'), nonce, new Set(names));
    expect(facts).not.toHaveProperty('machineAppId');
  });

  it('leaves out what the host would not show (no dmesg, no NUMA folder)', () => {
    const { facts } = parseDiscover([`${m} release`, '6.1.0-26-amd64', `${m} minfree`, '', `${m} dmesg`, '', `${m} end`, ''].join('\n'), nonce, new Set(names));
    expect(facts).not.toHaveProperty('dmesg');
    expect(facts).not.toHaveProperty('hashTablesLine');
    expect(facts).not.toHaveProperty('nodeMeminfo');
    expect(facts).not.toHaveProperty('minFreeKbytes');
  });
});
