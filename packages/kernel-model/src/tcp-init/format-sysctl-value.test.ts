import { formatSysctlValue } from './format-sysctl-value';

describe('formatSysctlValue', () => {
  it.each([
    [4096, '4096'],
    [[10773, 14366, 21546] as const, '10773\t14366\t21546'],
  ])('prints %j as sysctl -n does', (value, text) => {
    expect(formatSysctlValue(value)).toBe(text);
  });
});
