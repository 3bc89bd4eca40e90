#!/usr/bin/env node
// The `tcpmem` command: --version here, everything else through oclif, which finds the commands in dist/commands.
// oclif checks its own `engines` against this node with semver when it loads (~25 ms of every command's start); the
// check can only pass on a node this package installs on (>= 20, package.json), so it is skipped. The commands run
// from dist/ whatever NODE_ENV says: under NODE_ENV=development or test, oclif would otherwise load the TypeScript
// compiler (~0.25 s) to look for sources to transpile instead.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
globalThis.oclif = { ...globalThis.oclif, enableAutoTranspile: false };
require('../dist/main').main(require('node:path').resolve(__dirname, '..'));
