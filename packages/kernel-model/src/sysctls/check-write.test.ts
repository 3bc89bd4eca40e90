import { parseKernelRelease } from '../series/kernel-version';
import { checkWrite, checkWriteText, toWriteText, valuesAfter, type WriteCheck, type WriteContext } from './check-write';
import type { SysctlName } from './sysctl-definition';

const v = (release: string) => parseKernelRelease(release)!;

/**
 * A check in one line: `ok 4096,unchanged,32768 ignored "99"` or `EINVAL@1 [4096]` (the element the kernel
 * stopped at and the values it had stored), with ` ?` when the version leaves the outcome open.
 */
function summary(check: WriteCheck): string {
  const open = check.certain ? '' : ' ?';
  if (check.accepted) {
    const elements = check.elements.map((e) => (e.state === 'written' ? e.value.toString() : e.state)).join(',');
    return `ok ${elements}${check.ignoredText === '' ? '' : ` ignored ${JSON.stringify(check.ignoredText)}`}${open}`;
  }
  const at = check.elementIndex === undefined ? '' : `@${check.elementIndex}`;
  return `${check.errno}${at} [${check.appliedBeforeFailure.join(',')}]${open}`;
}

interface Row {
  readonly name: SysctlName;
  readonly text: string;
  readonly release: string;
  readonly expected: string;
  readonly context?: WriteContext;
}
const row = (name: SysctlName, text: string, release: string, expected: string, context?: WriteContext): Row =>
  context === undefined ? { name, text, release, expected } : { name, text, release, expected, context };
const check = (r: Row) => checkWriteText(r.name, r.text, v(r.release), r.context);

