// The /proc text parsers read lines in place (indexOf, charCodeAt) instead of matching every line with regexes.
// They must read exactly what the regexes read: these tests hold the regex parsers as they were (c5590ff) and
// compare both on every captured text, on those texts changed as hand edits and other tools change them (CRLF,
// tabs, other blanks, cut short, huge numbers), and on lines made to sit at the edges of each pattern.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseHashTablesLine, parseLateFrees, type LateFrees } from './parse-dmesg';
import { meminfoValue, parseMeminfo } from './parse-meminfo';
import { parseZoneinfo, type ZoneinfoZone } from './parse-zoneinfo';
import { digitsValue, isBlank } from './scan-line';

function regexZoneinfo(text: string): ZoneinfoZone[] {
  const zones: ZoneinfoZone[] = [];
  let current: Record<string, number> | undefined;
  let header: { node: number; zone: string } | undefined;
  let protection: number[] = [];
  const flush = (): void => {
    if (header === undefined || current === undefined) return;
    zones.push({
      node: header.node,
      zone: header.zone,
      free: current['free'] ?? 0,
      min: current['min'] ?? 0,
      low: current['low'] ?? 0,
      high: current['high'] ?? 0,
      spanned: current['spanned'] ?? 0,
      present: current['present'] ?? 0,
      managed: current['managed'] ?? 0,
      boost: current['boost'],
      cma: current['cma'],
      startPfn: current['start_pfn'],
      protection,
    });
  };
  for (const line of text.split('\n')) {
    const head = /^Node\s+(\d+),\s+zone\s+(\S+)/.exec(line);
    if (head !== null) {
      flush();
      header = { node: Number(head[1]), zone: head[2] ?? '' };
      current = {};
      protection = [];
      continue;
    }
    if (current === undefined) continue;
    const pagesFree = /^\s+pages free\s+(\d+)/.exec(line);
    if (pagesFree !== null) {
      current['free'] = Number(pagesFree[1]);
      continue;
    }
    const prot = /^\s+protection:\s+\(([^)]*)\)/.exec(line);
    if (prot !== null) {
      protection = (prot[1] ?? '').split(',').map((v) => Number(v.trim()));
      continue;
    }
    const field = /^\s+(min|low|high|spanned|present|managed|boost|cma|start_pfn):?\s+(\d+)\s*$/.exec(line);
    if (field !== null && field[1] !== undefined && !(field[1] in current)) current[field[1]] = Number(field[2]);
  }
  flush();
  return zones;
}

function regexLateFrees(dmesg: string): LateFrees {
  const after = dmesg.slice(Math.max(0, dmesg.indexOf('Hash tables configured')));
  let initrdKiB: number | undefined;
  let kernelImageKiB = 0;
  for (const match of after.matchAll(/Freeing (initrd memory|unused kernel image[^:]*|unused decrypted memory|unused kernel memory): (\d+)K/g)) {
    if (match[1] === 'initrd memory') initrdKiB = (initrdKiB ?? 0) + Number(match[2]);
    else kernelImageKiB += Number(match[2]);
  }
  const ramdisk = /RAMDISK: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]/.exec(dmesg);
  const ramdiskBytes = ramdisk === null ? undefined : parseInt(ramdisk[2] ?? '0', 16) + 1 - parseInt(ramdisk[1] ?? '0', 16);
  return { initrdKiB, kernelImageKiB, ramdiskBytes };
}

function regexHashTablesLine(text: string): { established: number; bind: number } | undefined {
  const match = /Hash tables configured \(established (\d+) bind (\d+)\)/.exec(text);
  return match === null ? undefined : { established: Number(match[1]), bind: Number(match[2]) };
}

const fixtures = join(__dirname, '..', '..', 'fixtures');
const captures = readdirSync(fixtures).flatMap((set) => readdirSync(join(fixtures, set)).map((c) => join(fixtures, set, c)));
const read = (name: string): [string, string][] =>
  captures.filter((dir) => existsSync(join(dir, name))).map((dir) => [`${dir.slice(fixtures.length + 1)}/${name}`, readFileSync(join(dir, name), 'utf8')]);
