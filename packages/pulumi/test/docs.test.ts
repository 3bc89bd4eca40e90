import fs from 'node:fs';
import path from 'node:path';
import { computedNames, inputNames } from '../src/host-inputs';

/** docs/pulumi.md documents every input, output and error code of the package; this keeps it complete. */
const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/pulumi.md'), 'utf8');
const sources = fs
  .readdirSync(path.resolve(__dirname, '../src'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => fs.readFileSync(path.resolve(__dirname, '../src', f), 'utf8'))
  .join('\n');

describe('docs/pulumi.md', () => {
  it.each([...inputNames])('documents the input %s in the inputs table', (name) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });

  it.each([...computedNames])('documents the output %s in the outputs table', (name) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });

  const codes = [...new Set(sources.match(/TCPMEM_PULUMI_[A-Z_]+/g) ?? [])];
  it('finds the package\'s error codes', () => {
    expect(codes.length).toBeGreaterThanOrEqual(6);
  });

  it.each(codes)('documents the error code %s', (code) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
