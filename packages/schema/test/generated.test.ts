import { execFileSync } from 'node:child_process';
import path from 'node:path';

describe('generated files', () => {
  it('match schemas/tcpmem.schema.json (run `npm run generate` when this fails)', () => {
    const script = path.join(__dirname, '../scripts/generate.js');
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
