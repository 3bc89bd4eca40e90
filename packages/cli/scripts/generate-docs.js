#!/usr/bin/env node
// Writes docs/commands/<command>.md from the commands' own oclif metadata (summary, description, flags,
// examples), plus docs/commands/README.md as the index. `--check` fails instead of writing when the committed
// pages are stale; the cli tests run it, so the command reference cannot drift from the code.
const fs = require('node:fs');
const path = require('node:path');
const { Config, Help } = require('@oclif/core');

const root = path.resolve(__dirname, '../../..');
const outDir = path.join(root, 'docs/commands');

async function render() {
  const config = await Config.load({ root: path.resolve(__dirname, '..') });
  const help = new Help(config, { stripAnsi: true, maxWidth: 100 });
  const commands = [...config.commands].filter((c) => !c.hidden).sort((a, b) => a.id.localeCompare(b.id));
  const pages = {};
  const index = ['# Command reference', '', 'Generated from the commands by `npm run generate`; do not edit by hand.', '',
    '| command | what it does |', '|---|---|'];
  for (const command of commands) {
    const file = `${command.id.replace(/:/g, '-')}.md`;
    const text = help.formatCommand(command).replace(/[ \t]+$/gm, '');
    pages[file] = `# tcpmem ${command.id.replace(/:/g, ' ')}\n\n${command.summary ?? ''}\n\n\`\`\`\n${text}\n\`\`\`\n`;
    index.push(`| [\`tcpmem ${command.id.replace(/:/g, ' ')}\`](${file}) | ${command.summary ?? ''} |`);
  }
  pages['README.md'] = `${index.join('\n')}\n\nExit codes and error codes: [../errors.md](../errors.md).\n`;
  return pages;
}

async function main() {
  const check = process.argv.includes('--check');
  const pages = await render();
  const stale = [];
  const existing = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((f) => f.endsWith('.md')) : [];
  for (const [name, text] of Object.entries(pages)) {
    const file = path.join(outDir, name);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === text) continue;
    if (check) stale.push(name);
    else {
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(file, text);
    }
  }
  for (const name of existing) {
    if (name in pages) continue;
    if (check) stale.push(`${name} (no such command)`);
    else fs.rmSync(path.join(outDir, name));
  }
  if (stale.length > 0) {
    console.error(`docs/commands is stale: ${stale.join(', ')}. Run \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(70);
});
