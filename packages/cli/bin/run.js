#!/usr/bin/env node
// The `tcpmem` command: --version here, everything else through oclif, which finds the commands in dist/commands.
// oclif checks its own `engines` against this node with semver when it loads (~25 ms of every command's start); the
// check can only pass on a node this package installs on (>= 20, package.json), so it is skipped.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
require('../dist/main').main(require('node:path').resolve(__dirname, '..'));
