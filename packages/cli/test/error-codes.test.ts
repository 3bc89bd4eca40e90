import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './run-cli';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Environment variables a user may set (documented in docs/, as codes are). */
const userVariables = ['TCPMEM_READ_WORKERS'];
/** TCPMEM_ names that are not error codes: environment variables (pulumi's passphrase one is internal, private to a session). */
const notCodes = new Set(['TCPMEM_SSH_KEY_PASSPHRASE', ...userVariables]);

describe('error codes', () => {
  const docs = ['errors.md', 'sysctls.md', 'apply.md', 'pulumi.md']
    .map((name) => path.join(repoRoot, 'docs', name))
    .filter((file) => fs.existsSync(file))
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('\n');
  const used = new Set<string>();
  for (const pkg of fs.readdirSync(path.join(repoRoot, 'packages'))) {
    const src = path.join(repoRoot, 'packages', pkg, 'src');
    if (!fs.existsSync(src)) continue;
    for (const file of sourceFiles(src)) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/['"`](TCPMEM_[A-Z0-9_]*[A-Z0-9])['"`]/g)) if (!notCodes.has(match[1]!)) used.add(match[1]!);
    }
  }

  it.each(userVariables)('%s, an environment variable, is documented in docs/scale.md', (variable) => {
    expect(fs.readFileSync(path.join(repoRoot, 'docs', 'scale.md'), 'utf8')).toContain(variable);
  });

  it('finds codes in the source', () => {
    expect(used.size).toBeGreaterThan(20);
  });

  it.each([...used].sort())('%s is documented in docs/', (code) => {
    expect(docs).toContain(code);
  });
});

describe('exit codes', () => {
  const errorsDoc = fs.readFileSync(path.join(repoRoot, 'docs/errors.md'), 'utf8');
  const table = new Set([...errorsDoc.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1])));
  const source = fs.readFileSync(path.join(repoRoot, 'packages/app/src/errors/exit-codes.ts'), 'utf8');
  const codes = [...source.matchAll(/^\s+[a-zA-Z]+: (\d+),$/gm)].map((m) => Number(m[1]));

  it('finds the exit codes in the source', () => {
    expect(codes.length).toBeGreaterThanOrEqual(8);
  });

  it.each(codes)('exit code %i is listed in docs/errors.md', (code) => {
    expect(table.has(code)).toBe(true);
  });

  it('lists no exit code the source does not use', () => {
    expect([...table].sort((a, b) => a - b)).toEqual([...codes].sort((a, b) => a - b));
  });
});
