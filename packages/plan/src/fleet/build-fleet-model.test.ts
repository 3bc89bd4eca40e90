import type { Fleet } from '@tcpmem/schema';
import { buildFleetModel, compareNames, fleetOfDocument } from './build-fleet-model';

const defined = <T>(value: T) => (name: string) => ({ name, value, origin: { file: 'f', pointer: `/hosts/${name}` } });

describe('compareNames', () => {
  it.each([
    [['web-10', 'web-2', 'web-1'], ['web-1', 'web-2', 'web-10']],
    [['b', 'a-1', 'a'], ['a', 'a-1', 'b']],
    [['db-2', 'DB-1', 'db-1'], ['db-1', 'DB-1', 'db-2']],
  ])('orders %j naturally as %j', (names, sorted) => {
    expect([...names].sort(compareNames)).toEqual(sorted);
  });
});

describe('buildFleetModel', () => {
  it('sorts hosts, groups and presets by name in natural order and keeps the facts map it is given', () => {
    const facts = new Map();
    const fleet = buildFleetModel({ files: ['f'], hosts: ['web-10', 'web-2'].map(defined({})), groups: ['g-10', 'g-9'].map(defined({})), presets: ['p2', 'p1'].map(defined({ source: 'test', sysctls: {} })), facts });
    expect(fleet.hosts.map((h) => h.name)).toEqual(['web-2', 'web-10']);
    expect([...fleet.groups.keys()]).toEqual(['g-9', 'g-10']);
    expect([...fleet.presets.keys()]).toEqual(['p1', 'p2']);
    expect(fleet.facts).toBe(facts);
    expect(fleet).toMatchObject({ name: undefined, defaults: undefined, files: ['f'] });
  });
});

describe('fleetOfDocument', () => {
  it('files every entry of one fleet document at its pointer, in natural order', () => {
    const doc: Fleet = { kind: 'fleet', name: 'n', defaults: { sysctls: {} }, hosts: { 'a/10': { address: 'x' }, 'a/9': { address: 'y' } }, groups: { g: {} } };
    const fleet = fleetOfDocument(doc, 'doc.json');
    expect(fleet.hosts.map((h) => [h.name, h.origin.pointer])).toEqual([['a/9', '/hosts/a~19'], ['a/10', '/hosts/a~110']]);
    expect(fleet.defaults?.origin).toEqual({ file: 'doc.json', pointer: '/defaults' });
    expect(fleet.groups.get('g')?.origin.pointer).toBe('/groups/g');
    expect(fleet).toMatchObject({ name: 'n', files: ['doc.json'] });
  });
});
