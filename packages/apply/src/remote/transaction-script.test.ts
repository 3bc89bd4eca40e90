import { execFileSync } from 'node:child_process';
import type { LiveWrite } from '../engine/host-work';
import { emptyLog, foldLine, shQuote, tempFileOf, transactionScript, type TransactionInput } from './transaction-script';

const write = (sysctl: string, values: number[]): LiveWrite => ({ sysctl, path: `/proc/sys/${sysctl.replace(/\./g, '/')}`, values, before: null, action: 'create' });
const input = (extra: Partial<TransactionInput> = {}): TransactionInput => ({
  nonce: '0123456789abcdef',
  readNames: ['net.core.somaxconn', 'net.ipv4.tcp_rmem'],
  writes: [write('net.core.somaxconn', [8192]), write('net.ipv4.tcp_rmem', [4096, 131072, 8388608])],
  file: { mode: 'write', text: "# managed by tcpmem, don't edit\nnet.core.somaxconn = 8192\n" },
  waitSeconds: 60,
  ...extra,
});

describe('transactionScript', () => {
  it.each([
    ['writing the file', input()],
    ['removing the file', input({ file: { mode: 'remove' } })],
    ['leaving the file', input({ file: { mode: 'keep' } })],
    ['with nothing to write live', input({ writes: [] })],
    ['with a pause for tests', input({ pauseInCommitSeconds: 3 })],
  ])('is a POSIX sh script (%s)', (_name, i) => {
    execFileSync('sh', ['-n'], { input: transactionScript(i) });
  });

  it('is one { … } group, so that the shell has read all of it before the client sends its lines', () => {
    const script = transactionScript(input());
    expect(script.startsWith('{\n')).toBe(true);
    expect(script.endsWith('\n}\n')).toBe(true);
  });

  it('writes nothing before COMMIT: every write to /proc/sys and to the file comes after it', () => {
    const script = transactionScript(input());
    const commit = script.indexOf('[ "$L" = COMMIT ]');
    expect(commit).toBeGreaterThan(0);
    const before = script.slice(0, commit);
    expect(before).not.toMatch(/t_put '\/proc/);
    expect(before).not.toMatch(/mv -f/);
    expect(before).not.toContain('> "$J"');
  });

  it('quotes the file text so that a quote cannot end the string', () => {
    expect(transactionScript(input())).toContain(`'# managed by tcpmem, don'\\''t edit'`);
    expect(shQuote("a'b")).toBe(`'a'\\''b'`);
  });

  it('names its temporary file so that systemd-sysctl never reads it', () => {
    expect(tempFileOf('0123456789abcdef')).toBe('/etc/sysctl.d/.99-tcpmem.conf.0123456789abcdef.tmp');
  });

  it.each([
    ['a nonce that is not hex', input({ nonce: 'zz; rm -rf /' })],
    ['a sysctl name with shell in it', input({ writes: [write('net.core.somaxconn;reboot', [1])] })],
    ['a path that is not the name\'s', input({ writes: [{ ...write('net.core.somaxconn', [1]), path: '/etc/shadow' }] })],
    ['a value that is not an integer', input({ writes: [write('net.core.somaxconn', [Number.NaN])] })],
    ['file text with control characters', input({ file: { mode: 'write', text: 'x\u001b[2J' } })],
  ])('refuses %s', (_name, i) => {
    expect(() => transactionScript(i)).toThrow();
  });
});

describe('foldLine', () => {
  it('reads the protocol of a committed transaction', () => {
    const log = emptyLog();
    for (const line of ['recovered rolled-back', 'end', 'old net.core.somaxconn 4096', 'prepared', 'wrote net.core.somaxconn', 'verified net.core.somaxconn 8192', 'persisted /etc/sysctl.d/99-tcpmem.conf', 'committed']) foldLine(log, line);
    expect(log).toMatchObject({ recovered: 'rolled-back', readDone: true, prepared: true, wrote: ['net.core.somaxconn'], persisted: 'written', outcome: 'committed' });
    expect([...log.old]).toEqual([['net.core.somaxconn', '4096']]);
    expect([...log.verified]).toEqual([['net.core.somaxconn', '8192']]);
  });

  it('reads a rollback with the failing step, sysctl and the tool\'s own words', () => {
    const log = emptyLog();
    for (const line of ['end', 'prepared', 'wrote net.core.somaxconn', 'failed write net.ipv4.tcp_rmem printf: write error: Invalid argument', 'restored net.core.somaxconn 4096', 'rolled-back']) foldLine(log, line);
    expect(log.failed).toEqual({ stage: 'write', sysctl: 'net.ipv4.tcp_rmem', detail: 'printf: write error: Invalid argument' });
    expect(log.outcome).toBe('rolled-back');
    expect([...log.restored]).toEqual([['net.core.somaxconn', '4096']]);
  });

  it('tells a sysctl missing from the read section from one missing at prepare', () => {
    const log = emptyLog();
    foldLine(log, 'missing net.ipv4.tcp_mem');
    foldLine(log, 'end');
    foldLine(log, 'missing net.core.somaxconn');
    expect(log.missing).toEqual(['net.core.somaxconn']);
  });

  it('reads a busy host', () => {
    const log = emptyLog();
    foldLine(log, 'busy 4242');
    expect(log.busy).toMatch(/another tcpmem transaction .*pid 4242/);
  });
});
