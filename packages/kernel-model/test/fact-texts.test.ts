// The parsed-facts entry (`BootAssumptions.factTexts`): a planner parses a host's texts once and hands the model the
// parse instead of the texts. It must give exactly what the texts give, and its key must name all the model reads.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hardware, HostFacts } from '@tcpmem/schema';
import { factTextsKey, modelFacts, parseFactTexts } from '../src/hardware/fact-texts';
import { computeBootDefaults } from '../src/tcp-init/compute-boot-defaults';
import { loadFixtureCases, type FixtureCase } from './fixture-cases';

const cases = loadFixtureCases().filter((c) => c.dir.includes(join('fixtures', 'qemu')));

/** The facts as `tcpmem discover` writes them, and two thinner descriptions (no zoneinfo; meminfo alone). */
function described(c: FixtureCase): [string, Hardware][] {
  const nodeFiles = readdirSync(c.dir).filter((f) => /^node\d+-meminfo$/.test(f)).sort();
  const nodeMeminfo = nodeFiles.length > 0 ? { nodeMeminfo: nodeFiles.map((f) => readFileSync(join(c.dir, f), 'utf8')) } : {};
  const version = existsSync(join(c.dir, 'version')) ? { version: readFileSync(join(c.dir, 'version'), 'utf8').trim() } : {};
  const minFree = c.sysctls['vm.min_free_kbytes'] === undefined ? {} : { minFreeKbytes: Number(c.sysctls['vm.min_free_kbytes']) };
  // As `tcpmem discover` writes them: the texts, and the fields beside them (some the model reads, some not).
  const full: HostFacts = { ...c.facts.facts, ...nodeMeminfo, ...version, ...minFree, cpus: c.hardware.cpus ?? 1, pageSize: 4096, sysctls: { ...c.sysctls } };
  const noZoneinfo: HostFacts = { ...full };
  delete noZoneinfo.zoneinfo;
  const meminfoOnly: HostFacts = { ...(full.meminfo === undefined ? {} : { meminfo: full.meminfo }), ...nodeMeminfo };
  const bare: Hardware = { ...c.facts };
  delete bare.facts;
  return [
    ['discovered facts', { ...bare, facts: full }],
    ['facts without zoneinfo', { ...bare, facts: noZoneinfo }],
    ['meminfo alone', { kernel: c.facts.kernel, ...(c.facts.arch === undefined ? {} : { arch: c.facts.arch }), facts: meminfoOnly }],
  ];
}

/** The facts a planner hands the model besides the parsed texts: `modelFacts`, no texts. */
function withoutTexts(hardware: Hardware): Hardware {
  return { ...hardware, facts: modelFacts(hardware.facts ?? {}) };
}

/**
 * Moves what moves on a running host: free pages in zoneinfo, and its watermarks as a watermark boost raises them
 * (`boost`, and min, low and high, which include it), MemFree and Cached in meminfo.
 */
function aged(facts: HostFacts): HostFacts {
  const bump = (text: string, pattern: RegExp): string => text.replace(pattern, (_, head: string, n: string) => `${head}${Number(n) + 1234}`);
  return {
    ...facts,
    ...(facts.zoneinfo === undefined ? {} : { zoneinfo: bump(facts.zoneinfo, /^(\s+(?:pages free|boost|min|low|high)\s+)(\d+)/gm) }),
    ...(facts.meminfo === undefined ? {} : { meminfo: bump(facts.meminfo, /^((?:MemFree|Cached):\s+)(\d+)/gm) }),
  };
}

const table = cases.flatMap((c) => described(c).map(([how, hardware]) => [c.id, how, hardware] as const));

describe('boot defaults from parsed fact texts', () => {
  it('has captured boots to compare', () => {
    expect(cases.length).toBeGreaterThan(20);
    expect(cases.filter((c) => existsSync(join(c.dir, 'node1-meminfo'))).length).toBeGreaterThan(0);
  });

  it.each(table)('%s, %s: the parsed texts and the fields the model reads give the same boot defaults, notes and steps as the texts', (_id, _how, hardware) => {
    let fromTexts: unknown;
    try {
      fromTexts = computeBootDefaults(hardware);
    } catch (error) {
      fromTexts = (error as Error).message;
    }
    let fromParsed: unknown;
    try {
      fromParsed = computeBootDefaults(withoutTexts(hardware), { factTexts: parseFactTexts(hardware.facts) });
    } catch (error) {
      fromParsed = (error as Error).message;
    }
    expect(fromParsed).toEqual(fromTexts);
  });

  it.each(table)('%s, %s: counters that move on a running host leave the key and the defaults as they were', (_id, _how, hardware) => {
    const facts = hardware.facts ?? {};
    const later = aged(facts);
    expect(later).not.toEqual(facts);
    expect(factTextsKey(parseFactTexts(later))).toBe(factTextsKey(parseFactTexts(facts)));
    expect(computeBootDefaults({ ...hardware, facts: later }).sysctls).toEqual(computeBootDefaults(hardware).sysctls);
    expect(computeBootDefaults({ ...hardware, facts: later }).notes).toEqual(computeBootDefaults(hardware).notes);
  });

  it('keys apart texts the model reads differently: another MemTotal, another boot log line', () => {
    const facts = described(cases[0]!)[0]![1].facts ?? {};
    const key = factTextsKey(parseFactTexts(facts));
    expect(factTextsKey(parseFactTexts({ ...facts, meminfo: (facts.meminfo ?? '').replace(/^(MemTotal:\s+)(\d+)/m, (_, h: string, n: string) => `${h}${Number(n) + 4}`) }))).not.toBe(key);
    expect(factTextsKey(parseFactTexts({ ...facts, dmesg: `${facts.dmesg ?? ''}\nFreeing unused kernel image (initmem) memory: 4K\n` }))).not.toBe(key);
    const noBootLog: HostFacts = { ...facts };
    delete noBootLog.dmesg;
    expect(factTextsKey(parseFactTexts(noBootLog))).not.toBe(key);
  });
});

describe('modelFacts', () => {
  it('keeps the fields the model reads besides the texts, in a fixed order, and leaves out those a host does not have', () => {
    const facts: HostFacts = { sysctls: { 'vm.swappiness': '60' }, minFreeKbytes: 67584, zoneinfo: 'Node 0, zone Normal\n', thpEnabled: 'always [madvise] never', pageSize: 4096, cpus: 8, dmesg: 'x', cmdline: 'ro quiet', version: 'Linux version 6.1.0', release: '6.1.0-26-amd64' };
    const fields = modelFacts(facts);
    expect(Object.keys(fields)).toEqual(['release', 'version', 'cmdline', 'cpus', 'pageSize', 'thpEnabled', 'minFreeKbytes']);
    expect(fields).toEqual({ release: '6.1.0-26-amd64', version: 'Linux version 6.1.0', cmdline: 'ro quiet', cpus: 8, pageSize: 4096, thpEnabled: 'always [madvise] never', minFreeKbytes: 67584 });
    expect(Object.entries(modelFacts({ cpus: 2, release: '5.15.0' }))).toEqual([['release', '5.15.0'], ['cpus', 2]]);
    expect(modelFacts({ meminfo: 'MemTotal: 1 kB\n' })).toEqual({});
  });
});
