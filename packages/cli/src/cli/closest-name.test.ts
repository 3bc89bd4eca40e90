import { closestName, editDistance } from './closest-name';

describe('closestName', () => {
  const commands = ['apply', 'completion', 'discover', 'help', 'model', 'plan', 'validate'];

  it.each([
    ['paln', 'plan'],
    ['plna', 'plan'],
    ['aply', 'apply'],
    ['valdate', 'validate'],
    ['modle', 'model'],
    ['Plan', 'plan'],
    ['discovr', 'discover'],
  ])('reads "%s" as "%s"', (typed, expected) => {
    expect(closestName(typed, commands)).toBe(expected);
  });

  it.each([['deploy'], ['x'], ['examples/web-fleet'], ['']])('suggests nothing for "%s", which is near no command', (typed) => {
    expect(closestName(typed, commands)).toBeUndefined();
  });
});

describe('editDistance', () => {
  it.each([
    ['plan', 'plan', 0],
    ['paln', 'plan', 1],
    ['pln', 'plan', 1],
    ['plans', 'plan', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('between "%s" and "%s" is %i', (a, b, n) => {
    expect(editDistance(a, b)).toBe(n);
  });
});
