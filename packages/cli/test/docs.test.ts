import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { checkSource } from '@tcpmem/schema';
import path from 'node:path';

describe('docs/commands', () => {
  it('is generated from the current commands (run `npm run generate` when this fails)', () => {
    const script = path.join(__dirname, '../scripts/generate-docs.js');
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has a config example', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('config example %i validates against the schema', (_i, text) => {
    const checked = checkSource('README.md', text);
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });
});
