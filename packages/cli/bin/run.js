#!/usr/bin/env node
// The `tcpmem` command: oclif finds the commands in dist/commands (one file per command).
require('@oclif/core').execute({ dir: __dirname });
