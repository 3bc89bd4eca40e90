import { problem, type Problem } from '@tcpmem/schema';
import { renderHostProblems, renderProblems } from './problems';
import { styleFor } from './style';

const plain = styleFor({ isTTY: false }, {}, true);

/** The problem `tcpmem plan` gives each host without hardware or facts, at the host's place in hosts.yaml. */
const noHardware = (host: string, line: number): Problem =>
  problem('TCPMEM_NO_HARDWARE', `${host}: tcpmem cannot know its kernel and its memory`, { file: 'hosts.yaml', line, column: 3, path: `/hosts/${host.replace(/~/g, '~0').replace(/\//g, '~1')}`, hint: 'Run `tcpmem discover` for this host.' });

describe('renderProblems sums up many problems alike', () => {
  it('shows the first three of 1,000 hosts\' own problems, then one line for the rest, and counts them all', () => {
    const problems = Array.from({ length: 1000 }, (_, i) => noHardware(`web-${String(i).padStart(4, '0')}`, i + 5));
    const lines = renderProblems(problems, plain).split('\n');
    expect(lines).toEqual([
      'hosts.yaml:5:3: error TCPMEM_NO_HARDWARE: web-0000: tcpmem cannot know its kernel and its memory (at /hosts/web-0000)',
      '    hint: Run `tcpmem discover` for this host.',
      'hosts.yaml:6:3: error TCPMEM_NO_HARDWARE: web-0001: tcpmem cannot know its kernel and its memory (at /hosts/web-0001)',
      '    hint: Run `tcpmem discover` for this host.',
      'hosts.yaml:7:3: error TCPMEM_NO_HARDWARE: web-0002: tcpmem cannot know its kernel and its memory (at /hosts/web-0002)',
      '    hint: Run `tcpmem discover` for this host.',
      '    … and 997 more like these: web-0003, web-0004, web-0005, … and 994 more (--json lists each)',
      '1000 errors, 0 warnings',
    ]);
  });

  it('shows six alike in full, and never sums up problems that say different things', () => {
    const six = Array.from({ length: 6 }, (_, i) => noHardware(`db-${i}`, i + 1));
    expect(renderProblems(six, plain).split('\n').filter((l) => l.includes('TCPMEM_NO_HARDWARE'))).toHaveLength(6);
    const different = Array.from({ length: 10 }, (_, i) => problem('TCPMEM_SCHEMA', `value ${i} is not allowed`, { file: 'fleet.yaml', line: i + 1, column: 1 }));
    expect(renderProblems(different, plain)).not.toContain('more like these');
    const otherHints = Array.from({ length: 10 }, (_, i) => ({ ...noHardware(`db-${i}`, i + 1), hint: `hint ${i}` }));
    expect(renderProblems(otherHints, plain)).not.toContain('more like these');
  });

  it('names the hosts by their place (a name with / in it too), and files for problems of no host', () => {
    const slashed = Array.from({ length: 8 }, (_, i) => noHardware(`rack/${i}`, i + 1));
    expect(renderProblems(slashed, plain)).toContain('… and 5 more like these: rack/3, rack/4, rack/5, rack/6, rack/7 (--json lists each)');
    const skipped = Array.from({ length: 9 }, (_, i) => problem('TCPMEM_NOT_TCPMEM', 'not a tcpmem document (it has no `kind`); skipped', { severity: 'note', file: `vendor/f${i}.json`, line: 1, column: 1 }));
    const text = renderProblems(skipped, plain);
    expect(text).toContain('… and 6 more like these: vendor/f3.json, vendor/f4.json, vendor/f5.json, vendor/f6.json, vendor/f7.json, vendor/f8.json (--json lists each)');
    expect(text.split('\n').at(-1)).toBe('0 errors, 0 warnings, 9 notes');
  });

  it('sums up a plan\'s host problems the same way, beside a problem several hosts share', () => {
    const shared = problem('TCPMEM_TSQ_CAPS_FLOW', 'TSQ caps a flow', { severity: 'warning', file: 'fleet.yaml', line: 3, column: 5 });
    const hosts = Array.from({ length: 20 }, (_, i) => ({ name: `h${i}`, problems: [shared, noHardware(`h${i}`, 10 + i)] }));
    const lines = renderHostProblems([], hosts, plain).split('\n');
    expect(lines[0]).toBe('fleet.yaml:3:5: warning TCPMEM_TSQ_CAPS_FLOW: TSQ caps a flow (20 hosts: h0, h1, h2, … and 17 more)');
    expect(lines.filter((l) => l.includes('error TCPMEM_NO_HARDWARE'))).toHaveLength(3);
    expect(lines).toContain('    … and 17 more like these: h3, h4, h5, … and 14 more (--json lists each)');
    expect(lines.at(-1)).toBe('20 errors, 1 warning');
  });
});
