import type { Host } from '@tcpmem/schema';
import type { Defined, FleetModel } from './fleet-model';
import { patternMatcher, selectHostsByPattern } from './select-hosts';

const origin = { file: 'fleet.yaml', pointer: '' };
const host = (name: string, groups: string[] = []): Defined<Host> => ({ name, origin, value: { address: '192.0.2.1', groups } });
const fleet: FleetModel = {
  name: 'test',
  files: [],
  defaults: undefined,
  presets: new Map(),
  groups: new Map((['frontend', 'cache', 'web-edge'] as const).map((g) => [g, { name: g, origin, value: {} }])),
  hosts: [host('cache-1', ['cache']), host('db-1'), host('web-1', ['frontend']), host('web-2', ['frontend', 'web-edge']), host('web-10')],
  facts: new Map(),
};
const names = (indexes: number[]): string[] => indexes.map((i) => fleet.hosts[i]!.name);

describe('selectHostsByPattern', () => {
  it.each([
    [[], [], ['cache-1', 'db-1', 'web-1', 'web-2', 'web-10']],
    [['web-1'], [], ['web-1']],
    [['frontend'], [], ['web-1', 'web-2']],
    [['web-*'], [], ['web-1', 'web-2', 'web-10']],
    [['web-?'], [], ['web-1', 'web-2']],
    [['web-[12]'], [], ['web-1', 'web-2']],
    [['web-[!1]'], [], ['web-2']],
    [['*-1'], [], ['cache-1', 'db-1', 'web-1']],
    [['cache', 'db-1'], [], ['cache-1', 'db-1']],
    [[], ['frontend'], ['cache-1', 'db-1', 'web-10']],
    [['web-*'], ['web-edge'], ['web-1', 'web-10']],
    [['*'], ['web-1*'], ['cache-1', 'db-1', 'web-2']],
  ])('targets %j minus %j select %j', (targets, excludes, expected) => {
    const selection = selectHostsByPattern(fleet, targets, excludes);
    expect(names(selection.indexes)).toEqual(expected);
    expect(selection.unmatched).toEqual([]);
  });

  it('matches a glob against group names too: a host is selected through its group', () => {
    expect(names(selectHostsByPattern(fleet, ['web-e*'], []).indexes)).toEqual(['web-2']);
  });

  it.each([
    [['webb-1'], [], ['webb-1']],
    [['api-*'], ['nothing'], ['api-*', 'nothing']],
    [['web-1', 'web-1x'], [], ['web-1x']],
  ])('reports targets %j and excludes %j that name nothing: %j', (targets, excludes, unmatched) => {
    expect(selectHostsByPattern(fleet, targets, excludes).unmatched).toEqual(unmatched);
  });
});

describe('patternMatcher', () => {
  it.each([
    ['web.1', 'web.1', true],
    ['web.1', 'webx1', false],
    ['web-*', 'web-', true],
    ['a+b*', 'a+bc', true],
    ['a+b*', 'aab', false],
    ['[', '[', true],
    ['x[a-c]', 'xb', true],
    ['x[a-c]', 'xd', false],
    ['(x)?', '(x)1', true],
  ])('pattern %s on %s is %s', (pattern, name, expected) => {
    expect(patternMatcher(pattern)(name)).toBe(expected);
  });
});
