import { sysctlConfHint, typeNames } from './ajv-problems';
import { checkSource } from './validate-source';

/** The one problem of a file, as `message | hint`. */
function onlyProblem(file: string, text: string): string {
  const checked = checkSource(file, text);
  if (checked.ok) throw new Error(`${file} validated`);
  expect(checked.problems).toHaveLength(1);
  return `${checked.problems[0]!.message} | ${checked.problems[0]!.hint ?? ''}`;
}

describe('schema problems of a value of the wrong type', () => {
  it.each([
    ['integer', 'an integer'],
    ['object', 'an object'],
    ['array', 'an array'],
    ['string', 'a string'],
    ['string,integer', 'a string or an integer'],
  ])('name the type %s with its article: %s', (type, named) => {
    expect(typeNames(type)).toBe(named);
  });

  it('ask for an integer with "an"', () => {
    const text = 'kind: fleet\nhosts:\n  a: { address: 192.0.2.1, hardware: { kernel: 6.1.0-26-amd64, memory: 8GiB, cpus: many } }\n';
    expect(onlyProblem('fleet.yaml', text)).toBe('cpus must be of type integer | Write an integer here.');
  });

  it.each([
    ['an unquoted release (6.10 read as the number 6.1)', 'hardware: { kernel: 6.10, memory: 8GiB }', 'kernel must be of type string | YAML reads an unquoted release as a number (6.10 becomes 6.1): quote it as uname -r prints it, e.g. kernel: "6.1", "6.10" or "6.1.0-26-amd64".'],
    ['a duration without its unit', 'workload: { flowRate: 10Gbit, rtt: 100, flows: 1 }', 'rtt must be of type string | A duration has its unit: e.g. 100ms or 100s (YAML read 100 as a bare number).'],
    ['a rate without its unit', 'workload: { flowRate: 10, rtt: 10ms, flows: 1 }', 'flowRate must be of type string | A rate has its unit: e.g. 10Gbit, 10Mbit or 10MB/s (YAML read 10 as a bare number).'],
  ])('say what a number where a string belongs needs: %s', (_what, host, problem) => {
    expect(onlyProblem('fleet.yaml', `kind: fleet\nhosts:\n  a: { ${host} }\n`)).toBe(problem);
  });

  it('report a name that is not one once, at that name (not also at the object, placed on its first, valid, key)', () => {
    expect(onlyProblem('fleet.yaml', 'kind: fleet\nhosts:\n  good: { address: 192.0.2.1 }\n  "h\u00e9llo": { address: 192.0.2.2 }\n')).toBe(
      'invalid name "h\u00e9llo" | Names start with an ASCII letter or digit and contain only ASCII letters (a–z, A–Z), digits, ".", "_" and "-".',
    );
  });

  it('ask for an object with "an" where the value is no sysctl.conf line', () => {
    expect(onlyProblem('fleet.yaml', 'kind: fleet\ndefaults:\n  ssh: deploy\nhosts:\n  a: { address: 192.0.2.1 }\n')).toBe('ssh must be of type object | Write an object here.');
  });

  it('show a line pasted from sysctl.conf under sysctls in the YAML form', () => {
    const text = 'kind: fleet\ndefaults:\n  sysctls: net.ipv4.tcp_rmem = 4096 87380 6291456\nhosts:\n  a: { address: 192.0.2.1 }\n';
    expect(onlyProblem('fleet.yaml', text)).toBe(
      'sysctls must be of type object | `name = value` is the sysctl.conf form; YAML wants `name: value`, one a line, indented below `sysctls:`, as `net.ipv4.tcp_rmem: 4096 87380 6291456`.',
    );
  });

  it('show every line of a pasted sysctl.conf block (one folded string to YAML) in the YAML form', () => {
    const text = 'kind: fleet\nhosts:\n  a:\n    address: 192.0.2.1\n    sysctls:\n      net.ipv4.tcp_rmem = 4096 87380 6291456\n      net.core.rmem_max=16777216\n';
    expect(onlyProblem('fleet.yaml', text)).toBe(
      'sysctls must be of type object | `name = value` is the sysctl.conf form; YAML wants `name: value`, one a line, indented below `sysctls:`, as `net.ipv4.tcp_rmem: 4096 87380 6291456`, `net.core.rmem_max: 16777216`.',
    );
  });

  it('show a sysctl.conf line in a JSON file as a JSON object', () => {
    const text = JSON.stringify({ kind: 'fleet', defaults: { sysctls: 'net.ipv4.tcp_rmem = 4096 87380 6291456' }, hosts: { a: { address: '192.0.2.1' } } });
    expect(onlyProblem('fleet.json', text)).toBe('sysctls must be of type object | `name = value` is the sysctl.conf form; JSON wants an object for sysctls: {"net.ipv4.tcp_rmem": "4096 87380 6291456"}.');
  });

  it.each([['net.core.somaxconn'], ['4096 = x'], [42], [{ a: 1 }]])('give no sysctl.conf hint for %j', (value) => {
    expect(sysctlConfHint(value, 'sysctls', 'fleet.yaml')).toBeUndefined();
  });
});

describe('a YAML merge key', () => {
  it('is refused as an unknown property with a hint that says what it is and what shares settings instead', () => {
    const checked = checkSource('fleet.yaml', 'kind: fleet\ngroups:\n  web: &web\n    sysctls:\n      net.core.somaxconn: 4096\n  api:\n    <<: *web\nhosts:\n  a: { groups: [api] }\n');
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.problems).toEqual([expect.objectContaining({ code: 'TCPMEM_SCHEMA', message: 'unknown property "<<" in api', line: 7, column: 5, hint: expect.stringContaining('A YAML merge key (`<<: *anchor`) is YAML 1.1') })]);
    }
  });
});
