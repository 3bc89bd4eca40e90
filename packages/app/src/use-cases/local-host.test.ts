import type { MachineIdentity } from '@tcpmem/apply';
import { localHostIndex, pickLocalHost, type LocalHostCandidate } from './local-host';

const host = (name: string, address?: string, machineAppId?: string): LocalHostCandidate => ({ name, address, machineAppId: () => machineAppId });
const me: MachineIdentity = { hostnames: ['web-1.example.com', 'web-1'], machineAppId: 'aaaa0000aaaa4000a000aaaa0000aaaa' };

describe('pickLocalHost', () => {
  it.each<[string, LocalHostCandidate[], MachineIdentity, string | undefined, ReturnType<typeof pickLocalHost>]>([
    ['the entry --host names, whatever this machine is called', [host('web-1'), host('db-2')], me, 'db-2', { ok: true, index: 1, by: 'host flag' }],
    ['the entry named by the full host name before the short one', [host('web-1'), host('web-1.example.com')], me, undefined, { ok: true, index: 1, by: 'host name' }],
    ['the entry named by the short host name', [host('db-2'), host('web-1')], me, undefined, { ok: true, index: 1, by: 'host name' }],
    ['the entry whose address is the host name, when none is named so', [host('a', '10.0.0.1'), host('b', 'web-1.example.com')], me, undefined, { ok: true, index: 1, by: 'address' }],
    ['the entry whose facts carry its machine ID, when no name matches', [host('a', undefined, 'bbbb0000bbbb4000b000bbbb0000bbbb'), host('b', undefined, me.machineAppId)], me, undefined, { ok: true, index: 1, by: 'machine ID' }],
    ['a name before a machine ID', [host('a', undefined, me.machineAppId), host('web-1')], me, undefined, { ok: true, index: 1, by: 'host name' }],
    ['nothing, naming the names tried, when nothing matches', [host('a'), host('b')], me, undefined, { ok: false, reason: 'unmatched', tried: ['web-1.example.com', 'web-1'] }],
    ['nothing by machine ID for a machine without one', [host('a', undefined, undefined)], { hostnames: ['x'], machineAppId: undefined }, undefined, { ok: false, reason: 'unmatched', tried: ['x'] }],
    ['nothing when --host names no entry', [host('web-1')], me, 'web-2', { ok: false, reason: 'unknown', tried: ['web-2'] }],
    ['nothing when two entries carry its machine ID (hosts cloned from one image)', [host('a', undefined, me.machineAppId), host('b', undefined, me.machineAppId)], me, undefined, { ok: false, reason: 'ambiguous', by: 'machine ID', names: ['a', 'b'] }],
    ['nothing when two entries have its address', [host('a', 'web-1'), host('b', 'web-1')], me, undefined, { ok: false, reason: 'ambiguous', by: 'address', names: ['a', 'b'] }],
  ])('picks %s', (_what, candidates, identity, requested, expected) => {
    expect(pickLocalHost(candidates, identity, requested)).toEqual(expected);
  });

  it('reads no facts while a name matches', () => {
    const read = jest.fn(() => me.machineAppId);
    expect(pickLocalHost([{ name: 'other', address: undefined, machineAppId: read }, host('web-1')], me, undefined)).toMatchObject({ ok: true, index: 1 });
    expect(read).not.toHaveBeenCalled();
  });
});

describe('localHostIndex', () => {
  it.each<[string, LocalHostCandidate[], string | undefined, RegExp, string]>([
    ['no entry is this machine', [host('a'), host('b')], undefined, /no host of fleet\.yaml is this machine: none is named or addressed "web-1\.example\.com" or "web-1", nor is its machine ID in any facts file/, 'TCPMEM_LOCAL_HOST_UNMATCHED'],
    ['two entries are', [host('a', 'web-1'), host('b', 'web-1')], undefined, /more than one host of fleet\.yaml is this machine by its address: a, b/, 'TCPMEM_LOCAL_HOST_AMBIGUOUS'],
    ['--host names no entry', [host('a')], 'zz', /--host zz: fleet\.yaml has no host named so \(its hosts: a\)/, 'TCPMEM_USAGE'],
  ])('says so, with the fix, when %s', (_what, candidates, requested, message, code) => {
    expect(() => localHostIndex(candidates, 'fleet.yaml', requested, me)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) as unknown }));
  });

  it('tells to pass --host when no entry matches', () => {
    expect(() => localHostIndex([host('a')], 'fleet.yaml', undefined, me)).toThrow(expect.objectContaining({ hint: expect.stringMatching(/--host NAME/) as unknown }));
  });
});