const zoneinfos = read('zoneinfo');
const meminfos = [...read('meminfo'), ...read('node0-meminfo'), ...read('node1-meminfo')];
const dmesgs = read('dmesg.txt');

/** The text changed as tools and hand edits change such files. */
const variants = (text: string): [string, string][] => [
  ['as captured', text],
  ['with CRLF line ends', text.replace(/\n/g, '\r\n')],
  ['indented with tabs', text.replace(/^ +/gm, '\t')],
  ['indented with no-break spaces (other blanks)', text.replace(/^ +/gm, (s) => '\u00a0'.repeat(s.length))],
  ['indented with a vertical tab first', text.replace(/^ /gm, '\v')],
  ['with trailing blanks', text.replace(/\n/g, ' \t\n')],
  ['without indentation', text.replace(/^[ \t]+/gm, '')],
  ['with huge numbers', text.replace(/\b(\d{3})\b/g, '$1000000000000000000000')],
  ['with 15 to 17 digit numbers', text.replace(/\b(\d)(\d)\b/g, (_, a: string, b: string) => (a > '4' ? `${a}${b}0000000000000` : `${a}${b}${b}00000000000000`))],
  ['with a number of more than 308 digits', text.replace(/\b\d{4}\b/, '9'.repeat(400))],
  ...[0.13, 0.37, 0.5, 0.71, 0.93].map((at): [string, string] => [`cut short at ${at * 100}%`, text.slice(0, Math.round(text.length * at))]),
];
const table = <T>(texts: [string, string][], also: (text: string) => T[] = () => []): [string, string][] =>
  texts.flatMap(([name, text]) => [...variants(text), ...also(text).map((t, i): [string, string] => [`case ${i}`, String(t)])].map(([how, t]): [string, string] => [`${name}, ${how}`, t]));

describe('parseZoneinfo reads what the regexes read', () => {
  it('has captured zoneinfo files to compare', () => expect(zoneinfos.length).toBeGreaterThan(50));

  it.each(table(zoneinfos))('%s', (_name, text) => {
    expect(parseZoneinfo(text)).toEqual(regexZoneinfo(text));
  });

  // Lines at the edges of each pattern (the kernel prints `Node 0, zone   Normal`, `  pages free     1234`,
  // `        min      33`, `        protection: (0, 203, 203)`, `              high:  41`, `  start_pfn:           1`).
  it.each([
    'Node 0, zone DMA\n  min 1\n',
    'Node 0,zone DMA\n  min 1\n',
    'Node 0 , zone DMA\n  min 1\n',
    'Node0, zone DMA\n  min 1\n',
    'Node 0, zone\n  min 1\n',
    'Node 0, zone \r\n  min 1\n',
    ' Node 0, zone DMA\n  min 1\n',
    'Node 0, zone DMA extra words\n  min 1\n',
    'Node 00012, zone\tMovable\r\n  min 1\n',
    'Node 12345678901234567890, zone DMA\n',
    'Node\u00a00,\u00a0zone\u00a0DMA\u00a0\n  min\u00a01\n',
    '  min 5\nNode 0, zone DMA\n',
    'Node 0, zone DMA\nmin 1\n  low 2\n',
    'Node 0, zone DMA\n  min: 1\n  low:2\n  high :3\n  spanned 4 5\n  present 6 \n  managed\t7\r\n',
    'Node 0, zone DMA\n  minx 1\n  highatomic 2\n  high 3\n  high 4\n  boost\n  cma 0x10\n  start_pfn: 1\n  start_pfn: 2\n',
    'Node 0, zone DMA\n  high: 41\n  high 261\n',
    'Node 0, zone DMA\n  pages free 1\n  pages free 2 extra\n  pages free\n  pages  free 3\n  pages free:4\n',
    'Node 0, zone DMA\npages free 1\n',
    'Node 0, zone DMA\n  protection: (0, 958, 958)\n',
    'Node 0, zone DMA\n  protection: ( 0 ,, 958, 0x10, 1e3, -1, +2, abc , Infinity)\n',
    'Node 0, zone DMA\n  protection: ()\n  protection:(1)\n  protection (1)\n  protection: (1\n  protection: (1, 2) (3)\n',
    'Node 0, zone DMA\n  protection: (1,\u00a02\u2028, 3)\n',
    'Node 0, zone DMA\n  protection: (5)\n  protection: (6)\n',
    'Node 0, zone DMA\n  \u2028min 1\n  \u3000low 2\n \ufeffhigh 3\n',
    'Node 0, zone DMA\n  constructor 1\n  __proto__ 2\n  toString 3\n',
    'Node 0, zone DMA\n  min 1\nNode 0, zone DMA\n  min 2\n',
    'Node 0, zone DMA',
    'Node 0, zone DMA\n',
    '',
    '\n\n\n',
  ])('%j', (text) => {
    expect(parseZoneinfo(text)).toEqual(regexZoneinfo(text));
  });
});

