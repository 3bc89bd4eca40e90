// One typed ESLint config for every package. Two architecture rules live here so they cannot rot:
// - @nx/enforce-module-boundaries: the dependency direction cli/pulumi → app → apply → plan → kernel-model →
//   schema, from the `layer:*` tags in each package.json;
// - no-restricted-imports: the pure code (kernel-model, and plan outside its loader) imports no I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

const io = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net',
  'ssh2', '@oclif/core', '@pulumi/pulumi', 'node:readline', 'readline', 'node:process', 'http', 'node:http', 'https', 'node:https'];
const noIo = {
  'no-restricted-imports': ['error', { paths: io.map((name) => ({ name, message: 'This code is pure: do I/O at the edges (plan/src/load, apply, app, cli).' })) }],
  'no-restricted-globals': ['error', { name: 'process', message: 'Pure code takes its inputs as arguments.' }],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '**/fixtures/**', 'tools/**', 'test-hosts/**', 'bench/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', {
        // The SSH test-host harness lives at the repository root, beside its script, for every package's tests.
        allow: ['/test-hosts/netns-hosts-state$'], // a regular expression over the import path
        depConstraints: [
          { sourceTag: 'layer:schema', onlyDependOnLibsWithTags: [] },
          { sourceTag: 'layer:kernel-model', onlyDependOnLibsWithTags: ['layer:schema'] },
          { sourceTag: 'layer:plan', onlyDependOnLibsWithTags: ['layer:schema', 'layer:kernel-model'] },
          { sourceTag: 'layer:apply', onlyDependOnLibsWithTags: ['layer:schema', 'layer:kernel-model', 'layer:plan'] },
          { sourceTag: 'layer:app', onlyDependOnLibsWithTags: ['layer:schema', 'layer:kernel-model', 'layer:plan', 'layer:apply'] },
          { sourceTag: 'layer:pulumi', onlyDependOnLibsWithTags: ['layer:schema', 'layer:kernel-model', 'layer:plan', 'layer:apply', 'layer:app'] },
          { sourceTag: 'layer:cli', onlyDependOnLibsWithTags: ['layer:schema', 'layer:kernel-model', 'layer:plan', 'layer:apply', 'layer:app'] },
        ],
      }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'error',
    },
  },
  // A package's entry (and every index under it) names what it exports: `export *` would publish internals.
  { files: ['packages/*/src/**/*.ts'], rules: { 'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Export the public surface by name (`export { a } from ...`), not `export *`.' }] } },
  { files: ['packages/kernel-model/src/**/*.ts', 'packages/schema/src/**/*.ts'], ignores: ['**/*.test.ts'], rules: noIo },
  { files: ['packages/plan/src/**/*.ts'], ignores: ['**/*.test.ts', 'packages/plan/src/load/**'], rules: noIo },
  { files: ['**/*.test.ts', '**/test/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-unsafe-call': 'off', '@typescript-eslint/no-unsafe-return': 'off', '@typescript-eslint/no-confusing-void-expression': 'off', '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/unbound-method': 'off', 'no-console': 'off' } },
);
