import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listKernelChanges } from './kernel-changes';
import { listSysctls } from './registry';

const doc = readFileSync(join(__dirname, '../../../../docs/sysctls.md'), 'utf8');
const codesIn = (file: string) => [...new Set(readFileSync(join(__dirname, file), 'utf8').match(/TCPMEM_[A-Z_]*[A-Z](?![A-Z_*])/g) ?? [])];

describe('docs/sysctls.md', () => {
  it.each(listSysctls().map((d) => d.name))('has a table row for %s', (name) => {
    expect(doc).toContain(`| \`${name}\` |`);
  });

  it.each(listKernelChanges().map((c) => c.id))('lists the kernel change %s', (id) => {
    expect(doc).toContain(`| \`${id}\` |`);
  });

  it.each([...codesIn('lint-value.ts'), ...codesIn('sysctl-conf.ts')])('documents the code %s', (code) => {
    expect(doc).toContain(`\`${code}\``);
  });
});