describe('meminfoValue reads what parseMeminfo reads', () => {
  it('has captured meminfo files to compare', () => expect(meminfos.length).toBeGreaterThan(100));

  it.each(table(meminfos))('%s', (_name, text) => {
    for (const name of ['MemTotal', 'MemFree', 'HugePages_Total', 'Hugepagesize', 'DirectMap4k'])
      expect(meminfoValue(text, name)).toBe(parseMeminfo(text)[name]);
  });

  it.each([
    'MemTotal:         996624 kB\n',
    'MemTotal: 996624\n',
    'MemTotal:996624 kB\n',
    'MemTotal : 996624 kB\n',
    'MemTotal:         996624 kB extra\n',
    'MemTotal:         996624 KB\n',
    'MemTotal:         996624kB\n',
    'MemTotal:         996624 kB\r\n',
    ' MemTotal: 1\n',
    'XMemTotal: 1\nMemTotal: 2\nMemTotal: 3 MB\n',
    'MemTotal: 1\nMemTotal: 2\n',
    'MemTotal: 2\nMemTotal: bad\n',
    'Node 0 MemTotal:         996624 kB\n',
    'Node 0MemTotal: 1\n',
    'Node  12\tMemTotal: 1\n',
    'Node MemTotal: 1\n',
    'NodeMemTotal: 1\n',
    'Node 0 Node 1 MemTotal: 1\n',
    'MemTotal: 123456789012345678901234567890 kB\n',
    'MemTotal:MemTotal: 1\nMemTotal: 2',
    'MemTotal:',
    '',
  ])('%j', (text) => {
    expect(meminfoValue(text, 'MemTotal')).toBe(parseMeminfo(text)['MemTotal']);
  });
});

describe('the boot log parsers read what the regexes read', () => {
  it('has captured boot logs to compare', () => expect(dmesgs.length).toBeGreaterThan(50));

  const edges = (log: string): string[] => [
    `${log}\nFreeing unused kernel image\nsplit over lines: 12K`,
    `RAMDISK: [mem 0x1000-0x1fff]\nFreeing initrd memory: 4K\nTCP: Hash tables configured (established 1 bind 2)\nFreeing initrd memory: 8K\nFreeing initrd memory: 16K`,
    'Freeing Freeing unused kernel memory: 4K Freeing unused decrypted memory: 8K\nRAMDISK: [mem 0xZ-0x1] RAMDISK: [mem 0x0-0xfff]',
    'Hash tables configured (established 1 bind) Hash tables configured (established 3 bind 4)',
  ];
  it.each(table(dmesgs, edges))('%s', (_name, log) => {
    expect(parseLateFrees(log)).toEqual(regexLateFrees(log));
    expect(parseHashTablesLine(log)).toEqual(regexHashTablesLine(log));
  });
});

describe('the line scanning helpers', () => {
  it('take as blank exactly the characters \\s matches', () => {
    for (let code = 0; code < 0x10000; code++) expect([code, isBlank(code)]).toEqual([code, /\s/.test(String.fromCharCode(code))]);
  });

  it.each(['0', '7', '000123', '999999999999999', '9007199254740993', '123456789012345678901234567890'])('read %s as Number does', (digits) => {
    expect(digitsValue(digits, 0, digits.length)).toBe(Number(digits));
  });
});
