import { hostList, identicalHosts } from './host-list';

const hosts = (n: number) => Array.from({ length: n }, (_x, i) => `web-${String(i + 1).padStart(2, '0')}`);

describe('host lists in the human output', () => {
  it.each([
    [1, 'web-01'],
    [4, 'web-01, web-02, web-03, web-04'],
    [6, 'web-01, web-02, web-03, web-04, web-05, web-06'],
    [7, 'web-01, web-02, web-03, … and 4 more'],
    [30, 'web-01, web-02, web-03, … and 27 more'],
  ])('lists %i hosts as "%s"', (n, expected) => {
    expect(hostList(hosts(n))).toBe(expected);
  });

  it.each([
    [1, 'web-01'],
    [4, 'web-01, web-02, web-03, web-04 (4 identical hosts)'],
    [50, '50 identical hosts: web-01, web-02, web-03, … and 47 more'],
  ])('heads %i identical hosts as "%s"', (n, expected) => {
    expect(identicalHosts(hosts(n))).toBe(expected);
  });
});
