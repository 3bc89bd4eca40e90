#!/usr/bin/env node
// The `tcpmem` command: --version here, everything else through oclif, which finds the commands in dist/commands.
require('../dist/main').main(require('node:path').resolve(__dirname, '..'));