describe('writes checked on the 6.18.44 host, one write(2) each in a throw-away network namespace (unshare -n)', () => {
  const host = '6.18.44-fc-v669';
  it.each([
    row('net.ipv4.tcp_rmem', '8192 4096 1000', host, 'ok 8192,4096,1000'),
    row('net.ipv4.tcp_rmem', '4096 0 1000', host, 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_rmem', '0 5000 6000', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_rmem', '1 1 1', host, 'ok 1,1,1'),
    row('net.ipv4.tcp_rmem', '4096 16384', host, 'ok 4096,16384,unchanged'),
    row('net.ipv4.tcp_rmem', '4096 16384 32768 99', host, 'ok 4096,16384,32768 ignored "99"'),
    row('net.ipv4.tcp_rmem', '4096 16384 32768 abc', host, 'ok 4096,16384,32768 ignored "abc"'),
    row('net.ipv4.tcp_rmem', '4096 abc 32768', host, 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_rmem', 'abc', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_rmem', '0x1000 010 1000', host, 'ok 4096,8,1000'),
    row('net.ipv4.tcp_rmem', '4096\t16384\t32768\n', host, 'ok 4096,16384,32768'),
    row('net.ipv4.tcp_rmem', '  4096   16384   32768  ', host, 'ok 4096,16384,32768'),
    row('net.ipv4.tcp_rmem', '4096,16384,32768', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_rmem', '4096 -5 32768', host, 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_rmem', '4096 2147483647 2147483648', host, 'EINVAL@2 [4096,2147483647]'),
    row('net.ipv4.tcp_rmem', '4096 4294967297 1', host, 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_rmem', '+4096', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_rmem', '4096k', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_rmem', '', host, 'ok unchanged,unchanged,unchanged'),
    row('net.ipv4.tcp_rmem', '\n', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_rmem', '4096 99999999999999999999999', host, 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_rmem', '4096 18446744073709551616', host, 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_wmem', '0 1 1', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_wmem', '1 1 1', host, 'ok 1,1,1'),
    row('net.ipv4.tcp_wmem', '5000 -1', host, 'EINVAL@1 [5000]'),
    row('net.ipv4.tcp_max_syn_backlog', '-5', host, 'ok -5'),
    row('net.ipv4.tcp_max_syn_backlog', '0', host, 'ok 0'),
    row('net.ipv4.tcp_max_syn_backlog', '2147483647', host, 'ok 2147483647'),
    row('net.ipv4.tcp_max_syn_backlog', '2147483648', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_max_syn_backlog', '-2147483648', host, 'ok -2147483648'),
    row('net.ipv4.tcp_max_syn_backlog', '-2147483649', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_max_syn_backlog', '5 6', host, 'ok 5 ignored "6"'),
    row('net.ipv4.tcp_max_syn_backlog', '-0', host, 'ok 0'),
    row('net.ipv4.tcp_max_tw_buckets', '-1', host, 'ok -1'),
    row('net.ipv4.tcp_limit_output_bytes', '-1', host, 'ok -1'),
    row('net.ipv4.tcp_limit_output_bytes', '0', host, 'ok 0'),
    row('net.core.somaxconn', '-1', host, 'EINVAL@0 []'),
    row('net.core.somaxconn', '0', host, 'ok 0'),
    row('net.core.somaxconn', '100000', host, 'ok 100000'),
    row('net.core.somaxconn', '2147483647', host, 'ok 2147483647'),
    row('net.core.somaxconn', '2147483648', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_child_ehash_entries', '16777217', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_child_ehash_entries', '16777216', host, 'ok 16777216'),
    row('net.ipv4.tcp_child_ehash_entries', '-1', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_child_ehash_entries', '1000', host, 'ok 1000'),
    row('net.ipv4.tcp_child_ehash_entries', '1000 2000', host, 'ok 1000 ignored "2000"'),
    row('net.ipv4.tcp_child_ehash_entries', '1000 abc', host, 'ok 1000 ignored "abc"'),
    row('net.ipv4.tcp_child_ehash_entries', '0', host, 'ok 0'),
    row('net.ipv4.tcp_child_ehash_entries', '4294967296', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_child_ehash_entries', '-0', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_child_ehash_entries', 'abc', host, 'EINVAL@0 []'),
    row('net.ipv4.tcp_ehash_entries', '1000', host, 'EACCES []'),
    row('net.ipv4.tcp_mem', '1 2 3', host, 'ENOENT []', { namespace: 'child' }),
    row('net.ipv4.udp_mem', '1 2 3', host, 'ENOENT []', { namespace: 'child' }),
    row('net.ipv4.tcp_max_orphans', '1', host, 'ENOENT []', { namespace: 'child' }),
    row('net.core.rmem_max', '300000', host, 'EACCES []', { namespace: 'child' }),
    row('net.core.somaxconn', '333', host, 'ok 333', { namespace: 'child' }),
  ])('$name: $text gives $expected', (r) => {
    expect(summary(check(r))).toBe(r.expected);
  });
});

describe('the unsigned-long reader, checked on the 6.18.44 host through the per-netns ipfrag_high_thresh (also proc_doulongvec_minmax)', () => {
  const host = '6.18.44-fc-v669';
  it.each([
    row('net.ipv4.udp_mem', '5000000', host, 'ok 5000000,unchanged,unchanged'),
    row('net.ipv4.udp_mem', '-5000000', host, 'EINVAL@0 []'),
    row('net.ipv4.udp_mem', '-0', host, 'EINVAL@0 []'),
    row('net.ipv4.udp_mem', '\n', host, 'EINVAL@0 []'),
    row('net.ipv4.udp_mem', '5000000\n', host, 'ok 5000000,unchanged,unchanged'),
    row('net.ipv4.udp_mem', '0x500000', host, 'ok 5242880,unchanged,unchanged'),
    row('net.ipv4.udp_mem', '18446744073709551615', host, 'ok 18446744073709551615,unchanged,unchanged'),
    row('net.ipv4.udp_mem', '18446744073709551616', host, 'EINVAL@0 []'),
    row('net.ipv4.udp_mem', '5000000abc', host, 'EINVAL@0 []'),
  ])('$name: $text gives $expected', (r) => {
    expect(summary(check(r))).toBe(r.expected);
  });
});

describe('kernel/sysctl.c (__do_proc_dointvec, __do_proc_doulongvec_minmax) as a 6.18.44 VM answered writes', () => {
  const vm = v('6.18.44');
  it('accepts a non-ascending tcp_rmem "8192 4096 1000"', () => {
    expect(checkWriteText('net.ipv4.tcp_rmem', '8192 4096 1000\n', vm).accepted).toBe(true);
  });
  it('refuses "4096 0 1000" after writing the first element, leaving "4096 4096 1000" over "8192 4096 1000"', () => {
    const result = checkWriteText('net.ipv4.tcp_rmem', '4096 0 1000\n', vm);
    expect(summary(result)).toBe('EINVAL@1 [4096]');
    expect(valuesAfter([8192n, 4096n, 1000n], result)).toEqual([4096n, 4096n, 1000n]);
  });
  it('updates only two elements with "4096 16384"', () => {
    expect(valuesAfter([1n, 2n, 3n], checkWriteText('net.ipv4.tcp_rmem', '4096 16384\n', vm))).toEqual([4096n, 16384n, 3n]);
  });
  it('uses three of four values and reports a short write (19 of 21 bytes)', () => {
    const text = '4096 16384 33554432 7\n';
    const result = checkWriteText('net.ipv4.tcp_rmem', text, vm);
    expect(summary(result)).toBe('ok 4096,16384,33554432 ignored "7"');
  });
  it.each([
    ['net.ipv4.tcp_max_syn_backlog', '-5', 'ok -5'],
    ['net.ipv4.tcp_max_syn_backlog', '2147483648', 'EINVAL@0 []'],
    ['net.core.somaxconn', '-1', 'EINVAL@0 []'],
    ['net.core.somaxconn', '100000', 'ok 100000'],
    ['net.ipv4.tcp_child_ehash_entries', '16777217', 'EINVAL@0 []'],
    ['net.ipv4.tcp_child_ehash_entries', '-1', 'EINVAL@0 []'],
    ['net.ipv4.tcp_child_ehash_entries', '1000', 'ok 1000'],
  ] as const)('%s: %s gives %s', (name, text, expected) => {
    expect(summary(checkWriteText(name, `${text}\n`, vm))).toBe(expected);
  });
});

describe('rules that changed between series, from the kernel sources', () => {
  it.each([
    // tcp_rmem minimum 4096 (tcp_min_rcvbuf): S6.1/S6.12 sysctl_net_ipv4.c, Debian changelogs (6.1.189, 6.12.112).
    row('net.ipv4.tcp_rmem', '1000 87380 6291456\n', '6.1.188', 'ok 1000,87380,6291456'),
    row('net.ipv4.tcp_rmem', '1000 87380 6291456\n', '6.1.189', 'EINVAL@0 []'),
    row('net.ipv4.tcp_rmem', '4096 87380 6291456\n', '6.1.189', 'ok 4096,87380,6291456'),
    row('net.ipv4.tcp_rmem', '1000 87380 6291456\n', '6.1.0-26-amd64', 'EINVAL@0 [] ?'),
    row('net.ipv4.tcp_rmem', '1000 87380 6291456\n', '6.1.0-26-amd64', 'ok 1000,87380,6291456', { stableSublevel: 112 }),
    row('net.ipv4.tcp_rmem', '1000 87380 6291456\n', '6.1.0-42-amd64', 'EINVAL@0 []', { stableSublevel: 192 }),
    row('net.ipv4.tcp_rmem', '1000 87380 6291456\n', '6.12.111', 'ok 1000,87380,6291456'),
    row('net.ipv4.tcp_rmem', '1000 87380 6291456\n', '6.12.112', 'EINVAL@0 []'),
    row('net.ipv4.tcp_rmem', '4096 1000 6291456\n', '6.12.117', 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_rmem', '1 1 1\n', '7.1.5', 'ok 1,1,1'),
    row('net.ipv4.tcp_rmem', '1 1 1\n', '7.3', 'EINVAL@0 []'),
    row('net.ipv4.tcp_wmem', '1 1 1\n', '6.12.117', 'ok 1,1,1'),
    // Negative tcp_mem/udp_mem values: skipped in S5.15 (5.15.135), EINVAL in 5.17.0 and S6.6; 5.16 not read.
    row('net.ipv4.tcp_mem', '-1 2 3\n', '5.15.135', 'ok skipped,2,3'),
    row('net.ipv4.tcp_mem', '1 -2 3\n', '6.6.87', 'EINVAL@1 [1]'),
    row('net.ipv4.tcp_mem', '-1 2 3\n', '5.16.3', 'EINVAL@0 [] ?'),
    row('net.ipv4.tcp_mem', '-1 2 3\n', '5.17', 'EINVAL@0 []'),
    // 3.10/3.11 ipv4_tcp_mem(): all or nothing, and uninitialised words for missing or skipped elements (S3.10).
    row('net.ipv4.tcp_mem', '1 2 3\n', '3.10.108', 'ok 1,2,3'),
    row('net.ipv4.tcp_mem', '1 2', '3.10.108', 'ok 1,2,undefined'),
    row('net.ipv4.tcp_mem', '-1 2 3\n', '3.10.108', 'ok undefined,2,3'),
    row('net.ipv4.tcp_mem', '1 2\n', '3.10.108', 'EINVAL@2 []'),
    row('net.ipv4.tcp_mem', '1 x 3\n', '3.11', 'EINVAL@1 []'),
    row('net.ipv4.tcp_mem', '1 2\n', '3.12.1', 'EINVAL@2 [] ?'),
    // Whitespace after fewer values on an unsigned-long vector: EINVAL up to 4.20.1, fine from 5.0.1 and in 4.9.229.
    row('net.ipv4.udp_mem', '1 2\n', '4.19.0', 'EINVAL@2 [1,2]'),
    row('net.ipv4.udp_mem', '1 2\n', '4.20.1', 'EINVAL@2 [1,2]'),
    row('net.ipv4.udp_mem', '1 2', '4.20.1', 'ok 1,2,unchanged'),
    row('net.ipv4.udp_mem', '1 2\n', '5.0.1', 'ok 1,2,unchanged'),
    row('net.ipv4.udp_mem', '1 2\n', '4.9.229', 'ok 1,2,unchanged'),
    row('net.ipv4.udp_mem', '1 2\n', '4.9.100', 'EINVAL@2 [1,2] ?'),
    // Numbers above ULONG_MAX: wrapped by simple_strtoul() up to S5.0 (5.0.1), EINVAL with strtoul_lenient() from S5.3.
    row('net.ipv4.udp_mem', '18446744073709551617 1 1\n', '4.19.0', 'ok 1,1,1'),
    row('net.ipv4.udp_mem', '18446744073709551617 1 1\n', '5.3.1', 'EINVAL@0 []'),
    // proc_dointvec outside int: the low 32 bits up to S3.19 (3.19.8), EINVAL from S4.1 (4.1.19).
    row('net.ipv4.tcp_max_syn_backlog', '2147483648\n', '3.19.8', 'ok -2147483648'),
    row('net.ipv4.tcp_max_syn_backlog', '4294967296\n', '3.19.8', 'ok 0'),
    row('net.ipv4.tcp_limit_output_bytes', '4294967296\n', '4.1.19', 'EINVAL@0 []'),
    row('net.ipv4.tcp_limit_output_bytes', '4294967296\n', '4.0', 'EINVAL@0 [] ?'),
    // proc_dointvec_minmax truncated before comparing until S5.0 (5.0.1): 4294967297 became 1 and passed min 1.
    row('net.ipv4.tcp_rmem', '4096 4294967297 1\n', '4.14.67', 'ok 4096,1,1'),
    row('net.ipv4.tcp_rmem', '4096 2147483648 1\n', '4.14.67', 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_rmem', '4096 4294967297 1\n', '4.4.178', 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_rmem', '4096 4294967297 1\n', '5.3.1', 'EINVAL@1 [4096]'),
    row('net.ipv4.tcp_rmem', '4096 4294967297 1\n', '4.19.0-21-amd64', 'EINVAL@1 [4096] ?'),
    // somaxconn maximum 65535 (ushort_max) up to S3.19 (3.19.8), none from S4.1 (4.1.19).
    row('net.core.somaxconn', '65535\n', '3.19.8', 'ok 65535'),
    row('net.core.somaxconn', '65536\n', '3.19.8', 'EINVAL@0 []'),
    row('net.core.somaxconn', '65536\n', '4.1.19', 'ok 65536'),
    row('net.core.somaxconn', '65536\n', '4.0.9', 'EINVAL@0 [] ?'),
    // rmem_max/wmem_max minimum SOCK_MIN_RCVBUF/SNDBUF: 2304/4608 on x86-64 (the SO_RCVBUF/SO_SNDBUF floor measured on
    // the 6.18.44 host); 1 in S3.16 (3.16.0); 2048 + sizeof(struct sk_buff) in the 3.10.108 backport.
    row('net.core.rmem_max', '2303\n', '6.18.44', 'EINVAL@0 []'),
    row('net.core.rmem_max', '2304\n', '6.18.44', 'ok 2304'),
    row('net.core.wmem_max', '4607\n', '6.18.44', 'EINVAL@0 []'),
    row('net.core.wmem_max', '4608\n', '6.18.44', 'ok 4608'),
    row('net.core.wmem_max', '1\n', '3.16.0', 'ok 1'),
    row('net.core.wmem_max', '1\n', '3.16.7', 'EINVAL@0 [] ?'),
    row('net.core.wmem_max', '0\n', '3.16.0', 'EINVAL@0 []'),
    row('net.core.wmem_max', '2047\n', '3.10.108', 'EINVAL@0 []'),
    row('net.core.wmem_max', '2048\n', '3.10.108', 'ok 2048'),
    row('net.core.rmem_max', '2200\n', '3.10.108', 'EINVAL@0 [] ?'),
    row('net.core.rmem_max', '2304\n', '3.10.108', 'ok 2304'),
    // Availability: the per-netns ehash pair is new in 6.1 (S6.1).
    row('net.ipv4.tcp_child_ehash_entries', '1000\n', '5.15.135', 'ENOENT []'),
    row('net.ipv4.tcp_child_ehash_entries', '1000\n', '6.1.0-26-amd64', 'ok 1000'),
    row('net.ipv4.tcp_ehash_entries', '1000\n', '6.1.0-26-amd64', 'EACCES []'),
  ])('$name: $text on $release gives $expected', (r) => {
    expect(summary(check(r))).toBe(r.expected);
  });
});

describe('writes from another network namespace, by series', () => {
  it.each([
    row('net.ipv4.tcp_mem', '1 2 3\n', '3.10.108', 'ok 1,2,3', { namespace: 'child' }),
    row('net.ipv4.tcp_mem', '1 2 3\n', '3.12', 'ENOENT [] ?', { namespace: 'child' }),
    row('net.ipv4.tcp_mem', '1 2 3\n', '3.13.10', 'ENOENT []', { namespace: 'child' }),
    row('net.ipv4.tcp_rmem', '4096 131072 6291456\n', '4.14.67', 'ENOENT []', { namespace: 'child' }),
    row('net.ipv4.tcp_rmem', '4096 131072 6291456\n', '4.15', 'ok 4096,131072,6291456', { namespace: 'child' }),
    row('net.ipv4.tcp_max_syn_backlog', '1024\n', '4.10.17', 'ENOENT []', { namespace: 'child' }),
    row('net.ipv4.tcp_max_syn_backlog', '1024\n', '4.11', 'ok 1024', { namespace: 'child' }),
    row('net.ipv4.tcp_limit_output_bytes', '1048576\n', '4.14.67', 'ENOENT []', { namespace: 'child' }),
    row('net.ipv4.tcp_limit_output_bytes', '1048576\n', '4.15', 'ok 1048576', { namespace: 'child' }),
    row('net.core.rmem_max', '4194304\n', '6.10', 'ENOENT []', { namespace: 'child' }),
    row('net.core.rmem_max', '4194304\n', '6.11.11', 'EACCES []', { namespace: 'child' }),
    row('net.core.wmem_max', '4194304\n', '7.1.5', 'EACCES []', { namespace: 'child' }),
    row('net.core.somaxconn', '1024\n', '3.10.108', 'ok 1024', { namespace: 'child' }),
  ])('$name on $release gives $expected', (r) => {
    expect(summary(check(r))).toBe(r.expected);
  });
});

describe('checkWrite with values', () => {
  const host = v('6.18.44-fc-v669');
  it('writes the values separated by spaces with a newline, as sysctl -w does', () => {
    expect(toWriteText([4096, 131072n, 6291456])).toBe('4096 131072 6291456\n');
  });

  it('accepts a full triple with no notes', () => {
    const result = checkWrite('net.ipv4.tcp_rmem', [4096, 131072, 6291456], host);
    expect(summary(result)).toBe('ok 4096,131072,6291456');
    expect(result.accepted && result.notes).toEqual([]);
  });

  it('notes that a short list leaves the remaining elements alone', () => {
    const result = checkWrite('net.ipv4.tcp_rmem', [4096, 16384], host);
    expect(result.accepted && result.notes).toEqual(['tcp_rmem max was not given and keeps its current value']);
  });

  it('notes that values past the vector are ignored', () => {
    const result = checkWrite('net.ipv4.tcp_wmem', [4096, 16384, 4194304, 99], host);
    expect(summary(result)).toBe('ok 4096,16384,4194304 ignored "99"');
    expect(result.accepted && result.notes).toEqual(['1 value(s) past the 3 element(s) of net.ipv4.tcp_wmem are ignored']);
  });

  it.each([[[1.5]], [[Number.NaN]], [[Number.POSITIVE_INFINITY]], [[1e21]]])('refuses the non-integer %j as the kernel refuses its text', (values) => {
    const result = checkWrite('net.ipv4.tcp_max_orphans', values, host);
    expect(result.accepted ? 'ok' : result.cause).toBe('not-a-number');
  });

  it('refuses an empty list: the kernel reads no number from a lone newline', () => {
    const result = checkWrite('net.ipv4.tcp_max_orphans', [], host);
    expect(result.accepted ? 'ok' : `${result.errno} ${result.cause}`).toBe('EINVAL no-value');
  });

  it('takes bigints for unsigned long elements and refuses one above ULONG_MAX', () => {
    expect(summary(checkWrite('net.ipv4.tcp_mem', [(1n << 64n) - 1n, 1n, 1n], host))).toBe('ok 18446744073709551615,1,1');
    expect(summary(checkWrite('net.ipv4.tcp_mem', [1n << 64n, 1n, 1n], host))).toBe('EINVAL@0 []');
  });

  it('names the element, the value and the kernel bound in the reason', () => {
    const result = checkWrite('net.ipv4.tcp_rmem', [4096, 0, 6291456], host);
    expect(result.accepted ? '' : result.reason).toBe("tcp_rmem default: 0 is below the kernel's minimum 1 (SYSCTL_ONE); the value before it stays written");
  });

  it('says what a hidden stable sublevel leaves open, and assumes the stricter outcome', () => {
    const result = checkWrite('net.ipv4.tcp_rmem', [1024, 87380, 6291456], v('6.12.0-1-amd64'));
    expect(result.accepted).toBe(false);
    expect(result.certain).toBe(false);
    expect(result.dependsOn).toEqual(['tcp-rmem-min-4096']);
    expect(result.accepted ? '' : result.reason).toContain('pass stableSublevel');
  });

  it('warns that old kernels store a truncated int (S4.14 do_proc_dointvec_minmax_conv)', () => {
    const result = checkWrite('net.ipv4.tcp_rmem', [4096, 4294967297, 1], v('4.14.67'));
    expect(result.accepted && result.notes).toEqual(['tcp_rmem default is stored as 1, not 4294967297: this kernel truncates values that do not fit an int']);
  });

  it('warns that 3.10 tcp_mem stores garbage for a skipped negative (S3.10 ipv4_tcp_mem)', () => {
    const result = checkWrite('net.ipv4.tcp_mem', [-1, 2, 3], v('3.10.108'));
    expect(result.accepted && result.notes).toEqual([
      'tcp_mem low was not given (or skipped) and ipv4_tcp_mem() stored an uninitialised value in it: always write all three',
    ]);
  });

  it('refuses a short tcp_mem list on 3.10 as a whole: the trailing newline fails the parse and ipv4_tcp_mem() stores nothing', () => {
    expect(summary(checkWrite('net.ipv4.tcp_mem', [1, 2], v('3.10.108')))).toBe('EINVAL@2 []');
  });

  it('gives a kernel older than 3.10 the 3.10 rules, flagged uncertain', () => {
    const result = checkWrite('net.ipv4.tcp_rmem', [4096, 87380, 4194304], v('2.6.32-754.el6.x86_64'));
    expect(summary(result)).toBe('ok 4096,87380,4194304 ?');
    expect(result.dependsOn).toEqual(['series older than 3.10']);
  });

  it('refuses a sysctl the series does not have, with the series in the reason', () => {
    const result = checkWrite('net.ipv4.tcp_child_ehash_entries', [1024], v('5.10.89'));
    expect(result.accepted ? '' : result.reason).toBe('net.ipv4.tcp_child_ehash_entries does not exist before 6.1 (this kernel is 5.10)');
  });
});

describe('write rules are built once per sysctl, series, stable sublevel and namespace, and shared', () => {
  const rmem = 'net.ipv4.tcp_rmem';
  it.each([
    ['the stable sublevel given', row(rmem, '1000 87380 6291456\n', '6.1.0-26-amd64', 'ok 1000,87380,6291456', { stableSublevel: 112 }), row(rmem, '1000 87380 6291456\n', '6.1.0-26-amd64', 'EINVAL@0 []', { stableSublevel: 192 })],
    ['the sublevel in the release', row(rmem, '1000 87380 6291456\n', '6.1.188', 'ok 1000,87380,6291456'), row(rmem, '1000 87380 6291456\n', '6.1.189', 'EINVAL@0 []')],
    ['whether the sublevel is known', row(rmem, '1000 87380 6291456\n', '6.1.0-26-amd64', 'EINVAL@0 [] ?'), row(rmem, '1000 87380 6291456\n', '6.1.0-26-amd64', 'ok 1000,87380,6291456', { stableSublevel: 112 })],
    ['the series', row(rmem, '1 1 1\n', '7.1.5', 'ok 1,1,1'), row(rmem, '1 1 1\n', '7.3', 'EINVAL@0 []')],
    ['the namespace', row('net.ipv4.tcp_mem', '1 2 3\n', '6.18.44-fc-v669', 'ok 1,2,3'), row('net.ipv4.tcp_mem', '1 2 3\n', '6.18.44-fc-v669', 'ENOENT []', { namespace: 'child' })],
    ['the sysctl', row(rmem, '1 1 1\n', '6.12.117', 'EINVAL@0 []'), row('net.ipv4.tcp_wmem', '1 1 1\n', '6.12.117', 'ok 1,1,1')],
  ])('a kernel that differs only in %s gets its own outcome, whichever is checked first', (_what, a, b) => {
    for (const [first, second] of [
      [a, b],
      [b, a],
    ] as const) {
      expect(summary(check(first))).toBe(first.expected);
      expect(summary(check(second))).toBe(second.expected);
    }
  });

  it('gives releases of one series and stable sublevel the same outcome, whatever their distribution suffix', () => {
    for (const context of [{}, { stableSublevel: 112 }, { stableSublevel: 192 }, { namespace: 'child' as const }]) {
      const outcomes = ['6.1.0-26-amd64', '6.1.0-28-cloud-amd64', '6.1.0-31-rt-amd64'].map((release) => checkWrite(rmem, [1000, 87380, 6291456], v(release), context));
      expect(outcomes[1]).toEqual(outcomes[0]);
      expect(outcomes[2]).toEqual(outcomes[0]);
    }
  });
});
