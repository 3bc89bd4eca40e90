#!/usr/bin/env node
// Builds what an operator installs outside this monorepo, into dist-pkg/ (run after `npm run build`):
//
//   tcpmem-cli-<version>.tgz   the `tcpmem` command as one self-contained bundle (esbuild; its read workers' entry,
//                              dist/read-worker.js, beside it): no dependencies, so
//                              `npm i -g ./dist-pkg/tcpmem-cli-*.tgz` needs no registry at all. ssh2's optional
//                              native parts (cpu-features, sshcrypto.node) are left out; ssh2 uses its JavaScript
//                              crypto without them.
//   tcpmem-<pkg>-<version>.tgz @tcpmem/schema, kernel-model, plan, apply and pulumi, packed as they are, for a
//                              Pulumi program: `npm install ./dist-pkg/tcpmem-*.tgz` (minus the CLI) installs
//                              @tcpmem/pulumi with our packages from these files and only third-party ones
//                              (@pulumi/pulumi, ssh2, ajv, yaml) from the registry.
//
// The commit (`git rev-parse`) is embedded in the bundle for `tcpmem --version`; outside git it is "unknown".
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const out = path.join(root, 'dist-pkg');
const cliDir = path.join(root, 'packages/cli');
const libraries = ['schema', 'kernel-model', 'plan', 'apply', 'app', 'pulumi'];

function commit() {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function requireBuilt() {
  for (const pkg of ['cli', ...libraries]) {
    if (!fs.existsSync(path.join(root, 'packages', pkg, 'dist/index.js'))) {
      throw new Error(`packages/${pkg}/dist is missing: run \`npm run build\` (or \`npm run setup\`) first`);
    }
  }
}

/**
 * Every command of the checkout's CLI as [oclif id, file under packages/cli/dist], from the manifest the build
 * writes (`oclif manifest`), the list the development `tcpmem` runs from: nested commands too (`report:merge`,
 * dist/commands/report/merge.js; typed `tcpmem report merge`), which a listing of dist/commands alone missed.
 */
function commandFiles() {
  const manifest = JSON.parse(fs.readFileSync(path.join(cliDir, 'oclif.manifest.json'), 'utf8'));
  const commands = Object.entries(manifest.commands).map(([id, command]) => {
    const [dist, ...file] = command.relativePath;
    if (dist !== 'dist' || !fs.existsSync(path.join(cliDir, dist, ...file))) {
      throw new Error(`packages/cli/oclif.manifest.json names ${command.relativePath.join('/')} for "${id}", which is not built: run \`npm run build\``);
    }
    return [id, file.join('/')];
  });
  if (commands.length === 0) throw new Error('packages/cli/oclif.manifest.json names no command: run `npm run build`');
  return commands.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The CLI: an entry that names every command (oclif's "explicit" strategy), bundled with everything it uses. */
async function packCli(buildCommit) {
  const cliPkg = JSON.parse(fs.readFileSync(path.join(cliDir, 'package.json'), 'utf8'));
  const stage = path.join(out, 'stage-cli');
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(path.join(stage, 'bin'), { recursive: true });
  const commands = commandFiles();
  const entry = path.join(cliDir, 'dist/.bundle-entry.js');
  fs.writeFileSync(
    entry,
    [
      "'use strict';",
      `exports.COMMANDS = {${commands.map(([id, file]) => `\n  ${JSON.stringify(id)}: require(${JSON.stringify(`./${file}`)}).default`).join(',')}\n};`,
      "exports.main = require('./main').main;",
      '',
    ].join('\n'),
  );
  const esbuild = require('esbuild');
  const options = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ssh2's optional native add-ons: it falls back to JavaScript when they cannot be loaded. TypeScript (10 MB),
    // which oclif loads only to transpile a development checkout's sources: the bundle's bin/run.js turns that off.
    external: ['cpu-features', '*.node', 'typescript'],
    define: { TCPMEM_BUILD_COMMIT: JSON.stringify(buildCommit) },
    legalComments: 'none',
    logLevel: 'warning',
  };
  try {
    await esbuild.build({
      entryPoints: [entry],
      outfile: path.join(stage, 'dist/tcpmem.js'),
      ...options,
    });
    // The plan's read workers (packages/plan/src/load/read-pool.ts) start read-worker.js beside the module that
    // starts them: in the bundle, beside dist/tcpmem.js.
    await esbuild.build({ entryPoints: [path.join(root, 'packages/plan/dist/load/read-worker.js')], outfile: path.join(stage, 'dist/read-worker.js'), ...options });
  } finally {
    fs.rmSync(entry, { force: true });
  }
  // apply's transaction is a static sh file it reads beside its module: in the bundle, beside dist/tcpmem.js.
  fs.copyFileSync(path.join(root, 'packages/apply/dist/remote/transaction.sh'), path.join(stage, 'dist/transaction.sh'));
  fs.writeFileSync(
    path.join(stage, 'bin/run.js'),
    [
      '#!/usr/bin/env node',
      '// The `tcpmem` command, bundled: every command and library in dist/tcpmem.js. oclif\'s check of its own',
      '// `engines` (semver, ~25 ms of each start) can only pass on a node this package installs on: skipped. There is',
      '// no TypeScript source to transpile (oclif would look for one under NODE_ENV=development or test): none is sought.',
      "process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';",
      'globalThis.oclif = { ...globalThis.oclif, enableAutoTranspile: false };',
      "require('../dist/tcpmem.js').main(require('node:path').resolve(__dirname, '..'));",
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const pkg = {
    name: cliPkg.name,
    version: cliPkg.version,
    description: `${cliPkg.description} Self-contained bundle built from commit ${buildCommit}.`,
    license: cliPkg.license,
    engines: { node: '>=20' },
    bin: cliPkg.bin,
    files: ['bin', 'dist'],
    oclif: { ...cliPkg.oclif, commands: { strategy: 'explicit', target: './dist/tcpmem.js', identifier: 'COMMANDS' } },
    tcpmem: { commit: buildCommit },
  };
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.copyFileSync(path.join(root, 'README.md'), path.join(stage, 'README.md'));
  const file = npmPack(stage);
  fs.rmSync(stage, { recursive: true, force: true });
  return file;
}

function npmPack(dir) {
  const result = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(result)[0].filename;
}

async function main() {
  requireBuilt();
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const buildCommit = commit();
  const files = [await packCli(buildCommit)];
  for (const name of libraries) files.push(npmPack(path.join(root, 'packages', name)));
  for (const file of files) process.stdout.write(`dist-pkg/${file}\n`);
}

main().catch((error) => {
  process.stderr.write(`pack: ${error.message}\n`);
  process.exitCode = 1;
});
