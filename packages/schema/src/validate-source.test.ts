import { checkSource } from './validate-source';
import { formatProblem } from './problem';

const fleet = `kind: fleet
defaults:
  ssh:
    user: deploy
  sysctls:
    net.ipv4.tcp_rmem: [4096, 131072, 16MiB]
hosts:
  web-1:
    address: 192.0.2.10
    hardware:
      kernel: 6.1.0-26-amd64
      memory: 8GiB
`;

describe('checkSource', () => {
  it('accepts a valid fleet and returns its value', () => {
    const result = checkSource('fleet.yaml', fleet);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.kind).toBe('fleet');
  });

  it('accepts the same fleet written as JSON', () => {
    const json = JSON.stringify({ kind: 'fleet', hosts: { a: { address: 'a.example' } } }, null, 2);
    expect(checkSource('fleet.json', json).ok).toBe(true);
  });

  it('locates an unknown property at its key, with a hint', () => {
    const text = fleet.replace('    user: deploy', '    user: deploy\n    usr: typo');
    const result = checkSource('fleet.yaml', text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'TCPMEM_SCHEMA', file: 'fleet.yaml', line: 5, column: 5, path: '/defaults/ssh/usr' }),
    ]);
    expect(formatProblem(result.problems[0]!)).toMatch(/^fleet\.yaml:5:5: error TCPMEM_SCHEMA: unknown property "usr"/);
  });

  it('locates a malformed size at its value and says what a size looks like', () => {
    const result = checkSource('fleet.yaml', fleet.replace('16MiB', '16 parsecs'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ line: 6, column: 39, path: '/defaults/sysctls/net.ipv4.tcp_rmem/2' });
    expect(result.problems[0]!.hint).toMatch(/16MiB/);
  });

  it('reports every problem of a file in one run', () => {
    const text = fleet.replace('8GiB', 'lots').replace('user: deploy', 'user: 7').replace('kind: fleet', 'kind: fleet\nbogus: 1');
    const result = checkSource('fleet.yaml', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.length).toBeGreaterThanOrEqual(3);
  });

  it('reports YAML syntax errors with their line instead of throwing', () => {
    const result = checkSource('broken.yaml', 'kind: fleet\nhosts:\n  a: [1, 2\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: 'TCPMEM_SYNTAX', file: 'broken.yaml' });
  });

  it('refuses duplicate keys', () => {
    const result = checkSource('dup.yaml', 'kind: fleet\nhosts:\n  a: {}\n  a: {}\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: 'TCPMEM_SYNTAX', line: 4 });
  });

  it('requires a kind and names the allowed ones', () => {
    const result = checkSource('x.yaml', 'hosts: {}\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/missing required property "kind"/);
  });

  it.each([
    ['both memory and nodes', 'kind: hardware\nhardware: {kernel: "6.1", memory: 1GiB, nodes: [1GiB]}\n'],
    ['no kernel', 'kind: hardware\nhardware: {memory: 1GiB}\n'],
    ['a page size the kernel has not', 'kind: hardware\nhardware: {kernel: "6.1", memory: 1GiB, pageSize: 8192}\n'],
  ])('rejects a hardware file with %s', (_what, text) => {
    expect(checkSource('hw.yaml', text).ok).toBe(false);
  });
});

describe('checkSource on what YAML and JSON allow', () => {
  it('refuses duplicate keys in JSON too', () => {
    const result = checkSource('dup.json', '{"kind": "fleet", "hosts": {"a": {}, "a": {}}}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: 'TCPMEM_SYNTAX' });
  });

  it('reads dates and words as strings, as YAML 1.2 core does', () => {
    const result = checkSource('f.yaml', 'kind: facts\nhost: on\ncapturedAt: 2026-11-20T10:00:00Z\nfacts: {}\n');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject({ host: 'on', capturedAt: '2026-11-20T10:00:00Z' });
  });

  it('bounds alias expansion (a "billion laughs" file is an error, not a hang)', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i += 1) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const result = checkSource('bomb.yaml', `kind: fleet\n${levels.join('\n')}\n`);
    expect(result.ok).toBe(false);
  });

  it('locates a problem found after parsing, at its key', () => {
    const result = checkSource('f.yaml', 'kind: fleet\nhosts:\n  a:\n    bogus: 1\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ line: 4, column: 5 });
  });
});
