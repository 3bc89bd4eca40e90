import { execFileSync } from 'node:child_process';
import path from 'node:path';

describe('docs/commands', () => {
  it('is generated from the current commands (run `npm run generate` when this fails)', () => {
    const script = path.join(__dirname, '../scripts/generate-docs.js');
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
