import { load } from 'js-yaml';
import { parse } from 'yaml';
import { yamlCoreSchema } from './yaml-core-schema';

// Every plain scalar reads as the `yaml` library reads it (YAML 1.2 core schema), whatever js-yaml's own schemas do.
const scalars = [
  // integers: decimal, 0o octal, 0x hexadecimal; no binary, no underscores, no sign on 0o/0x
  '0', '-0', '+5', '007', '0o17', '0o18', '0x1F', '0X1F', '-0x1', '+0x1', '0b101', '1_000', '9007199254740993', '1'.repeat(400),
  // floats: a dot or an exponent, .inf and .nan
  '1.5', '1.', '.5', '+.5', '-.5', '1e3', '1E3', '1e+3', '.5e3', '1.e3', '1e400', '-1e400', '1e', 'e3', '.', '1.2.3',
  '.inf', '-.inf', '+.inf', '.Inf', '.INF', '.iNf', '.nan', '.NaN', '.NAN', '+.nan', '-.nan',
  // booleans and null: only these spellings
  'true', 'True', 'TRUE', 'tRue', 'false', 'yes', 'no', 'on', 'off', 'y', 'null', 'Null', 'NULL', 'nULL', '~',
  // and words that look like something else in YAML 1.1
  '2001-12-14', '12:30:00', '1:20', '<<', '=',
];

describe('yamlCoreSchema', () => {
  it.each(scalars)('reads the plain scalar %s as the yaml library does', (scalar) => {
    const read = load(`v: ${scalar}`, { schema: yamlCoreSchema }) as { v: unknown };
    expect(read.v).toEqual((parse(`v: ${scalar}`) as { v: unknown }).v);
  });

  it.each([
    ['0b101', '0b101'],
    ['+.5', 0.5],
    ['-0x1', '-0x1'],
    ['1e400', Infinity],
    ['0o17', 15],
    ['.NaN', NaN],
  ])('reads %s as %p (js-yaml CORE_SCHEMA reads it otherwise)', (scalar, value) => {
    expect((load(`v: ${scalar}`, { schema: yamlCoreSchema }) as { v: unknown }).v).toEqual(value);
  });

  it('reads an explicit !!float only in a float form, like yaml (which leaves `!!float 5` a string)', () => {
    expect(load('v: !!float 5.0', { schema: yamlCoreSchema })).toEqual({ v: 5 });
    expect(() => load('v: !!float 5', { schema: yamlCoreSchema })).toThrow(/cannot resolve/);
  });
});
