// Shared jest settings for every package: TypeScript through ts-jest (type checking is done by `tsc -p` in the
// lint target, so tests are only transpiled), workspace packages resolved to their sources, and a reporter
// that records pass/fail counts for the summary line CI prints.
const path = require('node:path');

/** @param {string} packageDir @param {string} displayName */
module.exports = function preset(packageDir, displayName, overrides = {}) {
  return {
    displayName,
    rootDir: packageDir,
    testEnvironment: 'node',
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(packageDir, 'tsconfig.json') }],
    },
    moduleNameMapper: {
      '^@tcpmem/([a-z-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
    },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/integration/'],
    passWithNoTests: true,
    reporters: ['default', path.join(__dirname, 'tools/jest/count-reporter.js')],
    ...overrides,
  };
};
