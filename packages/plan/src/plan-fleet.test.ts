import type { Change, HostPlan } from '@tcpmem/schema';
import { countChanges } from './plan-fleet';

const change = (action: Change['action'], before: number[] | null, after: number[] | null): Change => ({ sysctl: 'net.core.somaxconn', action, before, after, unit: 'count', reason: 'test' });
const host = (source: HostPlan['source'], ...changes: Change[]): HostPlan => ({ name: 'h', groups: [], status: 'ok', source, changes, problems: [] });

describe('countChanges', () => {
  it.each([
    ['a live host starting to manage a value it already has (its file gains the line)', 1, host('live', change('create', [4096], [4096]))],
    ['a live host with a setting unchanged', 0, host('live', change('no-op', [4096], [4096]))],
    ['a live host restoring a default', 1, host('live', change('delete', [8192], [4096]))],
    ['a host planned from the model, whose desired value is the kernel default', 0, host('model', change('create', [4096], [4096]))],
    ['a host planned from facts, whose desired value is the discovered one', 0, host('facts', change('create', [8192], [8192]))],
    ['a host planned from the model, with a new value', 1, host('model', change('create', [4096], [8192]))],
    ['a host planned from facts that lack the value', 1, host('facts', change('create', null, [8192]))],
    ['a host planned offline with two settings, one changing', 1, host('model', change('create', [4096], [4096]), change('create', [1, 2, 3], [1, 2, 4]))],
  ])('counts %s as %d', (_what, count, planned) => {
    expect(countChanges({ hosts: [planned] })).toBe(count);
  });
});
