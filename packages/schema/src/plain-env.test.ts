import { withPlainEnv } from './plain-env';
import { parseSource } from './source-document';

/** Runs `work` with `process.env` counting the reads of its variables. */
function envReads(work: () => void): number {
  const real = process.env;
  let reads = 0;
  process.env = new Proxy(real, {
    get(target, name, receiver) {
      if (typeof name === 'string') reads += 1;
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
  try {
    work();
  } finally {
    process.env = real;
  }
  return reads;
}

const fleetOf = (hosts: number): string => `kind: fleet\nhosts:\n${Array.from({ length: hosts }, (_v, i) => `  h${String(i)}: { address: 192.0.2.1, groups: [a, b] }\n`).join('')}`;

describe('withPlainEnv', () => {
  it('gives back what the work returns, and the real process.env after it', () => {
    const real = process.env;
    expect(withPlainEnv(() => process.env !== real && process.env.PATH === real.PATH)).toBe(true);
    expect(process.env).toBe(real);
  });

  it('puts the real process.env back when the work throws', () => {
    const real = process.env;
    expect(() =>
      withPlainEnv(() => {
        throw new Error('bad');
      }),
    ).toThrow('bad');
    expect(process.env).toBe(real);
  });

  it('keeps LOG_TOKENS and LOG_STREAM as they are, for yaml', () => {
    const real = process.env;
    real.LOG_TOKENS = 'x';
    try {
      expect(withPlainEnv(() => [process.env.LOG_TOKENS, process.env.LOG_STREAM])).toEqual(['x', real.LOG_STREAM]);
    } finally {
      delete real.LOG_TOKENS;
    }
  });

  it('lets parseSource read process.env a few times a file, not once a token', () => {
    const small = envReads(() => parseSource('f.yaml', fleetOf(10)));
    expect(envReads(() => parseSource('f.yaml', fleetOf(1000)))).toBe(small);
    expect(small).toBeLessThan(5);
  });
});
