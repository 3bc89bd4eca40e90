import { formatSysctlText, parseSysctlText, sameSysctlValues } from './sysctl-text';
import type { SysctlName } from './sysctl-definition';

const parsed = (name: SysctlName, text: string) => {
  const r = parseSysctlText(name, text);
  return r.ok ? r.values.map((v) => v.toString()).join(' ') : r.message;
};

describe('parseSysctlText', () => {
  it.each([
    // What cat /proc/sys/… printed on the 6.18.44 host.
    ['net.ipv4.tcp_rmem', '4096\t131072\t33554432\n', '4096 131072 33554432'],
    ['net.ipv4.tcp_mem', '287898\t383867\t575796\n', '287898 383867 575796'],
    ['net.ipv4.tcp_ehash_entries', '-262144\n', '-262144'],
    ['net.core.somaxconn', '4096\n', '4096'],
    ['net.ipv4.tcp_rmem', '  4096   131072\n 6291456  ', '4096 131072 6291456'],
    ['net.ipv4.tcp_mem', '18446744073709551615 0 1', '18446744073709551615 0 1'],
    ['net.ipv4.tcp_rmem', '4096 131072', 'net.ipv4.tcp_rmem: expected 3 number(s) (min, default, max), got 2 in "4096 131072"'],
    ['net.core.somaxconn', '', 'net.core.somaxconn: expected 1 number(s) (value), got 0 in ""'],
    ['net.core.somaxconn', '0x10', 'net.core.somaxconn: "0x10" is not a decimal integer'],
    ['net.core.somaxconn', '2147483648', 'net.core.somaxconn: 2147483648 is outside int (-2147483648 … 2147483647)'],
    ['net.ipv4.tcp_mem', '-1 2 3', 'net.ipv4.tcp_mem: -1 is outside unsigned long (0 … 18446744073709551615)'],
    ['net.ipv4.tcp_child_ehash_entries', '4294967296', 'net.ipv4.tcp_child_ehash_entries: 4294967296 is outside unsigned int (0 … 4294967295)'],
  ] as const)('reads %s from %j as %s', (name, text, expected) => {
    expect(parsed(name, text)).toBe(expected);
  });

  it('compares values, never whitespace', () => {
    const a = parseSysctlText('net.ipv4.tcp_wmem', '4096\t16384\t4194304\n');
    const b = parseSysctlText('net.ipv4.tcp_wmem', ' 4096 16384    4194304');
    expect(a.ok && b.ok && sameSysctlValues(a.values, b.values)).toBe(true);
  });
});

describe('formatSysctlText', () => {
  it('prints tab-separated values as the kernel does (proc_put_char(\'\\t\'))', () => {
    expect(formatSysctlText('net.ipv4.tcp_rmem', [4096, 131072n, 6291456])).toBe('4096\t131072\t6291456');
  });
  it('refuses a value list of the wrong length', () => {
    expect(() => formatSysctlText('net.ipv4.tcp_rmem', [4096])).toThrow('net.ipv4.tcp_rmem has 3 element(s), got 1 value(s)');
  });
  it('refuses a number that is not a safe integer', () => {
    expect(() => formatSysctlText('net.core.somaxconn', [1.5])).toThrow(RangeError);
  });
});

describe('sameSysctlValues', () => {
  it.each([
    [[1, 2, 3], [1n, 2n, 3n], true],
    [[1, 2, 3], [1, 2], false],
    [[1.5], [1n], false],
    [[2 ** 53], [9007199254740992n], false],
    [[-5], [-5n], true],
  ] as const)('compares %j and %j: %s', (a, b, expected) => {
    expect(sameSysctlValues(a, b)).toBe(expected);
  });
});
